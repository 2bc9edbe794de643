import type { AnyScheduleSpec, RetentionSpec } from '../../../shared/domain/job.ts';
import { retentionErrors, retentionFromDraft, type RetentionDraft } from './retention.ts';
import { type JobKind, type ScheduleDraft, scheduleErrors, scheduleFromDraft } from './schedule.ts';

/** What the previews ask the engine about: a part as the job would store it, or null while its fields have a message. */

export function validRetention(draft: RetentionDraft, kind: JobKind = 'backup-copy'): RetentionSpec | null {
  return Object.keys(retentionErrors(draft, kind)).length === 0 ? retentionFromDraft(draft, kind) : null;
}

export function validSchedule(draft: ScheduleDraft, kind: JobKind = 'backup-copy'): AnyScheduleSpec | null {
  return Object.keys(scheduleErrors(draft, kind)).length === 0 ? scheduleFromDraft(draft, kind) : null;
}
