import { formatBytes, formatDate } from '../../format/format.ts';

/** One capacity sample of a repository (repos.usage). */
export interface UsageSample {
  at: string;
  storedBytes: number;
  freeBytes: number | null;
  totalBytes: number | null;
}

/** The stored bytes over time, and the change in words ("Grew 1.2 GB since Nov 3"). */
export function describeGrowth(samples: readonly UsageSample[]): { points: { at: number; value: number }[]; words: string } {
  const points = samples.map((sample) => ({ at: Date.parse(sample.at), value: sample.storedBytes })).sort((a, b) => a.at - b.at);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return { points, words: 'No growth recorded yet: the engine samples each repository hourly and after each job run.' };
  if (points.length < 2) return { points, words: `${formatBytes(last.value)} of backups stored; growth shows after the next sample.` };
  const change = last.value - first.value;
  const since = formatDate(first.at);
  const trend = change > 0 ? `grew ${formatBytes(change)}` : change < 0 ? `shrank ${formatBytes(-change)}` : 'did not change';
  return { points, words: `${formatBytes(last.value)} of backups stored; ${trend} since ${since}.` };
}
