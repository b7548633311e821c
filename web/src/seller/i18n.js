// The seller portal's t(), labels and formats: the seller's language, the seller's market's time.

import { formatNumber } from "../shared/format.js";
import { createI18n } from "../shared/i18n.js";
import { localeOf, parseTime, duration as spanIn, ZONES } from "../shared/time.js";
import { state } from "./state.js";
import { STRINGS } from "./strings.js";

export const { t, has, label } = createI18n(STRINGS, () => state.lang);

export function locale() {
  return localeOf(state.lang);
}

/** The signed-in seller's market (TR until known). */
export function market() {
  return state.user && state.user.seller ? state.user.seller.market : "TR";
}

/** An api timestamp as day and time, in the seller's market's time zone. */
export function when(value) {
  const d = parseTime(value);
  if (!d) return "";
  return d.toLocaleString(locale(), {
    timeZone: ZONES[market()] || undefined,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function dateOnly(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(iso);
}

export function duration(ms) {
  return spanIn(ms, t);
}

export function number(n, digits) {
  return formatNumber(n, locale(), digits);
}

export function todayInMarket() {
  // YYYY-MM-DD in the market's time zone (the api refuses expected dates before it).
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: ZONES[market()] }).format(new Date());
  } catch (_) {
    return new Date().toISOString().slice(0, 10);
  }
}
