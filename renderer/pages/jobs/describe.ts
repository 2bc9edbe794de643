import type { CopyScheduleSpec, JobSummary, ScheduleSpec } from '../../../shared/domain/job.ts';
import { formatDateTime } from '../../format/format.ts';

export const JOB_KIND_LABEL: Record<JobSummary['kind'], string> = {
  'folder-backup': 'Folder backup',
  'backup-copy': 'Backup copy',
};

const UNIT: Record<Extract<ScheduleSpec, { mode: 'periodic' }>['unit'], [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
};

/** "Manual", "Immediate", or "Every 6 hours from Nov 22, 2025, 1:00 AM". */
export function describeSchedule(schedule: CopyScheduleSpec): string {
  if (schedule.mode === 'manual') return 'Manual';
  if (schedule.mode === 'immediate') return 'Immediate (each new point)';
  const [one, many] = UNIT[schedule.unit];
  const every = schedule.every === 1 ? `Every ${one}` : `Every ${schedule.every} ${many}`;
  return `${every} from ${formatDateTime(schedule.startAt)}`;
}
