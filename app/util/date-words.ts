import { processTimeZone } from '../../shared/schedule/local-time.ts';

/**
 * A moment as a person reads it in a session log or a message ("7 Dec 2026, 10:00:05"),
 * in the engine's time zone: never an ISO time. Text that is no date is given back as it is.
 */
export function dateWords(at: string | number | Date, timeZone = processTimeZone()): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone }).format(date);
}
