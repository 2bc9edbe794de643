import type { BackupCopyJob } from '../../../shared/domain/job.ts';
import { advancedDraftFrom, type AdvancedDraft, advancedErrors, advancedFromDraft, type AdvancedSpec } from '../fields/advanced.ts';
import { dataPathDraftFrom, type DataPathDraft, dataPathErrors, dataPathFromDraft } from '../fields/data-path.ts';
import { retentionDraftFrom, type RetentionDraft, retentionErrors, retentionFromDraft } from '../fields/retention.ts';
import {
  type RetryDraft,
  retryDraftFrom,
  retryErrors,
  retryFromDraft,
  type ScheduleDraft,
  scheduleDraftFrom,
  scheduleErrors,
  scheduleFromDraft,
} from '../fields/schedule.ts';
import { storageDraftFrom, type StorageDraft, storageErrors, storageFromDraft } from '../fields/storage.ts';
import type { FieldErrors } from '../fields/text.ts';
import { type WindowDraft, windowDraftFrom, windowErrors, windowFromDraft } from '../fields/window.ts';

/**
 * The parts of the copy wizard's draft whose fields live in renderer/wizard/fields/:
 * each a draft (text as typed) with `…PartFrom(job slice)` and `…FromPart(part)`, and
 * `copyPartErrors`, their messages worded at the field.
 */

export type RetentionPart = RetentionDraft;
export const retentionPartFrom = retentionDraftFrom;
export const retentionFromPart = (part: RetentionPart): BackupCopyJob['retention'] => retentionFromDraft(part, 'backup-copy');

/** Compression and encryption with the password fields; the password is never filled from a stored job. */
export type StoragePart = StorageDraft;
export const storagePartFrom = storageDraftFrom;
export const storageFromPart = storageFromDraft;

export type AdvancedPart = AdvancedDraft;
export const advancedPartFrom = (job: Partial<AdvancedSpec>): AdvancedPart => advancedDraftFrom(job);
export function advancedFromPart(part: AdvancedPart): Pick<BackupCopyJob, keyof AdvancedSpec> {
  const { rpoHours = Number.NaN, ...rest } = advancedFromDraft(part, 'backup-copy');
  return { ...rest, rpoHours };
}

export type DataPathPart = DataPathDraft;
export const dataPathPartFrom = dataPathDraftFrom;
export const dataPathFromPart = dataPathFromDraft;

type ScheduleSlice = Pick<BackupCopyJob, 'schedule' | 'retries' | 'window' | 'terminateOnWindowClose'>;

export interface SchedulePart {
  schedule: ScheduleDraft;
  retries: RetryDraft;
  window: WindowDraft;
  terminateOnWindowClose: boolean;
}
export const schedulePartFrom = (job: Partial<ScheduleSlice>, now = new Date()): SchedulePart => ({
  schedule: scheduleDraftFrom(job.schedule, now),
  retries: retryDraftFrom(job.retries),
  window: windowDraftFrom(job.window),
  terminateOnWindowClose: job.terminateOnWindowClose ?? false,
});
export function scheduleFromPart(part: SchedulePart): ScheduleSlice {
  const window = windowFromDraft(part.window);
  return {
    schedule: scheduleFromDraft(part.schedule, 'backup-copy') as BackupCopyJob['schedule'],
    retries: retryFromDraft(part.retries),
    ...(window ? { window } : {}),
    terminateOnWindowClose: part.terminateOnWindowClose,
  };
}

/** The parts' messages, worded at their fields (they win over zod's generic ones for the same path). */
export function copyPartErrors(draft: {
  retention: RetentionPart;
  storage: StoragePart;
  passwordStored: boolean;
  advanced: AdvancedPart;
  dataPath: DataPathPart;
  schedule: SchedulePart;
  enabled: boolean;
}): FieldErrors {
  return {
    ...retentionErrors(draft.retention, 'backup-copy'),
    ...storageErrors(draft.storage, draft.passwordStored),
    ...advancedErrors(draft.advanced, 'backup-copy'),
    ...dataPathErrors(draft.dataPath),
    ...scheduleErrors(draft.schedule.schedule, 'backup-copy'),
    ...retryErrors(draft.schedule.retries),
    ...windowErrors(draft.schedule.window, draft.enabled && draft.schedule.schedule.mode !== 'manual'),
  };
}
