// The seller's own response-time figures.

import { number, t } from "./i18n.js";
import { state, ui } from "./state.js";

export function renderMetrics() {
  const m = state.metrics;
  const set = (el, text, bad) => {
    el.textContent = text;
    el.classList.toggle("is-bad", !!bad);
  };
  if (!m) {
    for (const el of [ui.metricShare, ui.metricMedian, ui.metricOverdue, ui.metricQuestions]) set(el, "–");
    return;
  }
  let share = "–";
  if (m.share_in_time != null) {
    const pct = number(m.share_in_time * 100, 0);
    share = state.lang === "tr" ? `%${pct}` : `${pct}%`; // %90 in Turkish, 90% in Polish
  }
  set(ui.metricShare, share, m.share_in_time != null && m.share_in_time < 0.9);
  set(
    ui.metricMedian,
    m.median_business_hours == null ? "–" : t("metricHours", { n: number(m.median_business_hours) }),
  );
  set(ui.metricOverdue, String(m.open_overdue), m.open_overdue > 0);
  set(ui.metricQuestions, String(m.questions));
}
