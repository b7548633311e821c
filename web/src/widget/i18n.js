// The widget's t() and formats, in the language the buyer chose (state.lang).

import { formatBytes as bytesIn } from "../shared/format.js";
import { createI18n } from "../shared/i18n.js";
import { localeOf } from "../shared/time.js";
import { state } from "./state.js";
import { STRINGS } from "./strings.js";

export const { t } = createI18n(STRINGS, () => state.lang);

export function locale() {
  return localeOf(state.lang);
}

export function formatBytes(bytes) {
  return bytesIn(bytes, locale());
}
