import type { z } from 'zod';
import { storageSpec } from '../../../shared/domain/job.ts';
import { type FieldErrors, schemaErrors } from './text.ts';

/**
 * Compression and encryption as the wizard holds them. The password is never part of
 * the definition (the engine keeps it in its secret store) and never comes back to the
 * page: editing a job whose password is stored leaves the fields empty, and an empty
 * password then keeps the stored one.
 */

type StorageSpec = z.infer<typeof storageSpec>;

export interface StorageDraft {
  compressionLevel: number;
  encrypted: boolean;
  password: string;
  repeatPassword: string;
  passwordHint: string;
}

export const DEFAULT_COMPRESSION = 3;
export const MIN_COMPRESSION = 1;
export const MAX_COMPRESSION = 19;

export function storageDraftFrom(spec: Partial<StorageSpec> | undefined): StorageDraft {
  return {
    compressionLevel: spec?.compressionLevel ?? DEFAULT_COMPRESSION,
    encrypted: spec?.encrypted ?? false,
    password: '',
    repeatPassword: '',
    passwordHint: spec?.passwordHint ?? '',
  };
}

export function storageFromDraft(draft: StorageDraft): StorageSpec {
  const hint = draft.passwordHint.trim();
  return {
    compressionLevel: draft.compressionLevel,
    encrypted: draft.encrypted,
    ...(draft.encrypted && hint ? { passwordHint: hint } : {}),
  };
}

/** The password jobs.create / jobs.update take: absent when not encrypted, or when the stored one stays. */
export function passwordFromDraft(draft: StorageDraft): string | undefined {
  return draft.encrypted && draft.password ? draft.password : undefined;
}

/**
 * Keyed `storage.compressionLevel`, `storage.passwordHint`, `password`, `repeatPassword`.
 * `passwordStored`: editing an encrypted job whose password the engine keeps (an empty
 * password keeps it).
 */
export function storageErrors(draft: StorageDraft, passwordStored: boolean): FieldErrors {
  const errors = schemaErrors(storageSpec, storageFromDraft(draft), 'storage');
  if (errors['storage.compressionLevel']) errors['storage.compressionLevel'] = `Choose a level from ${MIN_COMPRESSION} to ${MAX_COMPRESSION}.`;
  if (errors['storage.passwordHint']) errors['storage.passwordHint'] = 'Keep the hint under 200 characters.';
  if (!draft.encrypted) return errors;
  if (!draft.password && !passwordStored) errors.password = 'Enter a password: the backup is encrypted with it.';
  else if (draft.password.length > 1024) errors.password = 'Use at most 1,024 characters.';
  else if (draft.password && draft.repeatPassword !== draft.password) errors.repeatPassword = 'The passwords do not match.';
  if (draft.password.length >= 4 && draft.passwordHint.includes(draft.password)) {
    errors['storage.passwordHint'] ??= 'The hint contains the password: it is stored unencrypted. Write something that only reminds you.';
  }
  return errors;
}

/** A compression level in words, for the slider and the summary. */
export function describeCompression(level: number): string {
  if (level <= 2) return 'fastest, larger backups';
  if (level <= 5) return 'fast, good savings';
  if (level <= 12) return 'slower, smaller backups';
  return 'slowest, smallest backups';
}
