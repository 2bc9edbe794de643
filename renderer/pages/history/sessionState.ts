import type { SessionSummary } from '../../../shared/domain/job.ts';
import { JOB_KIND_LABEL } from '../jobs/describe.ts';

/** Unfinished in the catalog: running, as far as the engine last said. */
export function isRunning(session: Pick<SessionSummary, 'result' | 'endedAt'>): boolean {
  return session.result === null && session.endedAt === null;
}

/**
 * What the console can say of a session now. An unfinished one while the engine is not
 * connected is `unknown`: it may have ended or died meanwhile, so no clock counts on.
 */
export type SessionState = 'running' | 'unknown' | 'ended';

export function sessionState(session: Pick<SessionSummary, 'result' | 'endedAt'>, connected: boolean): SessionState {
  if (!isRunning(session)) return 'ended';
  return connected ? 'running' : 'unknown';
}

/** How long a session took, or has been running until `now` (null: unknown, the engine is away). */
export function sessionDuration(session: Pick<SessionSummary, 'startedAt' | 'endedAt'>, now: number): number {
  const end = session.endedAt ? Date.parse(session.endedAt) : now;
  return Math.max(0, end - Date.parse(session.startedAt));
}

export function kindLabel(kind: string): string {
  return kind in JOB_KIND_LABEL ? JOB_KIND_LABEL[kind as keyof typeof JOB_KIND_LABEL] : kind;
}

/** Said instead of a counting "Running" while the engine cannot be asked. */
export const UNKNOWN_STATE = 'Engine unavailable: state unknown';
