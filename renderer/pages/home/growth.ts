import type { UsageSample } from '../../../shared/domain/repository.ts';
import { formatBytes, formatDate } from '../../format/format.ts';


const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * The stored bytes over time, the change in words ("… grew 1.2 GB since Nov 3"), and
 * whether the chart's ticks are times of day (samples of a day or two) or dates.
 */
export function describeGrowth(samples: readonly UsageSample[]): { points: { at: number; value: number }[]; words: string; ticks: 'time' | 'date' } {
  const points = samples.map((sample) => ({ at: Date.parse(sample.at), value: sample.storedBytes })).sort((a, b) => a.at - b.at);
  const first = points[0];
  const last = points.at(-1);
  const ticks = first && last && last.at - first.at < TWO_DAYS_MS ? 'time' : 'date';
  if (!first || !last) return { points, ticks, words: 'No growth recorded yet: the engine samples each repository hourly and after each job run.' };
  if (points.length < 2) return { points, ticks, words: `${formatBytes(last.value)} of backups stored; growth shows after the next sample.` };
  const change = last.value - first.value;
  const since = formatDate(first.at);
  const trend = change > 0 ? `grew ${formatBytes(change)}` : change < 0 ? `shrank ${formatBytes(-change)}` : 'did not change';
  return { points, ticks, words: `${formatBytes(last.value)} of backups stored; ${trend} since ${since}.` };
}
