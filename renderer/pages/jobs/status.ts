import type { JobSummary } from '../../../shared/domain/job.ts';

/** What the job list says a job is doing, in the order the Status column sorts them. */
export const LIST_STATUSES = ['working', 'waiting-for-window', 'waiting-for-point', 'queued', 'idle', 'disabled', 'missing-repository'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const LIST_STATUS_LABEL: Record<ListStatus, string> = {
  working: 'Working',
  'waiting-for-window': 'Waiting for window',
  'waiting-for-point': 'Waiting for a point',
  queued: 'Queued',
  idle: 'Idle',
  disabled: 'Disabled',
  'missing-repository': 'Missing repository',
};

/**
 * A job's state for the list. A running copy paused by its window still runs (its session
 * goes on when the window opens); a job whose target is gone cannot run until it is back.
 */
export function listStatusOf(job: JobSummary): ListStatus {
  if (job.running) return job.status === 'waiting-for-window' ? 'waiting-for-window' : 'working';
  if (job.repositoryMissing) return 'missing-repository';
  if (!job.enabled || job.status === 'disabled') return 'disabled';
  return job.status;
}
