import type { SessionSummary } from '../../../shared/domain/job.ts';
import { SESSION_LIST_LIMIT } from '../../connection/engine.ts';
import { useSessions } from '../../store/sessions.ts';
import { type HistoryFilter, matches } from './filters.ts';

export interface HistorySessions {
  status: 'loading' | 'ready' | 'error';
  message?: string;
  sessions: SessionSummary[];
  /** The engine had more than it sent: only the newest are listed. */
  capped: boolean;
}

/** The sessions the filter lets through. */
export function useHistorySessions(filter: HistoryFilter): HistorySessions {
  const items = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const sessions = items.filter((session) => matches(session, filter));
  return { status: status === 'ready' ? 'ready' : status === 'error' ? 'error' : 'loading', sessions, capped: items.length >= SESSION_LIST_LIMIT };
}
