import type { RetentionSpec } from '../domain/job.ts';
import { compareCodeUnits } from '../util/compare.ts';
import { GFS_KINDS, type GfsKind, localDayOf, periodOf, periodWords, type RetainedPoint } from './gfs.ts';

export interface RetentionDecision {
  id: string;
  keep: boolean;
  /** In words, for the session log: why kept or removed. */
  reasons: string[];
}

const UNITS: Record<GfsKind, [string, string]> = { weekly: ['week', 'weeks'], monthly: ['month', 'months'], yearly: ['year', 'years'] };

function periods(kind: GfsKind, count: number): string {
  return `${count} ${UNITS[kind][count === 1 ? 0 : 1]}`;
}

function newestWords(keepPoints: number): string {
  return keepPoints === 1 ? 'the newest point' : `one of the newest ${keepPoints}`;
}

const newestLast = (a: RetainedPoint, b: RetainedPoint) => compareCodeUnits(a.created, b.created) || compareCodeUnits(a.id, b.id);

/** Per point, how many points are newer (0: the newest), by `created`, then `id`. */
function newerCounts(points: readonly RetainedPoint[]): number[] {
  const newer = points.map((_, index) => points.length - 1 - index);
  // Points usually come oldest first (listPoints, a simulation): no sort needed then.
  if (points.every((point, index) => index === 0 || newestLast(points[index - 1]!, point) < 0)) return newer;
  points
    .map((_, index) => index)
    .sort((a, b) => newestLast(points[a]!, points[b]!))
    .forEach((index, position) => (newer[index] = points.length - 1 - position));
  return newer;
}

/** Whether a point's `kind` flag (completed on local day `day`) keeps it on day `nowDay`: its period is one of the last `count`. */
function flagKeeps(kind: GfsKind, day: number, nowDay: number, retention: RetentionSpec): boolean {
  const count = retention.gfs?.[kind] ?? 0;
  const weekday = retention.gfs?.weekday ?? 0;
  return count > 0 && periodOf(kind, nowDay, weekday) - periodOf(kind, day, weekday) < count;
}

const hasFlag = (point: RetainedPoint) => point.gfs.weekly || point.gfs.monthly || point.gfs.yearly;

/**
 * applyRetention's keep or remove alone (no words), on the local day of `now`, with the
 * local day of a point's `completed` from `dayOf` (callers may cache it): for simulations.
 */
export function keptByRetention<P extends RetainedPoint>(points: readonly P[], retention: RetentionSpec, nowDay: number, dayOf: (point: P) => number): boolean[] {
  const newer = newerCounts(points);
  return points.map((point, index) => {
    if (newer[index]! < retention.keepPoints || newer[index] === 0) return true;
    if (!hasFlag(point)) return false;
    const day = dayOf(point);
    return GFS_KINDS.some((kind) => point.gfs[kind] && flagKeeps(kind, day, nowDay, retention));
  });
}

/**
 * One decision per point of ONE workload, same order as given. Kept: the newest
 * `keepPoints` (by `created`, then `id`), and each point with a GFS flag whose period
 * (the week, month or year of its `completed`, local time) is one of the last N of its
 * kind counted from `now`, the current one included. Never removes the newest point.
 */
export function applyRetention(points: readonly RetainedPoint[], retention: RetentionSpec, now: string, timeZone: string): RetentionDecision[] {
  const nowDay = localDayOf(now, timeZone);
  const newer = newerCounts(points);
  return points.map((point, index) => {
    const keptBy: string[] = [];
    const notKeptBy: string[] = [];
    if (newer[index]! < retention.keepPoints) keptBy.push(newestWords(retention.keepPoints));
    else if (newer[index] === 0) keptBy.push('the newest point, always kept');
    else notKeptBy.push(`older than the newest ${retention.keepPoints}`);
    const day = hasFlag(point) ? localDayOf(point.completed, timeZone) : 0;
    for (const kind of GFS_KINDS) {
      if (!point.gfs[kind]) continue;
      const count = retention.gfs?.[kind] ?? 0;
      const words = periodWords(kind, day, retention.gfs);
      if (count === 0) notKeptBy.push(`${words}: ${kind} points are no longer kept`);
      else if (flagKeeps(kind, day, nowDay, retention)) keptBy.push(`${words}, kept for ${periods(kind, count)}`);
      else notKeptBy.push(`${words} expired (kept for ${periods(kind, count)})`);
    }
    if (keptBy.length > 0) return { id: point.id, keep: true, reasons: keptBy };
    if (notKeptBy.length === 1) notKeptBy[0] += ' and no GFS flag keeps it';
    return { id: point.id, keep: false, reasons: notKeptBy };
  });
}
