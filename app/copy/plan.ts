/**
 * Which restore points a copy run takes: pure functions over manifests, so the rules
 * ("never twice", "newest complete first", "catch up in order") are tested on their own.
 */

import { compareCodeUnits } from '../../shared/util/compare.ts';

export interface PointIdentity {
  id: string;
  backupId: string;
  created: string;
  lineage: { backupId: string; pointId: string; origin?: { backupId: string; pointId: string } | undefined } | null;
}

export interface Origin {
  backupId: string;
  pointId: string;
}

/** The primary point a point's chain started at: itself for a primary backup's point. */
export function originOf(point: PointIdentity): Origin {
  if (point.lineage === null) return { backupId: point.backupId, pointId: point.id };
  return point.lineage.origin ?? { backupId: point.lineage.backupId, pointId: point.lineage.pointId };
}

export function originKey(origin: Origin): string {
  return `${origin.backupId}/${origin.pointId}`;
}

/**
 * 'newest': the newest point not copied yet (periodic and manual runs); 'catch-up':
 * every point not copied yet, oldest first (immediate mode).
 */
export type PickMode = 'newest' | 'catch-up';

const time = (point: PointIdentity) => Date.parse(point.created);

function byCreated(a: PointIdentity, b: PointIdentity): number {
  return time(a) - time(b) || compareCodeUnits(a.id, b.id);
}

/**
 * The candidates (a workload's complete points in the sources) to copy, in copy order.
 * A candidate is never taken when its origin is already on the target, nor when it is
 * not newer than the target's newest point of the workload (a chain only moves
 * forward). One point reached by several routes (the primary and a copy of it) is
 * taken once, from the primary when it is among the candidates.
 */
export function pointsToCopy<C extends { point: PointIdentity }>(
  candidates: readonly C[],
  target: { copied: ReadonlySet<string>; newest: PointIdentity | undefined },
  mode: PickMode,
): C[] {
  const since = target.newest ? time(target.newest) : Number.NEGATIVE_INFINITY;
  const chosen = new Map<string, C>();
  for (const candidate of candidates) {
    const key = originKey(originOf(candidate.point));
    if (target.copied.has(key) || time(candidate.point) <= since) continue;
    const other = chosen.get(key);
    if (!other || (other.point.lineage !== null && candidate.point.lineage === null)) chosen.set(key, candidate);
  }
  const fresh = [...chosen.values()].sort((a, b) => byCreated(a.point, b.point));
  return mode === 'newest' ? fresh.slice(-1) : fresh;
}
