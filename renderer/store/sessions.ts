import { create } from 'zustand';
import type { JobSummary, SessionResult, SessionSummary } from '../../shared/domain/job.ts';
import type { LoadStatus } from './repositories.ts';

export interface SessionsStore {
  /** The newest sessions, newest first (running ones included). */
  items: SessionSummary[];
  status: LoadStatus;
  error: string | null;
}

export const useSessions = create<SessionsStore>()(() => ({
  items: [],
  status: 'idle',
  error: null,
}));

export function setSessions(items: SessionSummary[]): void {
  useSessions.setState({ items, status: 'ready', error: null });
}

/** The newest finished session of a job (its last result), if any is listed. */
export function lastFinishedSession(items: readonly SessionSummary[], jobId: string): SessionSummary | undefined {
  return items.find((session) => session.jobId === jobId && session.result !== null);
}

/** A job's last result: of its newest finished session (a running job's session has none yet). */
export function lastResultOf(job: JobSummary, items: readonly SessionSummary[]): SessionResult | null {
  if (job.running) return lastFinishedSession(items, job.id)?.result ?? null;
  return job.lastSession?.result ?? null;
}
