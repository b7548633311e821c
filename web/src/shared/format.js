// Numbers and sizes in the reader's locale.

export function formatNumber(n, locale, digits) {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits == null ? 1 : digits }).format(Number(n) || 0);
}

/** "1,5 MB" / "300 KB" (never below 1 KB). */
export function formatBytes(bytes, locale) {
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${fmt.format(bytes / (1024 * 1024))} MB`;
  return `${fmt.format(Math.max(1, bytes / 1024))} KB`;
}
