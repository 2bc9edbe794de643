/**
 * Pure formatting helpers for shares, dates and counts. They take an optional locale
 * (undefined = the OS/browser locale) so they are testable and deterministic.
 *
 * Candidates for `shared/format/` next to bytes.ts once the CLI needs the same wording.
 */

/**
 * Sizes use the engine/CLI wording from shared/ (decimal units: what drive vendors and
 * file managers show), so the console and `ferry repo list` print the same numbers.
 */
export { formatBytes } from '../../shared/format/bytes.ts';

/** A share in 0…1 as a whole percentage ("42 %" / "42%" per locale). */
export function formatPercent(share: number, locale?: string): string {
  if (!Number.isFinite(share)) return '—';
  const clamped = Math.min(1, Math.max(0, share));
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(clamped);
}

/** Used share of a volume, 0…1; 0 when the total is unknown or zero. */
export function usedShare(space: { totalBytes: number; freeBytes: number }): number {
  if (space.totalBytes <= 0) return 0;
  return Math.min(1, Math.max(0, (space.totalBytes - space.freeBytes) / space.totalBytes));
}

function toDate(value: string | number | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A date in the OS locale ("Nov 22, 2025" / "22.11.2025"). */
export function formatDate(value: string | number | Date, locale?: string): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date) : '—';
}

/** A date and time in the OS locale, for tooltips and detail views. */
export function formatDateTime(value: string | number | Date, locale?: string): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '—';
}

/** A date and time to the second, for restore points (several can be made in one minute). */
export function formatDateTimeSeconds(value: string | number | Date, locale?: string): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date) : '—';
}

/** A whole number in the OS locale ("12,345"). */
export function formatNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A whole count with its noun: "1 repository", "3 repositories". */
export function formatCount(count: number, singular: string, plural: string, locale?: string): string {
  const number = new Intl.NumberFormat(locale).format(count);
  return `${number} ${count === 1 ? singular : plural}`;
}

/**
 * A duration for tables: "0.4 s", "12 s", "3 min 4 s", "2 h 5 min". Units are the SI
 * abbreviations, which read the same in most locales.
 */
export function formatDuration(ms: number, locale?: string): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const number = (value: number, digits = 0) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  if (ms < 10_000) return `${number(ms / 1000, 1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${number(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${number(minutes)} min ${number(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${number(hours)} h ${number(minutes % 60)} min`;
}

/** How long ago (or how far ahead) a moment is, in words: "3 minutes ago", "yesterday". */
export function formatRelative(value: string | number | Date, now: number = Date.now(), locale?: string): string {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(0, 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86_400) return format.format(Math.round(seconds / 86_400), 'day');
  if (abs < 320 * 86_400) return format.format(Math.round(seconds / (30 * 86_400)), 'month');
  return format.format(Math.round(seconds / (365 * 86_400)), 'year');
}

/** A time of day to the minute ("14:03" / "2:03 PM"). */
export function formatTimeOfDay(value: string | number | Date, locale?: string): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date) : '—';
}

/** A time of day to the second, for log lines ("14:03:27" / "2:03:27 PM"). */
export function formatTime(value: string | number | Date, locale?: string): string {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(date) : '—';
}

/** A date and time for narrow cells: "Dec 8, 10:00 PM", with the year only when it is not this year's. */
export function formatDateTimeShort(value: string | number | Date, now: number = Date.now(), locale?: string): string {
  const date = toDate(value);
  if (!date) return '—';
  const thisYear = date.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', ...(thisYear ? {} : { year: 'numeric' }), hour: 'numeric', minute: '2-digit' }).format(date);
}
