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
  newest: ['of the newest points', 'of the newest points'],
};

/**
 * The kept points in words, per lane with their dates: "1 yearly point (Jan 3, 2027)",
 * "11 more monthly points (Feb 7, 2027 to Dec 5, 2027)". A point is counted once, in its
 * longest-lived lane, so the lanes after the first say "more": a monthly point that is
 * also a week's is not counted again among the weekly ones. `date` formats a moment.
 */
export function laneWords(kept: readonly KeptPoint[], date: (iso: string) => string): string[] {
  const words: string[] = [];
  for (const lane of LANES) {
    const points = kept.filter((point) => point.lane === lane);
    if (points.length === 0) continue;
    const [one, many] = LANE_WORDS[lane];
    const first = date(points[0]!.completed);
    const last = date(points.at(-1)!.completed);
    const when = first === last ? first : `${first} to ${last}`;
    words.push(`${points.length}${words.length > 0 ? ' more' : ''} ${points.length === 1 ? one : many} (${when})`);
  }
  return words;
}
