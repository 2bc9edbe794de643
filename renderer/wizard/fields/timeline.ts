import type { RetentionPreviewOutput } from '../../../shared/contract/retention.ts';

/**
 * What the retention timeline shows: the points retention still keeps at the end of the
 * simulation, each in one lane (its longest-lived flag, or "newest" without one), and the
 * same in words.
 */

export const LANES = ['yearly', 'monthly', 'weekly', 'newest'] as const;
export type Lane = (typeof LANES)[number];

export interface KeptPoint {
  completed: string;
  lane: Lane;
  /** A point that exists now (not simulated). */
  current: boolean;
}

type Flags = RetentionPreviewOutput['timeline'][number]['gfs'];

export function laneOf(gfs: Flags): Lane {
  if (gfs.yearly) return 'yearly';
  if (gfs.monthly) return 'monthly';
  return gfs.weekly ? 'weekly' : 'newest';
}

/** The points kept at `until`, oldest first. */
export function keptAtEnd(preview: RetentionPreviewOutput): KeptPoint[] {
  return preview.timeline
    .filter((point) => point.removedAt === null)
    .map((point) => ({ completed: point.completed, lane: laneOf(point.gfs), current: point.id !== null }))
    .sort((a, b) => Date.parse(a.completed) - Date.parse(b.completed));
}

const LANE_WORDS: Record<Lane, [string, string]> = {
  yearly: ['yearly point', 'yearly points'],
  monthly: ['monthly point', 'monthly points'],
  weekly: ['weekly point', 'weekly points'],
  newest: ['newest point without a flag', 'newest points without a flag'],
};

/**
 * The kept points in words, per lane with their dates: "3 yearly points (Jan 4, 2027 to
 * Jan 2, 2029)". `date` formats a moment (the OS locale).
 */
export function laneWords(kept: readonly KeptPoint[], date: (iso: string) => string): string[] {
  return LANES.flatMap((lane) => {
    const points = kept.filter((point) => point.lane === lane);
    if (points.length === 0) return [];
    const [one, many] = LANE_WORDS[lane];
    const first = date(points[0]!.completed);
    const last = date(points.at(-1)!.completed);
    const when = first === last ? first : `${first} to ${last}`;
    return [`${points.length} ${points.length === 1 ? one : many} (${when})`];
  });
}
