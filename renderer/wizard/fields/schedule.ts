import {
  type AnyScheduleSpec,
  copyScheduleSpec,
  DEFAULT_RETRIES,
  type RetrySpec,
  retrySpec,
  scheduleSpec,
} from '../../../shared/domain/job.ts';
import { type FieldErrors, schemaErrors, wholeNumber, wholeNumberError } from './text.ts';

/**
 * When a job runs by itself, as the wizard's Schedule step holds it. Folder backup jobs:
 * manual, periodic or daily; backup copy jobs: manual, immediate or periodic (with look
 * back or look forward). Numbers and times stay as typed until the job is saved.
 */

export type JobKind = 'folder-backup' | 'backup-copy';
export type ScheduleMode = AnyScheduleSpec['mode'];
export type PeriodUnit = 'minutes' | 'hours' | 'days';

export interface ScheduleDraft {
  mode: ScheduleMode;
  /** Periodic: every N units, as typed. */
  every: string;
  unit: PeriodUnit;
  /** Periodic: the first run in the page's local time, "YYYY-MM-DDTHH:MM" (a datetime-local input). */
  startAt: string;
  /** The stored first run this draft was made from: kept exactly (seconds, offset) while `startAt` is unchanged. */
  storedStartAt: string | null;
  /** Copy jobs, periodic: only points created after the interval began. */
  lookForward: boolean;
  /** Folder jobs, daily: the time of day "HH:MM" and the weekdays (0 = Sunday). */
  at: string;
  weekdays: number[];
}

export const MODES: Record<JobKind, readonly ScheduleMode[]> = {
  'folder-backup': ['manual', 'periodic', 'daily'],
  'backup-copy': ['manual', 'immediate', 'periodic'],
};

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
/** New schedules run at night, when the office is quiet. */
const DEFAULT_TIME = '22:00';

const pad = (value: number) => String(value).padStart(2, '0');

/** A moment as a datetime-local value in the page's time zone ("2026-12-08T22:00"). */
export function localDateTimeText(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A datetime-local value as a moment of the page's time zone; null when it is not a real date and time. */
export function parseLocalDateTime(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hours, minutes] = match.slice(1).map(Number) as [number, number, number, number, number];
  const at = new Date(year, month - 1, day, hours, minutes);
  // new Date rolls 31 February over into March: refuse what does not exist as typed.
  if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day || hours > 23 || minutes > 59) return null;
  return at;
}

/** The next 22:00 after `now`: the first run a new periodic schedule suggests. */
export function defaultStart(now: Date): Date {
  const tonight = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 22, 0);
  return tonight.getTime() > now.getTime() ? tonight : new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 22, 0);
}

/** The draft of a stored schedule (absent: manual); `now` picks the suggested first run. */
export function scheduleDraftFrom(spec: AnyScheduleSpec | undefined, now: Date): ScheduleDraft {
  const draft: ScheduleDraft = {
    mode: spec?.mode ?? 'manual',
    every: '1',
    unit: 'days',
    startAt: localDateTimeText(defaultStart(now)),
    storedStartAt: null,
    lookForward: false,
    at: DEFAULT_TIME,
    weekdays: [...EVERY_DAY],
  };
  if (spec?.mode === 'periodic') {
    draft.every = String(spec.every);
    draft.unit = spec.unit;
    draft.startAt = localDateTimeText(new Date(spec.startAt));
    draft.storedStartAt = spec.startAt;
    draft.lookForward = spec.lookForward ?? false;
  } else if (spec?.mode === 'daily') {
    draft.at = spec.at;
    draft.weekdays = [...spec.weekdays].sort((a, b) => a - b);
  }
  return draft;
}

/** The first run as the definition stores it (ISO), or the text itself when it is no date (the schema refuses it). */
function startAtOf(draft: ScheduleDraft): string {
  if (draft.storedStartAt && localDateTimeText(new Date(draft.storedStartAt)) === draft.startAt) return draft.storedStartAt;
  return parseLocalDateTime(draft.startAt)?.toISOString() ?? draft.startAt;
}

/** The schedule the draft describes for a job of `kind` (not yet validated; numbers that are not numbers are NaN). */
export function scheduleFromDraft(draft: ScheduleDraft, kind: JobKind): AnyScheduleSpec {
  switch (draft.mode) {
    case 'manual':
    case 'immediate':
      return { mode: draft.mode };
    case 'daily':
      return { mode: 'daily', at: draft.at.trim(), weekdays: [...draft.weekdays].sort((a, b) => a - b) };
    case 'periodic':
      return {
        mode: 'periodic',
        every: wholeNumber(draft.every),
        unit: draft.unit,
        startAt: startAtOf(draft),
        ...(kind === 'backup-copy' ? { lookForward: draft.lookForward } : {}),
      };
  }
}

/** The schedule's problems, keyed `schedule.every`, `schedule.startAt`, `schedule.at`, `schedule.weekdays`, `schedule.mode`. */
export function scheduleErrors(draft: ScheduleDraft, kind: JobKind): FieldErrors {
  const known: FieldErrors = {};
  if (!MODES[kind].includes(draft.mode)) known['schedule.mode'] = 'Choose when the job runs.';
  if (draft.mode === 'periodic') {
    wholeNumberError(known, 'schedule.every', draft.every, 'Enter how often it runs as a whole number, e.g. 4.');
    if (!parseLocalDateTime(draft.startAt) && startAtOf(draft) !== draft.storedStartAt) known['schedule.startAt'] = 'Enter the first run as a date and a time.';
  }
  if (draft.mode === 'daily' && draft.weekdays.length === 0) known['schedule.weekdays'] = 'Choose at least one day.';
  const schema = kind === 'backup-copy' ? copyScheduleSpec : scheduleSpec;
  return schemaErrors(schema, scheduleFromDraft(draft, kind), 'schedule', known);
}

/** Retries of a failed run, as typed. */
export interface RetryDraft {
  count: string;
  intervalMinutes: string;
}

export function retryDraftFrom(spec: RetrySpec | undefined): RetryDraft {
  const retries = spec ?? DEFAULT_RETRIES;
  return { count: String(retries.count), intervalMinutes: String(retries.intervalMinutes) };
}

export function retryFromDraft(draft: RetryDraft): RetrySpec {
  return { count: wholeNumber(draft.count), intervalMinutes: wholeNumber(draft.intervalMinutes) };
}

/** Keyed `retries.count`, `retries.intervalMinutes`. */
export function retryErrors(draft: RetryDraft): FieldErrors {
  const known: FieldErrors = {};
  wholeNumberError(known, 'retries.count', draft.count, 'Enter a whole number of retries: 0 for none.');
  wholeNumberError(known, 'retries.intervalMinutes', draft.intervalMinutes, 'Enter a whole number of minutes.');
  return schemaErrors(retrySpec, retryFromDraft(draft), 'retries', known);
}
