import type { AnyScheduleSpec } from '../domain/job.ts';
import { localDayNumber, wallClock, weekdayOf } from './local-time.ts';

/**
 * When schedules run: pure arithmetic on the engine's local wall-clock time, no search
 * longer than a week of days, so planning thousands of jobs stays cheap. Periodic minutes
 * and hours are elapsed time from startAt; periodic days and daily schedules are
 * wall-clock times (DST: a skipped time runs at the first moment after it, a repeated one
 * runs once, at its first occurrence). Manual and immediate schedules have no times.
 */

type Periodic = Extract<AnyScheduleSpec, { mode: 'periodic' }>;
type Daily = Extract<AnyScheduleSpec, { mode: 'daily' }>;

const UNIT_MS = { minutes: 60_000, hours: 3_600_000 } as const;

/** Scheduled run times strictly after `after`, at most `count` (none for manual / immediate). */
export function nextRuns(schedule: AnyScheduleSpec, after: Date, count: number): Date[] {
  const runs: Date[] = [];
  let from = after;
  while (runs.length < count) {
    const next = nextRun(schedule, from);
    if (!next) break;
    runs.push(next);
    from = next;
  }
  return runs;
}

/** The first scheduled time strictly after `after`. */
export function nextRun(schedule: AnyScheduleSpec, after: Date): Date | undefined {
  if (schedule.mode === 'periodic') return schedule.unit === 'days' ? dayRunAfter(schedule, after) : elapsedRunAfter(schedule, after);
  if (schedule.mode === 'daily') return dailyRunNear(schedule, after, 1);
  return undefined;
}

/** The latest scheduled time at or before `at`. */
export function previousRun(schedule: AnyScheduleSpec, at: Date): Date | undefined {
  if (schedule.mode === 'periodic') return schedule.unit === 'days' ? dayRunAtOrBefore(schedule, at) : elapsedRunAtOrBefore(schedule, at);
  if (schedule.mode === 'daily') return dailyRunNear(schedule, at, -1);
  return undefined;
}

/**
 * The latest scheduled time in (since, now] — what a scheduler that last served `since`
 * (null: never) should run now; missed runs collapse into this one. undefined: nothing due
 * (also when the clock was set back before `since`).
 */
export function dueRun(schedule: AnyScheduleSpec, since: Date | null, now: Date): Date | undefined {
  const latest = previousRun(schedule, now);
  if (!latest || (since && latest.getTime() <= since.getTime())) return undefined;
  return latest;
}

/** For periodic (and daily) schedules: the interval [start, end) between the scheduled times around `at`. */
export function intervalAt(schedule: AnyScheduleSpec, at: Date): { start: Date; end: Date } | undefined {
  const start = previousRun(schedule, at);
  const end = start && nextRun(schedule, start);
  return start && end ? { start, end } : undefined;
}

function elapsedRunAfter(schedule: Periodic, after: Date): Date {
  const start = Date.parse(schedule.startAt);
  const step = schedule.every * UNIT_MS[schedule.unit as keyof typeof UNIT_MS];
  if (after.getTime() < start) return new Date(start);
  return new Date(start + (Math.floor((after.getTime() - start) / step) + 1) * step);
}

function elapsedRunAtOrBefore(schedule: Periodic, at: Date): Date | undefined {
  const start = Date.parse(schedule.startAt);
  const step = schedule.every * UNIT_MS[schedule.unit as keyof typeof UNIT_MS];
  if (at.getTime() < start) return undefined;
  return new Date(start + Math.floor((at.getTime() - start) / step) * step);
}

/** Run k of an every-N-days schedule: startAt itself, then startAt's local time of day every N days. */
function dayRun(start: Date, firstDay: number, schedule: Periodic, k: number): Date {
  if (k === 0) return start;
  return wallClock(firstDay + k * schedule.every, start.getHours(), start.getMinutes(), start.getSeconds(), start.getMilliseconds());
}

function dayRunAfter(schedule: Periodic, after: Date): Date {
  const start = new Date(schedule.startAt);
  if (after.getTime() < start.getTime()) return start;
  const firstDay = localDayNumber(start);
  // Run k falls on day firstDay + kN: this k is on or before after's day, k + 1 past it.
  const k = Math.floor((localDayNumber(after) - firstDay) / schedule.every);
  const run = dayRun(start, firstDay, schedule, k);
  return run.getTime() > after.getTime() ? run : dayRun(start, firstDay, schedule, k + 1);
}

function dayRunAtOrBefore(schedule: Periodic, at: Date): Date | undefined {
  const start = new Date(schedule.startAt);
  if (at.getTime() < start.getTime()) return undefined;
  const firstDay = localDayNumber(start);
  const k = Math.floor((localDayNumber(at) - firstDay) / schedule.every);
  const run = dayRun(start, firstDay, schedule, k);
  return run.getTime() <= at.getTime() ? run : dayRun(start, firstDay, schedule, k - 1);
}

/**
 * direction 1: the first daily run after `at`; -1: the last at or before it. Some chosen
 * weekday lies within 8 days either way.
 */
function dailyRunNear(schedule: Daily, at: Date, direction: 1 | -1): Date | undefined {
  const hours = Number(schedule.at.slice(0, 2));
  const minutes = Number(schedule.at.slice(3, 5));
  const today = localDayNumber(at);
  for (let offset = 0; offset <= 7; offset++) {
    const day = today + direction * offset;
    if (!schedule.weekdays.includes(weekdayOf(day))) continue;
    const run = wallClock(day, hours, minutes);
    if (direction === 1 ? run.getTime() > at.getTime() : run.getTime() <= at.getTime()) return run;
  }
  return undefined;
}
