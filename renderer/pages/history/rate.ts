import type { RateSample } from '../../../shared/domain/job.ts';
import { formatBytes } from '../../format/format.ts';


/**
 * The samples as chart points from the session's start, and "Average 12 MB/s · peak 30 MB/s".
 * A sample is the average rate since the one before (the first: since the start), so each
 * weighs for its span: the average is what moved over the time it took.
 */
export function describeRate(samples: readonly RateSample[], startedAt: string): { points: { at: number; value: number }[]; spanMs: number; words: string } {
  const sorted = samples.map((sample) => ({ at: Date.parse(sample.at), value: sample.bytesPerSecond })).sort((a, b) => a.at - b.at);
  const first = sorted[0];
  if (!first) return { points: [], spanMs: 0, words: 'No rate recorded' };
  const start = Math.min(Date.parse(startedAt), first.at);
  const points = [{ at: start, value: first.value }, ...sorted];
  let moved = 0;
  for (let index = 1; index < points.length; index++) moved += points[index]!.value * (points[index]!.at - points[index - 1]!.at);
  const span = points.at(-1)!.at - start;
  const average = span > 0 ? moved / span : first.value;
  const peak = Math.max(...sorted.map((point) => point.value));
  return { points, spanMs: span, words: `Average ${formatBytes(average)}/s · peak ${formatBytes(peak)}/s` };
}
