// Dates and durations as the three apps show them: the api speaks UTC, people read their market's time.

/** A market's time zone: deadlines and timestamps are shown in the market's time. */
export const ZONES = { TR: "Europe/Istanbul", PL: "Europe/Warsaw" };
export const LOCALES = { tr: "tr-TR", pl: "pl-PL" };

export function localeOf(lang) {
  return LOCALES[lang] || "tr-TR";
}

/** A Date from an api timestamp; one without an offset is UTC. Null when missing or unreadable. */
export function parseTime(value) {
  if (!value) return null;
  let s = String(value);
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += "Z"; // the api speaks UTC
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `date` in `locale`, in `zone` when given; a browser that does not know the zone gets its own time. */
export function formatDateTime(date, locale, options, zone) {
  const opts = { ...options };
  if (zone) opts.timeZone = zone;
  try {
    return new Intl.DateTimeFormat(locale, opts).format(date);
  } catch (_) {
    return date.toLocaleString(locale);
  }
}

/** "07:05" for 425 seconds (a queue wait). */
export function mmss(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** "1 d 2 h" / "5 min" for a span in ms (sign ignored), with the units from t("dur_d"|"dur_h"|"dur_m"). */
export function duration(ms, t) {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60000));
  const d = Math.floor(minutes / 1440);
  const hrs = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [];
  if (d) parts.push(t("dur_d", { n: d }));
  if (hrs) parts.push(t("dur_h", { n: hrs }));
  if (!d && (m || !hrs)) parts.push(t("dur_m", { n: m }));
  return parts.join(" ");
}
