// The console's t(), labels and formats, in the interface language the agent chose (state.lang).

import { formatNumber } from "../shared/format.js";
import { createI18n } from "../shared/i18n.js";
import { formatDateTime, localeOf, parseTime, duration as spanIn, ZONES } from "../shared/time.js";
import { state } from "./state.js";
import { STRINGS } from "./strings.js";

export const { t, has, label } = createI18n(STRINGS, () => state.lang);

export function locale() {
  return localeOf(state.lang);
}

export function duration(ms) {
  return spanIn(ms, t);
}

/** A timestamp from the api, short, in the market's time zone when the market is known. */
export function fullTime(value, market) {
  const d = parseTime(value);
  if (!d) return "";
  return formatDateTime(d, locale(), { dateStyle: "short", timeStyle: "short" }, ZONES[market]);
}

export function number(n) {
  return formatNumber(n, locale());
}
