import { formatBytes } from '../../shared/format/bytes.ts';
import type { SessionDetail } from '../../shared/domain/job.ts';
import type { MailMessage } from './mail.ts';
import { dateWords } from '../util/date-words.ts';

const RESULT_WORDS = { success: 'Success', warning: 'Warning', failed: 'Failed', stopped: 'Stopped' } as const;
/** Warnings and errors quoted from the session log; the console has the rest. */
const MAX_LOG_LINES = 50;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min ${s} s` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The mail report of a finished session: the job, its result, each workload with its reason, bytes and time. */
export function sessionReport(session: SessionDetail): MailMessage {
  const result = RESULT_WORDS[session.result ?? 'failed'];
  const ended = session.endedAt ?? new Date().toISOString();
  const lines = [
    `Job: ${session.jobName} (${session.kind === 'backup-copy' ? 'backup copy' : 'folder backup'})`,
    `Result: ${result}`,
    `Started: ${dateWords(session.startedAt)}`,
    `Ended: ${dateWords(ended)}`,
    `Duration: ${duration(Date.parse(ended) - Date.parse(session.startedAt))}`,
    `Read: ${formatBytes(session.bytesRead)}, new: ${formatBytes(session.bytesNew)}, stored: ${formatBytes(session.bytesStored)}`,
    '',
    `Workloads (${session.tasks.length}):`,
    ...session.tasks.map(
      (task) =>
        `- ${task.workload}: ${RESULT_WORDS[task.result]}${task.reason ? ` — ${task.reason}` : ''} (read ${formatBytes(task.bytesRead)}, stored ${formatBytes(task.bytesStored)}, ${duration(task.durationMs)})`,
    ),
  ];
  if (session.tasks.length === 0) lines.push('- none: the run ended before any workload (see below).');
  const notable = session.log.filter((line) => line.level !== 'info');
  if (notable.length > 0) {
    lines.push('', 'Warnings and errors:');
    for (const line of notable.slice(0, MAX_LOG_LINES)) lines.push(`- ${dateWords(line.at)} ${line.level}: ${line.message}`);
    if (notable.length > MAX_LOG_LINES) lines.push(`- … ${notable.length - MAX_LOG_LINES} more in the session log.`);
  }
  // The session's id finds it in History (its address ends with it) and in support requests.
  lines.push('', `Session ${session.id}`);
  return { subject: `[Ferry] ${result}: ${session.jobName}`, text: `${lines.join('\n')}\n` };
}
