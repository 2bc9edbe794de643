import {
  type BackupCopyJob,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_RETRIES,
  type DataPathSpec,
  type RetentionSpec,
} from '../../../shared/domain/job.ts';

/**
 * The parts of the copy wizard's draft whose fields H4 writes (renderer/wizard/fields/).
 * Each is a draft type with `…PartFrom(job slice)` and `…FromPart(part)`; until a field
 * component lands, its part is the definition's own slice, passed through unchanged.
 * H4: replace a part here by a re-export of yours (same names), the rest follows.
 */

export type RetentionPart = RetentionSpec;
export const retentionPartFrom = (retention: RetentionSpec | undefined): RetentionPart => retention ?? { keepPoints: 7 };
export const retentionFromPart = (part: RetentionPart): RetentionSpec => part;

/** Storage with the password fields; the password is never filled from a stored job. */
export interface StoragePart {
  compressionLevel: number;
  encrypted: boolean;
  password: string;
  repeatPassword: string;
  passwordHint: string;
}
export const storagePartFrom = (storage: BackupCopyJob['storage'] | undefined): StoragePart => ({
  compressionLevel: storage?.compressionLevel ?? 3,
  encrypted: storage?.encrypted ?? false,
  password: '',
  repeatPassword: '',
  passwordHint: storage?.passwordHint ?? '',
});
export const storageFromPart = (part: StoragePart): BackupCopyJob['storage'] => ({
  compressionLevel: part.compressionLevel,
  encrypted: part.encrypted,
  ...(part.encrypted && part.passwordHint.trim() ? { passwordHint: part.passwordHint.trim() } : {}),
});

/** The password fields' messages: a new encrypted backup needs a password, typed twice alike. */
export function passwordErrors(storage: StoragePart, passwordStored: boolean): Record<string, string> {
  if (!storage.encrypted) return {};
  if (!storage.password) return passwordStored ? {} : { password: 'Enter a password: the backup is encrypted with it.' };
  if (storage.password.length > 1024) return { password: 'Use at most 1,024 characters.' };
  return storage.repeatPassword === storage.password ? {} : { repeatPassword: 'The passwords do not match.' };
}

export type AdvancedPart = Pick<BackupCopyJob, 'healthCheck' | 'removeDeletedWorkloadsAfterDays' | 'mailReport' | 'scripts' | 'rpoHours'>;
export const advancedPartFrom = (job: Partial<AdvancedPart>): AdvancedPart => ({
  healthCheck: job.healthCheck ?? DEFAULT_HEALTH_CHECK,
  removeDeletedWorkloadsAfterDays: job.removeDeletedWorkloadsAfterDays ?? 30,
  mailReport: job.mailReport ?? { onSuccess: false, onWarning: true, onFailure: true },
  scripts: job.scripts ?? { before: null, after: null },
  rpoHours: job.rpoHours ?? 48,
});
export const advancedFromPart = (part: AdvancedPart): AdvancedPart => part;

export type DataPathPart = DataPathSpec;
export const dataPathPartFrom = (dataPath: DataPathSpec | undefined): DataPathPart => dataPath ?? { parallelWorkloads: 2, throttleBytesPerSecond: null };
export const dataPathFromPart = (part: DataPathPart): DataPathSpec => part;

export type SchedulePart = Pick<BackupCopyJob, 'schedule' | 'retries' | 'window' | 'terminateOnWindowClose'>;
export const schedulePartFrom = (job: Partial<SchedulePart>): SchedulePart => ({
  schedule: job.schedule ?? { mode: 'manual' },
  retries: job.retries ?? DEFAULT_RETRIES,
  ...(job.window ? { window: job.window } : {}),
  terminateOnWindowClose: job.terminateOnWindowClose ?? false,
});
export const scheduleFromPart = (part: SchedulePart): SchedulePart => part;
