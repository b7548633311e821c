// Small readings of the console's data.

import { parseTime } from "../shared/time.js";
import { locale, t } from "./i18n.js";
import { state } from "./state.js";

export function clockTime(value) {
  const d = parseTime(value);
  return d ? d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" }) : "";
}

export function buyerName(row) {
  if (row && row.buyer && row.buyer.name) return row.buyer.name;
  return t("anonymous");
}

export function isMine(id) {
  return state.mine.some((r) => r.conversation_id === id);
}
