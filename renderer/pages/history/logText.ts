import type { SessionDetail } from '../../../shared/domain/job.ts';
import { formatDateTimeSeconds } from '../../format/format.ts';

export const LEVEL_LABEL = { info: 'INFO', warning: 'WARN', error: 'ERROR' } as const;

/** The log as plain text for the clipboard: a line each, its date and time in the OS locale. */
export function logText(log: SessionDetail['log']): string {
  return log.map((line) => `${formatDateTimeSeconds(line.at)}  ${LEVEL_LABEL[line.level].padEnd(5)}  ${line.message}\n`).join('');
}
