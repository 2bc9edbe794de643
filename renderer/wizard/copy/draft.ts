import { acceptedJobDefinition, type BackupCopyJob, type CopySource } from '../../../shared/domain/job.ts';
import { errorsFromIssues, type FieldErrors, type WizardMode } from '../fields-of.ts';
import {
  type AdvancedPart,
  advancedFromPart,
  advancedPartFrom,
  copyPartErrors,
  type DataPathPart,
  dataPathFromPart,
  dataPathPartFrom,
  type RetentionPart,
  retentionFromPart,
  retentionPartFrom,
  type SchedulePart,
  scheduleFromPart,
  schedulePartFrom,
  type StoragePart,
  storageFromPart,
  storagePartFrom,
} from './parts.ts';

/**
 * The backup copy job wizard as plain data: what the form holds, how it comes from a
 * stored job (edit, clone) and becomes a definition, and every problem of it keyed by
 * the definition's dotted path, checked with the engine's own schema.
 */

/** A source as the job stores it, with a key that stays put when another is removed. */
export type SourceDraft = CopySource & { key: number };

export interface CopyDraft {
  name: string;
  description: string;
  sources: SourceDraft[];
  /** Workload names never copied. */
  exclusions: string[];
  repositoryId: string;
  retention: RetentionPart;
  /** The backup folder of the target to continue (a seed), or '' for a new backup. */
  mapping: string;
  storage: StoragePart;
  allowPlaintext: boolean;
  advanced: AdvancedPart;
  dataPath: DataPathPart;
  schedule: SchedulePart;
  enabled: boolean;
  /** Edit: the job being changed (its own backup may be mapped); null for a new job or a clone. */
  jobId: string | null;
  /** Edit of an encrypted job: its password is stored, an empty password field keeps it. */
  passwordStored: boolean;
  /** Start a run once the job is saved. */
  runNow: boolean;
}

let nextKey = 1;

export function withKey(source: CopySource): SourceDraft {
  return { ...source, key: nextKey++ };
}

export function emptyCopyDraft(repositoryId = ''): CopyDraft {
  return {
    name: '',
    description: '',
    sources: [],
    exclusions: [],
    repositoryId,
    retention: retentionPartFrom(undefined),
    mapping: '',
    storage: storagePartFrom(undefined),
    allowPlaintext: false,
    advanced: advancedPartFrom({}),
    dataPath: dataPathPartFrom(undefined),
    schedule: schedulePartFrom({}),
    enabled: true,
    jobId: null,
    passwordStored: false,
    runNow: true,
  };
}

/** The draft of a stored job: to edit it, or (clone) to make another like it. */
export function copyDraftFrom(job: BackupCopyJob, jobId: string, mode: WizardMode): CopyDraft {
  const clone = mode === 'clone';
  return {
    name: clone ? cloneName(job.name) : job.name,
    description: job.description,
    sources: job.sources.map(withKey),
    exclusions: [...job.exclusions],
    repositoryId: job.repositoryId,
    retention: retentionPartFrom(job.retention),
    // A clone writes a backup of its own: it does not continue the original's.
    mapping: clone ? '' : (job.mapping?.folder ?? ''),
    storage: storagePartFrom(job.storage),
    allowPlaintext: job.allowPlaintext,
    advanced: advancedPartFrom(job),
    dataPath: dataPathPartFrom(job.dataPath),
    schedule: schedulePartFrom(job),
    enabled: job.enabled,
    jobId: clone ? null : jobId,
    passwordStored: !clone && job.storage.encrypted,
    runNow: false,
  };
}

/** "Copy of Daily", kept within the 64 characters of a job name. */
export function cloneName(name: string): string {
  return `Copy of ${name}`.slice(0, 64).trim();
}

/** The definition the draft describes (not yet validated). */
export function copyDefinitionOf(draft: CopyDraft): BackupCopyJob {
  return {
    kind: 'backup-copy',
    name: draft.name,
    description: draft.description.trim(),
    sources: draft.sources.map(({ key: _key, ...source }) => source),
    exclusions: draft.exclusions,
    repositoryId: draft.repositoryId,
    retention: retentionFromPart(draft.retention),
    mapping: draft.mapping ? { folder: draft.mapping } : null,
    storage: storageFromPart(draft.storage),
    allowPlaintext: draft.allowPlaintext,
    ...advancedFromPart(draft.advanced),
    dataPath: dataPathFromPart(draft.dataPath),
    ...scheduleFromPart(draft.schedule),
    enabled: draft.enabled,
  };
}

/** The password to send with the definition: only a new one (an empty field keeps the stored one). */
export function passwordToSend(draft: CopyDraft): string | undefined {
  return draft.storage.encrypted && draft.storage.password ? draft.storage.password : undefined;
}

/** Said at the target of a job whose repository was removed (edit, clone). */
export const REPOSITORY_GONE = 'The repository this job wrote to is no longer registered: choose another, or add it again on the Repositories page.';

/** What the page knows that the schema cannot: the repository of each source. */
export interface CopyContext {
  /** The target repository of a catalog job, if it exists. */
  repositoryOfJob: (jobId: string) => string | undefined;
  /** Whether a repository is registered (a job's may have been removed since). */
  repositoryKnown: (repositoryId: string) => boolean;
  /** The backup folders of a repository this job may continue (Map backup), or undefined while unknown. */
  mappableFolders: (repositoryId: string, jobId: string | null) => readonly string[] | undefined;
}

/** The repository a source reads from, when one is known (a workload source reads from anywhere). */
export function repositoryOfSource(source: CopySource, context: Pick<CopyContext, 'repositoryOfJob'>): string | undefined {
  if (source.kind === 'job') return context.repositoryOfJob(source.jobId);
  if (source.kind === 'workload') return undefined;
  return source.repositoryId;
}

/** Every problem of the draft, by field path (`name`, `sources.0`, `retention.keepPoints`, `password`…). */
export function validateCopy(draft: CopyDraft, context: CopyContext): FieldErrors {
  const checked = acceptedJobDefinition.safeParse(copyDefinitionOf(draft));
  const errors = checked.success ? {} : errorsFromIssues(checked.error.issues);
  draft.sources.forEach((source, index) => {
    if (source.kind === 'job' && context.repositoryOfJob(source.jobId) === undefined) {
      errors[`sources.${index}`] ??= 'This job does not exist any more: remove it from the sources.';
    }
  });
  if (draft.repositoryId && !context.repositoryKnown(draft.repositoryId)) errors.repositoryId ??= REPOSITORY_GONE;
  if (draft.repositoryId && draft.sources.some((source) => repositoryOfSource(source, context) === draft.repositoryId)) {
    errors.repositoryId ??= 'A source reads from this repository: a copy must go to another repository.';
  }
  const mappable = draft.mapping ? context.mappableFolders(draft.repositoryId, draft.jobId) : undefined;
  if (mappable && !mappable.includes(draft.mapping)) {
    errors.mapping ??= `The backup in the folder “${draft.mapping}” is not in the target repository now, or another job continues it: choose another, or a new backup.`;
  }
  return { ...errors, ...copyPartErrors(draft) };
}

/** Which field paths each step of the copy wizard shows, in step order (see WizardStep.owns). */
export const COPY_STEP_FIELDS = {
  Job: ['name', 'description'],
  Objects: ['sources', 'exclusions'],
  Target: ['repositoryId', 'retention'],
  'Map backup': ['mapping'],
  Advanced: ['storage', 'password', 'repeatPassword', 'allowPlaintext', 'healthCheck', 'removeDeletedWorkloadsAfterDays', 'mailReport', 'scripts', 'rpoHours'],
  'Data path': ['dataPath'],
  Schedule: ['schedule', 'retries', 'window', 'terminateOnWindowClose'],
  Summary: ['enabled', 'form'],
} as const satisfies Record<string, readonly string[]>;
