import { useEffect, useState } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request, SESSION_LIST_LIMIT } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';
import { useSessions } from '../../store/sessions.ts';
import { FILTERED_LIMIT, type HistoryFilter, isFiltered, listInput, matches } from './filters.ts';

export interface HistorySessions {
  status: 'loading' | 'ready' | 'error';
  message?: string;
  sessions: SessionSummary[];
  /** The engine had more than it sent: only the newest are listed. */
  capped: boolean;
}

/**
 * The sessions the filter lets through. Unfiltered, the newest sessions the console keeps
 * anyway; filtered, the engine is asked (again whenever that list changes: a run started
 * or ended), so an old session is found however many came after it.
 */
export function useHistorySessions(filter: HistoryFilter): HistorySessions {
  const items = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const connected = useConnection((s) => s.state === 'connected');
  const [answer, setAnswer] = useState<{ key: string; result: HistorySessions } | null>(null);
  const input = isFiltered(filter) ? listInput(filter) : null;
  const key = input ? JSON.stringify(input) : '';

  useEffect(() => {
    if (!key || !connected) return;
    let current = true;
    request('sessions.list', JSON.parse(key) as NonNullable<ReturnType<typeof listInput>>).then(
      (sessions) => current && setAnswer({ key, result: { status: 'ready', sessions, capped: sessions.length >= FILTERED_LIMIT } }),
      (error: unknown) =>
        current && setAnswer({ key, result: { status: 'error', message: `Could not load the sessions: ${(error as FerryError).message}`, sessions: [], capped: false } }),
    );
    return () => {
      current = false;
    };
  }, [key, connected, items]);

  if (!isFiltered(filter) || !input) {
    // Unfiltered, or a date range the page already says is wrong: the kept list.
    const sessions = isFiltered(filter) ? items.filter((session) => matches(session, filter)) : items;
    return { status: status === 'ready' ? 'ready' : status === 'error' ? 'error' : 'loading', sessions, capped: items.length >= SESSION_LIST_LIMIT };
  }
  if (answer?.key !== key) return { status: 'loading', sessions: [], capped: false };
  return { ...answer.result, sessions: answer.result.sessions.filter((session) => matches(session, filter)) };
}
