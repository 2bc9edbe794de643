import type { JobSummary, SessionResult } from '../../../shared/domain/job.ts';
import { formatCount, formatNumber } from '../../format/format.ts';
import { JOB_KIND_LABEL } from './describe.ts';
import { LIST_STATUS_LABEL, type ListStatus } from './status.ts';

/** What the list knows of a job beyond its summary, for filtering and words. */
export interface ListedJob {
  job: JobSummary;
  /** The target repository's name; null when it is no longer registered. */
  targetName: string | null;
  status: ListStatus;
  result: SessionResult | null;
  /** Its sources (copy jobs) or workloads (folder backup jobs), each in words. */
  sources: string[];
}

/** The line under a job's name: what it copies, or the workloads it backs up. */
export function sourcesLine(row: Pick<ListedJob, 'job' | 'sources'>): string {
  if (row.sources.length === 0) return row.job.kind === 'backup-copy' ? 'No source' : 'No workload';
  return row.job.kind === 'backup-copy' ? `From ${row.sources.join(', ')}` : `Backs up ${row.sources.join(', ')}`;
}

export const SHOW = {
  all: 'All jobs',
  running: 'Running',
  failed: 'Failed last time',
  warning: 'Warning last time',
  disabled: 'Disabled',
  missing: 'Missing repository',
  'folder-backup': 'Folder backups',
  'backup-copy': 'Backup copies',
} as const;
export type JobFilter = { text: string; show: keyof typeof SHOW };

/** Whether a row passes the search words (name, kind, sources, target, status) and the Show choice. */
export function matchesFilter(row: ListedJob, filter: JobFilter): boolean {
  const { job } = row;
  const shown =
    filter.show === 'all' ||
    (filter.show === 'running' && job.running) ||
    (filter.show === 'failed' && row.result === 'failed') ||
    (filter.show === 'warning' && row.result === 'warning') ||
    (filter.show === 'disabled' && !job.enabled) ||
    (filter.show === 'missing' && row.status === 'missing-repository') ||
    filter.show === job.kind;
  if (!shown) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [job.name, JOB_KIND_LABEL[job.kind], sourcesLine(row), row.targetName ?? '', LIST_STATUS_LABEL[row.status]].join(' ').toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Counts for the line above the list: "12 jobs · 2 running · 1 failed last time". */
export function describeJobs(jobs: readonly JobSummary[]): string {
  const running = jobs.filter((job) => job.running).length;
  const failed = jobs.filter((job) => !job.running && job.lastSession?.result === 'failed').length;
  const parts = [formatCount(jobs.length, 'job', 'jobs')];
  if (running > 0) parts.push(`${formatNumber(running)} running`);
  if (failed > 0) parts.push(`${formatNumber(failed)} failed last time`);
  return parts.join(' · ');
}

