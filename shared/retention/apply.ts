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

/**
 * One decision per point of ONE workload, same order as given. Kept: the newest
 * `keepPoints` (by `created`, then `id`), and each point with a GFS flag whose period
 * (the week, month or year of its `completed`, local time) is one of the last N of its
 * kind counted from `now`, the current one included. Never removes the newest point.
 */
export function applyRetention(points: readonly RetainedPoint[], retention: RetentionSpec, now: string, timeZone: string): RetentionDecision[] {
  return decideRetention(points, retention, localDayOf(now, timeZone), (point) => localDayOf(point.completed, timeZone));
}

/** applyRetention on the local day of `now`, with the local day of a point's `completed` from `dayOf` (callers may cache it). */
export function decideRetention(
  points: readonly RetainedPoint[],
  retention: RetentionSpec,
  nowDay: number,
  dayOf: (point: RetainedPoint) => number,
): RetentionDecision[] {
  const order = points.map((_, index) => index).sort((a, b) => compareCodeUnits(points[a]!.created, points[b]!.created) || compareCodeUnits(points[a]!.id, points[b]!.id));
  // 0: the newest point.
  const age = new Array<number>(points.length);
  order.forEach((index, position) => (age[index] = points.length - 1 - position));
  const weekday = retention.gfs?.weekday ?? 0;
  return points.map((point, index) => {
    const keptBy: string[] = [];
    const notKeptBy: string[] = [];
    if (age[index]! < retention.keepPoints) keptBy.push(newestWords(retention.keepPoints));
    else if (age[index] === 0) keptBy.push('the newest point, always kept');
    else notKeptBy.push(`older than the newest ${retention.keepPoints}`);
    const day = GFS_KINDS.some((kind) => point.gfs[kind]) ? dayOf(point) : 0;
    for (const kind of GFS_KINDS) {
      if (!point.gfs[kind]) continue;
      const count = retention.gfs?.[kind] ?? 0;
      const words = periodWords(kind, day, retention.gfs);
      if (count === 0) notKeptBy.push(`${words}: ${kind} points are no longer kept`);
      else if (periodOf(kind, nowDay, weekday) - periodOf(kind, day, weekday) < count) keptBy.push(`${words}, kept for ${periods(kind, count)}`);
      else notKeptBy.push(`${words} expired (kept for ${periods(kind, count)})`);
    }
    if (keptBy.length > 0) return { id: point.id, keep: true, reasons: keptBy };
    if (notKeptBy.length === 1) notKeptBy[0] += ' and no GFS flag keeps it';
    return { id: point.id, keep: false, reasons: notKeptBy };
  });
}
