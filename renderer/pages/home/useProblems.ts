import { useEffect, useState } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { request } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';
import { useSessions } from '../../store/sessions.ts';
import { DAY_MS, problemsOfLastDay } from './summary.ts';

/** Problems Home asks the engine for at most (it says when there are more). */
export const PROBLEM_LIMIT = 200;

/**
 * The failed and warning sessions of the last 24 hours, asked of the engine (however many
 * sessions ran since), again whenever the kept session list changes. Until the answer
 * comes, those among the kept sessions.
 */
export function useProblems(now: number): { sessions: SessionSummary[]; capped: boolean } {
  const items = useSessions((s) => s.items);
  const connected = useConnection((s) => s.state === 'connected');
  const [answer, setAnswer] = useState<SessionSummary[] | null>(null);
  useEffect(() => {
    if (!connected) return;
    let current = true;
    request('sessions.list', { results: ['failed', 'warning'], from: new Date(Date.now() - DAY_MS).toISOString(), limit: PROBLEM_LIMIT }).then(
      (sessions) => current && setAnswer(sessions),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [connected, items]);
  const sessions = problemsOfLastDay(answer ?? items, now);
  return { sessions, capped: (answer?.length ?? 0) >= PROBLEM_LIMIT };
}
