import type { AnyScheduleSpec, JobSummary, ScheduleSpec } from '../../../shared/domain/job.ts';
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

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Manual", "Immediate", "Every 6 hours from Nov 22, 2025, 1:00 AM" or "Daily at 22:00 (Mon, Tue)". */
export function describeSchedule(schedule: AnyScheduleSpec): string {
  if (schedule.mode === 'manual') return 'Manual';
  if (schedule.mode === 'immediate') return 'Immediate (each new point)';
  if (schedule.mode === 'daily') {
    const days = schedule.weekdays.length === 7 ? 'every day' : [...schedule.weekdays].sort().map((day) => WEEKDAY[day]).join(', ');
    return `Daily at ${schedule.at} (${days})`;
  }
  const [one, many] = UNIT[schedule.unit];
  const every = schedule.every === 1 ? `Every ${one}` : `Every ${schedule.every} ${many}`;
  return `${every} from ${formatDateTime(schedule.startAt)}`;
}
