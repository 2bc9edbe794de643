import type { JobStatus, JobSummary, SessionResult, SessionSummary } from '../../../shared/domain/job.ts';
import { formatNumber } from '../../format/format.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Job states in the order Home lists them, with the words it uses. */
export const STATUS_WORDS: Record<JobStatus | 'missing-repository', string> = {
  working: 'working',
  queued: 'queued',
  'waiting-for-window': 'waiting for their window',
  'waiting-for-point': 'waiting for a point',
  idle: 'idle',
  disabled: 'disabled',
  'missing-repository': 'missing their repository',
};
export type HomeJobState = keyof typeof STATUS_WORDS;

/** What Home counts a job as: a disabled job is disabled whatever the scheduler says. */
export function homeStateOf(job: JobSummary): HomeJobState {
  if (job.repositoryMissing) return 'missing-repository';
  if (!job.enabled) return 'disabled';
  return job.status;
}

/** How many jobs are in each state, in STATUS_WORDS order, zeros left out. */
export function countStates(jobs: readonly JobSummary[]): { state: HomeJobState; count: number }[] {
  const counts = new Map<HomeJobState, number>();
  for (const job of jobs) counts.set(homeStateOf(job), (counts.get(homeStateOf(job)) ?? 0) + 1);
  return (Object.keys(STATUS_WORDS) as HomeJobState[]).filter((state) => counts.has(state)).map((state) => ({ state, count: counts.get(state)! }));
}

/**
 * Results in the order they matter to an admin: what failed first. A stop by the user is
 * its own result, never counted as a failure.
 */
export const RESULT_ORDER: readonly SessionResult[] = ['failed', 'warning', 'stopped', 'success'];

export const RESULT_WORDS: Record<SessionResult, string> = { failed: 'failed', warning: 'with warnings', stopped: 'stopped', success: 'succeeded' };

export function countResults(results: readonly (SessionResult | null)[]): Map<SessionResult, number> {
  const counts = new Map<SessionResult, number>();
  for (const result of results) if (result) counts.set(result, (counts.get(result) ?? 0) + 1);
  return counts;
}

/** "1 failed · 2 succeeded": the non-zero counts, worst first. */
export function describeResults(counts: Map<SessionResult, number>): string[] {
  return RESULT_ORDER.filter((result) => (counts.get(result) ?? 0) > 0).map((result) => `${formatNumber(counts.get(result)!)} ${RESULT_WORDS[result]}`);
}

/** Only failures and warnings need the admin; a stopped session was the admin's own doing. */
export function isProblem(result: SessionResult | null): boolean {
  return result === 'failed' || result === 'warning';
}

/** The failed and warning sessions that started in the 24 hours before `now`, newest first. */
export function problemsOfLastDay(sessions: readonly SessionSummary[], now: number): SessionSummary[] {
  return sessions.filter((session) => isProblem(session.result) && now - Date.parse(session.startedAt) < DAY_MS && Date.parse(session.startedAt) <= now);
}

/** The next `count` planned runs, soonest first (disabled jobs plan none). */
export function nextRuns(jobs: readonly JobSummary[], count: number): (JobSummary & { nextRun: string })[] {
  return jobs
    .filter((job): job is JobSummary & { nextRun: string } => job.enabled && job.nextRun !== null)
    .sort((a, b) => Date.parse(a.nextRun) - Date.parse(b.nextRun) || a.name.localeCompare(b.name))
    .slice(0, count);
}

/** Copy jobs with workloads past their RPO, the most late workloads first. */
export function rpoWarnings(jobs: readonly JobSummary[]): (JobSummary & { rpo: NonNullable<JobSummary['rpo']> })[] {
  return jobs
    .filter((job): job is JobSummary & { rpo: NonNullable<JobSummary['rpo']> } => job.rpo !== null && job.rpo.late.length > 0)
    .sort((a, b) => b.rpo.late.length - a.rpo.late.length || a.name.localeCompare(b.name));
}
