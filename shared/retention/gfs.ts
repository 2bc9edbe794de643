import type { GfsSpec } from '../domain/job.ts';
import { dayLabel, weekdayOf, zonedDayNumber } from '../schedule/local-time.ts';

/**
 * Grandfather-father-son flags on local calendar days (days since 1970-01-01 in the
 * engine's time zone), so a DST change never moves a point into another period.
 */

export interface GfsFlags {
  weekly: boolean;
  monthly: boolean;
  yearly: boolean;
}
export const NO_FLAGS: GfsFlags = Object.freeze({ weekly: false, monthly: false, yearly: false });
export const GFS_KINDS = ['weekly', 'monthly', 'yearly'] as const;
export type GfsKind = (typeof GFS_KINDS)[number];

export interface RetainedPoint {
  id: string;
  created: string;
  /** When this backup finished writing it: its GFS periods are counted from this. */
  completed: string;
  gfs: GfsFlags;
}

const DAY = 86_400_000;

/** The local calendar day of an ISO time. */
export function localDayOf(at: string, timeZone: string): number {
  return zonedDayNumber(new Date(at), timeZone);
}

/** The week (its number since 1970) of a day, weeks starting on `weekday` at 00:00. */
export function weekOf(day: number, weekday: number): number {
  // Day 0 was a Thursday (weekday 4): day + 4 - weekday is a multiple of 7 on week starts.
  return Math.floor((day + 4 - weekday) / 7);
}

/** The month of a day as year × 12 + month (0 = January). */
export function monthOf(day: number): number {
  const date = new Date(day * DAY);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function yearOf(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** The first day of the week `week` (a day of weekOf). */
function weekStart(week: number, weekday: number): number {
  return week * 7 - 4 + weekday;
}

/** Words naming a point's period, e.g. "weekly point of the week of 2026-03-01". */
export function periodWords(kind: GfsKind, day: number, gfs: Pick<GfsSpec, 'weekday'> | undefined): string {
  if (kind === 'weekly') return `weekly point of the week of ${dayLabel(weekStart(weekOf(day, gfs?.weekday ?? 0), gfs?.weekday ?? 0))}`;
  if (kind === 'monthly') return `monthly point of ${dayLabel(day).slice(0, 7)}`;
  return `yearly point of ${yearOf(day)}`;
}

/** The period of `kind` a day falls in: a week, a month or a year number. */
export function periodOf(kind: GfsKind, day: number, weekday: number): number {
  if (kind === 'weekly') return weekOf(day, weekday);
  return kind === 'monthly' ? monthOf(day) : yearOf(day);
}

/**
 * Whether a day lies in its month's monthly window: from the first (or last) `weekday`
 * of the month to the month's end.
 */
export function inMonthlyWindow(day: number, gfs: Pick<GfsSpec, 'weekday' | 'monthlyWeek'>): boolean {
  const date = new Date(day * DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  let start: number;
  if (gfs.monthlyWeek === 'first') {
    const first = Date.UTC(year, month, 1) / DAY;
    start = first + ((gfs.weekday - weekdayOf(first) + 7) % 7);
  } else {
    const last = Date.UTC(year, month + 1, 0) / DAY;
    start = last - ((weekdayOf(last) - gfs.weekday + 7) % 7);
  }
  return day >= start;
}

/** Which flags a point completed on local day `day` is eligible for (its period's window), ignoring the points already flagged. */
function eligible(day: number, gfs: GfsSpec): GfsFlags {
  const monthly = inMonthlyWindow(day, gfs);
  return {
    weekly: gfs.weekly > 0,
    monthly: gfs.monthly > 0 && monthly,
    yearly: gfs.yearly > 0 && monthly && monthOf(day) % 12 === gfs.yearlyMonth,
  };
}

/**
 * Flags of a point completed at `at`, given the workload's points already in the backup
 * (their stored flags): each flag the settings keep (count > 0) whose period window holds
 * `at` and that no point of the same period carries yet. The first point written in a
 * period thus gets its flag: the point of the weekday itself, or the first after it.
 */
export function gfsFlagsFor(at: string, existing: readonly RetainedPoint[], gfs: GfsSpec | undefined, timeZone: string): GfsFlags {
  if (!gfs) return { ...NO_FLAGS };
  return flagsOnDay(localDayOf(at, timeZone), existing, gfs, (point) => localDayOf(point.completed, timeZone));
}

/** gfsFlagsFor on a local day, with the local day of an existing point's `completed` from `dayOf` (callers may cache it). */
export function flagsOnDay<P extends RetainedPoint>(day: number, existing: readonly P[], gfs: GfsSpec, dayOf: (point: P) => number): GfsFlags {
  const flags = eligible(day, gfs);
  for (const point of existing) {
    if (!((flags.weekly && point.gfs.weekly) || (flags.monthly && point.gfs.monthly) || (flags.yearly && point.gfs.yearly))) continue;
    const pointDay = dayOf(point);
    for (const kind of GFS_KINDS) {
      if (flags[kind] && point.gfs[kind] && periodOf(kind, pointDay, gfs.weekday) === periodOf(kind, day, gfs.weekday)) flags[kind] = false;
    }
  }
  return flags;
}
