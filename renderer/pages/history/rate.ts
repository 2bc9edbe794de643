import type { RateSample } from '../../../shared/domain/job.ts';
import { formatBytes } from '../../format/format.ts';


/** The samples as chart points, and "Average 12 MB/s · peak 30 MB/s" in words. */
export function describeRate(samples: readonly RateSample[]): { points: { at: number; value: number }[]; words: string } {
  const points = samples.map((sample) => ({ at: Date.parse(sample.at), value: sample.bytesPerSecond })).sort((a, b) => a.at - b.at);
  if (points.length === 0) return { points, words: 'No rate recorded' };
  const peak = Math.max(...points.map((point) => point.value));
  // Time-weighted: samples are thinned on long runs, so each counts for the time until the next.
  let weighted = 0;
  let span = 0;
  for (let index = 0; index + 1 < points.length; index++) {
    const duration = points[index + 1]!.at - points[index]!.at;
    weighted += points[index]!.value * duration;
    span += duration;
  }
  const average = span > 0 ? weighted / span : points[0]!.value;
  return { points, words: `Average ${formatBytes(average)}/s · peak ${formatBytes(peak)}/s` };
}
