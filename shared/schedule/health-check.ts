import type { HealthCheckSpec } from '../domain/job.ts';
import { dayLabel, weekdayOf, zonedDayNumber } from './local-time.ts';

/**
 * When a job's health check is due: on local calendar days (the engine's time zone), so
 * a DST change never moves the scheduled day. The check belongs to a day, not to a time:
 * the first run of the job on that day, or after it when none ran that day, checks;
 * later runs up to the next scheduled day do not.
 */

const DAY = 86_400_000;
const NTH = { first: 0, second: 1, third: 2, fourth: 3 } as const;

/** The scheduled day of the month holding `day` (days since 1970-01-01, UTC fields = the local date). */
function monthlyDay(year: number, month: number, spec: HealthCheckSpec): number {
  if (spec.week === 'last') {
    const last = Date.UTC(year, month + 1, 0) / DAY;
    return last - ((weekdayOf(last) - spec.weekday + 7) % 7);
  }
  const first = Date.UTC(year, month, 1) / DAY;
  return first + ((spec.weekday - weekdayOf(first) + 7) % 7) + 7 * NTH[spec.week];
}

/** The latest scheduled day on or before the local day `today`. */
function latestScheduledDay(spec: HealthCheckSpec, today: number): number {
  if (spec.frequency === 'weekly') return today - ((weekdayOf(today) - spec.weekday + 7) % 7);
  const date = new Date(today * DAY);
  const thisMonth = monthlyDay(date.getUTCFullYear(), date.getUTCMonth(), spec);
  // Date.UTC wraps month -1 to the December before.
  return thisMonth <= today ? thisMonth : monthlyDay(date.getUTCFullYear(), date.getUTCMonth() - 1, spec);
}

/**
 * The day (YYYY-MM-DD, local) of the scheduled health check that is the latest on or
 * before `now` (ISO); null when the health check is off. Weekly: every `weekday`;
 * monthly: the first…fourth or the last `weekday` of each month.
 */
export function lastHealthCheckDay(spec: HealthCheckSpec, now: string, timeZone: string): string | null {
  if (!spec.enabled) return null;
  return dayLabel(latestScheduledDay(spec, zonedDayNumber(new Date(now), timeZone)));
}

/**
 * Whether a run at `now` does the health check: the latest scheduled day on or before
 * now is after the local day of the last check (`lastCheck`, ISO; null: never checked).
 * So a job that did not run on the day checks at its first run after it, and one day's
 * check is never done twice. Off: never due.
 */
export function healthCheckDue(spec: HealthCheckSpec, lastCheck: string | null, now: string, timeZone: string): boolean {
  if (!spec.enabled) return false;
  const scheduled = latestScheduledDay(spec, zonedDayNumber(new Date(now), timeZone));
  return lastCheck === null || zonedDayNumber(new Date(lastCheck), timeZone) < scheduled;
}
