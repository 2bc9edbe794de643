/**
 * Test oracles for retention: wall-clock dates of a zone from Intl's formatted date (not
 * the day numbers the code under test uses) and the GFS periods from plain UTC dates.
 */
import type { GfsSpec } from '../../shared/domain/job.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { gfsFlagsFor, type RetainedPoint } from '../../shared/retention/gfs.ts';
import type { RetentionSpec } from '../../shared/domain/job.ts';

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The local date of an instant in a zone, YYYY-MM-DD. */
export function localDate(zone: string, at: string | number): string {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(zone, format);
  }
  return format.format(new Date(at));
}

/** The instant a zone's wall clock shows `text` ("YYYY-MM-DD HH:MM"; a time that exists), ISO. */
export function local(zone: string, text: string): string {
  const wanted = Date.parse(`${text.replace(' ', 'T')}:00Z`);
  const wallOf = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
        .formatToParts(new Date(at))
        .map((part) => [part.type, Number(part.value)]),
    );
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  };
  let at = wanted;
  for (let step = 0; step < 3; step++) at = wanted - (wallOf(at) - at);
  if (wallOf(at) !== wanted) throw new Error(`${text} does not exist in ${zone}`);
  return new Date(at).toISOString();
}

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** The date the week of `date` starts on (weeks start on `weekday`). */
export function weekStartOf(date: string, weekday: number): string {
  const day = utc(date);
  return new Date(day.getTime() - ((day.getUTCDay() - weekday + 7) % 7) * DAY).toISOString().slice(0, 10);
}

/** Whether `date` is on or after the month's first (or last) `weekday`. */
export function inMonthlyWeek(date: string, gfs: Pick<GfsSpec, 'weekday' | 'monthlyWeek'>): boolean {
  const day = utc(date);
  const length = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  const matching: number[] = [];
  for (let dom = 1; dom <= length; dom++) if (new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), dom)).getUTCDay() === gfs.weekday) matching.push(dom);
  return day.getUTCDate() >= (gfs.monthlyWeek === 'first' ? matching[0]! : matching.at(-1)!);
}

/** Periods of each kind between the period of `date` and that of `now` (0: the same one). */
export function periodAge(kind: 'weekly' | 'monthly' | 'yearly', date: string, now: string, weekday: number): number {
  if (kind === 'weekly') return Math.round((utc(weekStartOf(now, weekday)).getTime() - utc(weekStartOf(date, weekday)).getTime()) / (7 * DAY));
  const months = (text: string) => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;
  return kind === 'monthly' ? months(now) - months(date) : Number(now.slice(0, 4)) - Number(date.slice(0, 4));
}

/**
 * A job's history as the product makes it: each point flagged when written (completed at
 * `at`), then retention applied at that moment. Returns every point written and the ones kept.
 */
export function runHistory(times: readonly string[], retention: RetentionSpec, zone: string): { history: RetainedPoint[]; kept: RetainedPoint[] } {
  const history: RetainedPoint[] = [];
  let kept: RetainedPoint[] = [];
  times.forEach((at, index) => {
    const point = { id: `p${String(index).padStart(5, '0')}`, created: at, completed: at, gfs: gfsFlagsFor(at, kept, retention.gfs, zone) };
    history.push(point);
    const decisions = applyRetention([...kept, point], retention, at, zone);
    kept = [...kept, point].filter((_, position) => decisions[position]!.keep);
  });
  return { history, kept };
}
