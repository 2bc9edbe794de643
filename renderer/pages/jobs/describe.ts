import type { AnyScheduleSpec, JobSummary, ScheduleSpec } from '../../../shared/domain/job.ts';
import { formatDateTime, formatTimeOfDay } from '../../format/format.ts';

export const JOB_KIND_LABEL: Record<JobSummary['kind'], string> = {
  'folder-backup': 'Folder backup',
  'backup-copy': 'Backup copy',
};

const UNIT: Record<Extract<ScheduleSpec, { mode: 'periodic' }>['unit'], [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
};

/** A weekday's short name in the OS locale (0 = Sunday): Jan 4, 1970 was a Sunday. */
function weekdayName(day: number): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(1970, 0, 4 + day));
}

/** "HH:MM" as the OS locale writes a time of day ("22:00" / "10:00 PM"). */
function localTimeOfDay(at: string): string {
  const [hours, minutes] = at.split(':').map(Number);
  return formatTimeOfDay(new Date(2000, 0, 1, hours, minutes));
}

/** Weekdays Monday first, runs of three or more as a range: "Mon–Fri", "Sat, Sun", "every day". */
function describeWeekdays(weekdays: readonly number[]): string {
  if (new Set(weekdays).size === 7) return 'every day';
  const order = [1, 2, 3, 4, 5, 6, 0].filter((day) => weekdays.includes(day));
  const runs: number[][] = [];
  for (const day of order) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous !== undefined && (previous + 1) % 7 === day && previous !== 0) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap(([first = 0, ...rest]) => (rest.length >= 2 ? [`${weekdayName(first)}–${weekdayName(rest.at(-1) ?? first)}`] : [first, ...rest].map(weekdayName)))
    .join(', ');
}

/** A schedule in one short line for the list: "Manual", "Immediate", "Every 6 hours", "Mon–Fri 22:00". */
export function shortSchedule(schedule: AnyScheduleSpec): string {
  if (schedule.mode === 'manual') return 'Manual';
  if (schedule.mode === 'immediate') return 'Immediate';
  if (schedule.mode === 'daily') {
    const days = describeWeekdays(schedule.weekdays);
    return days === 'every day' ? `Daily ${localTimeOfDay(schedule.at)}` : `${days} ${localTimeOfDay(schedule.at)}`;
  }
  const [one, many] = UNIT[schedule.unit];
  const every = schedule.every === 1 ? `Every ${one}` : `Every ${schedule.every} ${many}`;
  return schedule.unit === 'days' ? `${every} at ${formatTimeOfDay(schedule.startAt)}` : every;
}

/** The whole schedule in words: "Every 6 hours from Nov 22, 2025, 1:00 AM, looking back for the newest point". */
export function describeSchedule(schedule: AnyScheduleSpec): string {
  if (schedule.mode === 'manual') return 'Manual: runs only when started';
  if (schedule.mode === 'immediate') return 'Immediate: copies each new restore point as it appears';
  if (schedule.mode === 'daily') return `Daily at ${localTimeOfDay(schedule.at)}, ${describeWeekdays(schedule.weekdays)}`;
  const [one, many] = UNIT[schedule.unit];
  const every = schedule.every === 1 ? `Every ${one}` : `Every ${schedule.every} ${many}`;
  const look =
    schedule.lookForward === undefined
      ? ''
      : schedule.lookForward
        ? ', copying only points made after each interval begins (look forward)'
        : ', copying the newest point not yet copied (look back)';
  return `${every} from ${formatDateTime(schedule.startAt)}${look}`;
}
