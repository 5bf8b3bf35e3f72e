import { BaseUnits, baseToCoins } from '../../biblepay/amount';

/**
 * Coins for people: exact digits from base units, thousands grouped ("1,234.5"). Never a float:
 * the text comes from {@link baseToCoins}.
 */
export function formatCoins(units: BaseUnits): string {
  const text = baseToCoins(units);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

const HASH_UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s'];

/** A hashrate estimate with three significant digits: 1534 → "1.53 kH/s". */
export function formatHashrate(hashesPerSecond: number): string {
  if (!Number.isFinite(hashesPerSecond) || hashesPerSecond <= 0) return '0 H/s';
  let value = hashesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < HASH_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${HASH_UNITS[unit]}`;
}

/** Percentage of `part` in `whole` with two decimals (the original's `round(100 / all * pool, 2)`). */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((part * 10_000) / whole) / 100;
}

/** UTC, minute precision, sortable and unambiguous: "2026-11-28 18:37 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Short UTC time for table cells (the year is implied, the page says times are UTC): "11-28 18:37". */
export function formatShortUtc(date: Date): string {
  return date.toISOString().slice(5, 16).replace('T', ' ');
}

/** The UTC calendar day of a date: "2026-11-28". */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "3 min ago", "2 h ago", "5 d ago": for last-seen columns. */
export function formatAge(date: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** The last `days` UTC days ending today, oldest first: the x axis of the 7-day charts. */
export function lastUtcDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(utcDay(new Date(today - i * 86_400_000)));
  return out;
}

/** Midnight UTC of the first of the last `days` days. */
export function startOfUtcDays(now: Date, days: number): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000,
  );
}
