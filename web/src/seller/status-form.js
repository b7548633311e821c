// The case status form (shipped needs carrier, tracking number and date).

import { h } from "../shared/dom.js";
import { label, todayInMarket } from "./i18n.js";
import { state, ui } from "./state.js";
import { renderRefusal } from "./thread.js";

export function renderStatusOptions() {
  if (!state.user) return;
  const current = ui.statusSelect.value;
  ui.statusSelect.replaceChildren();
  for (const code of state.user.statuses || [])
    ui.statusSelect.append(h("option", { value: code }, label("status_", code)));
  if (current) ui.statusSelect.value = current;
  const carrier = ui.statusCarrier.value;
  ui.statusCarrier.replaceChildren();
  for (const name of state.user.carriers || []) ui.statusCarrier.append(h("option", { value: name }, name));
  if (carrier) ui.statusCarrier.value = carrier;
  ui.statusDate.min = todayInMarket();
  toggleShipping();
  renderRefusal(ui.statusRefusal, state.statusRefusal, "statusRefusedTitle");
}

export function toggleShipping() {
  ui.shippingFields.hidden = ui.statusSelect.value !== "shipped";
}
