import type { SessionResult, SessionSummary } from '../../../shared/domain/job.ts';
import { isRunning } from './sessionState.ts';

export const ALL = 'all';
export type ResultFilter = typeof ALL | SessionResult | 'running';

/** What the History list is narrowed to; dates as the date fields give them (YYYY-MM-DD, local). */
export interface HistoryFilter {
  job: string;
  result: ResultFilter;
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { job: ALL, result: ALL, from: '', to: '' };

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.job !== ALL || filter.result !== ALL || filter.from !== '' || filter.to !== '';
}

/** A job as the filter knows it: by id, or by name once the job is deleted. */
export function jobKey(session: Pick<SessionSummary, 'jobId' | 'jobName'>): string {
  return session.jobId ?? `name:${session.jobName}`;
}

/** Local midnight of a YYYY-MM-DD day, or null when the text is not one. */
function localDay(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date.getMonth() === Number(match[2]) - 1 ? date : null;
}

/**
 * The start of the range (the From day's local midnight) and its end (the midnight after
 * the To day), as ISO times for `sessions.list`; or the date field at fault.
 */
export function dateRange(filter: Pick<HistoryFilter, 'from' | 'to'>): { from?: string; to?: string } | { field: 'from' | 'to'; message: string } {
  const from = filter.from === '' ? null : localDay(filter.from);
  const to = filter.to === '' ? null : localDay(filter.to);
  if (filter.from !== '' && !from) return { field: 'from', message: 'Enter a date.' };
  if (filter.to !== '' && !to) return { field: 'to', message: 'Enter a date.' };
  const end = to ? new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1) : null;
  if (from && end && from >= end) return { field: 'to', message: 'The range ends before it starts: choose a later date.' };
  return { ...(from ? { from: from.toISOString() } : {}), ...(end ? { to: end.toISOString() } : {}) };
}

/** Whether a session is in the filter (what the engine's filters do, and "running" besides). */
export function matches(session: SessionSummary, filter: HistoryFilter): boolean {
  if (filter.job !== ALL && jobKey(session) !== filter.job) return false;
  if (filter.result === 'running' ? !isRunning(session) : filter.result !== ALL && session.result !== filter.result) return false;
  const range = dateRange(filter);
  if ('field' in range) return true;
  const started = Date.parse(session.startedAt);
  if (range.from && started < Date.parse(range.from)) return false;
  if (range.to && started >= Date.parse(range.to)) return false;
  return true;
}

/** Sessions a filtered query asks the engine for at most. */
export const FILTERED_LIMIT = 1000;

/** The sessions.list input of a filter: what the engine filters (a deleted job by name and "running" are left to `matches`). */
export function listInput(filter: HistoryFilter): { jobId?: string; results?: SessionResult[]; from?: string; to?: string; limit: number } | null {
  const range = dateRange(filter);
  if ('field' in range) return null;
  return {
    ...(filter.job !== ALL && !filter.job.startsWith('name:') ? { jobId: filter.job } : {}),
    ...(filter.result !== ALL && filter.result !== 'running' ? { results: [filter.result] } : {}),
    ...range,
    limit: FILTERED_LIMIT,
  };
}
