import { acceptedJobDefinition, type FolderBackupJob } from '../../../shared/domain/job.ts';
import { storageFromPart, type StoragePart, storagePartFrom } from '../copy/parts.ts';
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
import { storageErrors } from '../fields/storage.ts';
import { REPOSITORY_GONE } from '../copy/draft.ts';
import { type FieldErrors, fieldKey, type WizardMode } from '../fields-of.ts';

/**
 * The folder backup job wizard as plain data: what the form holds, how it comes from a
 * stored job (edit, clone) and becomes a definition, and every problem of it keyed by
 * the definition's dotted path (`workloads.0.folders`, `retention.keepPoints`).
 */

export interface WorkloadDraft {
  /** Stable across removals, for React keys. */
  key: number;
  name: string;
  /** One folder per line. */
  folders: string;
  /** One glob per line. */
  excludes: string;
}

/** What the wizard does not show, kept as it is when a job is edited or cloned. */
type Kept = Pick<FolderBackupJob, 'removeDeletedWorkloadsAfterDays' | 'healthCheck' | 'scripts' | 'mailReport' | 'enabled'>;

/** When the job runs by itself and its retries, as typed (ScheduleFields, RetryFields). */
export interface FolderSchedulePart {
  schedule: ScheduleDraft;
  retries: RetryDraft;
}

export interface FolderDraft {
  name: string;
  description: string;
  workloads: WorkloadDraft[];
  repositoryId: string;
  /** As typed, so a half-typed number is not rewritten under the cursor. */
  keepPoints: string;
  storage: StoragePart;
  schedule: FolderSchedulePart;
  kept: Partial<Kept>;
  /** Edit of an encrypted job: its password is stored, an empty password field keeps it. */
  passwordStored: boolean;
  runNow: boolean;
}

export const DEFAULT_KEEP_POINTS = 7;

let nextWorkloadKey = 1;

export function newWorkload(name = '', folders = '', excludes = ''): WorkloadDraft {
  return { key: nextWorkloadKey++, name, folders, excludes };
}

export function emptyFolderDraft(repositoryId = ''): FolderDraft {
  return {
    name: '',
    description: '',
    workloads: [newWorkload()],
    repositoryId,
    keepPoints: String(DEFAULT_KEEP_POINTS),
    storage: storagePartFrom(undefined),
    schedule: { schedule: scheduleDraftFrom(undefined, new Date()), retries: retryDraftFrom(undefined) },
    kept: {},
    passwordStored: false,
    runNow: true,
  };
}

/** The draft of a stored job: to edit it, or (clone) to make another like it. */
export function folderDraftFrom(job: FolderBackupJob, mode: WizardMode): FolderDraft {
  const clone = mode === 'clone';
  return {
    name: clone ? `Copy of ${job.name}`.slice(0, 64).trim() : job.name,
    description: job.description,
    workloads: job.workloads.map((w) => newWorkload(w.name, w.folders.join('\n'), w.excludes.join('\n'))),
    repositoryId: job.repositoryId,
    keepPoints: String(job.retention.keepPoints),
    storage: storagePartFrom(job.storage),
    schedule: { schedule: scheduleDraftFrom(job.schedule, new Date()), retries: retryDraftFrom(job.retries) },
    kept: {
      removeDeletedWorkloadsAfterDays: job.removeDeletedWorkloadsAfterDays,
      healthCheck: job.healthCheck,
      scripts: job.scripts,
      mailReport: job.mailReport,
      enabled: job.enabled,
    },
    passwordStored: !clone && job.storage.encrypted,
    runNow: false,
  };
}

/** The non-empty lines of a multi-line field, trimmed. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function wholeNumber(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number.parseInt(text, 10) : Number.NaN;
}

/** The job definition the draft describes (not yet validated). */
export function folderDefinitionOf(draft: FolderDraft): FolderBackupJob {
  return {
    ...draft.kept,
    kind: 'folder-backup',
    name: draft.name,
    description: draft.description.trim(),
    repositoryId: draft.repositoryId,
    workloads: draft.workloads.map((workload) => ({
      name: workload.name,
      folders: lines(workload.folders),
      excludes: lines(workload.excludes),
    })),
    retention: { keepPoints: wholeNumber(draft.keepPoints) },
    storage: storageFromPart(draft.storage),
    schedule: scheduleFromDraft(draft.schedule.schedule, 'folder-backup') as FolderBackupJob['schedule'],
    retries: retryFromDraft(draft.schedule.retries),
  } as FolderBackupJob;
}

/** Messages worded for the field they sit under, where zod's are generic. */
function reword(field: string, message: string): string {
  if (field === 'retention.keepPoints') return 'Enter a whole number from 1 to 999.';
  if (field === 'description' && /too big|at most|<=/i.test(message)) return 'Keep the description under 2,000 characters.';
  if (/^workloads\.\d+\.name$/.test(field) && /too big|at most|<=/i.test(message)) return 'Use at most 64 characters.';
  return message;
}

/** A folder the engine can find wherever it runs: /…, C:\…, \\server\share. */
export function isFullPath(folder: string): boolean {
  return folder.startsWith('/') || /^[A-Za-z]:[\\/]/.test(folder) || folder.startsWith('\\\\');
}

/** A whole disk: `/`, `C:\`; its folders are to be chosen instead. */
export function isFilesystemRoot(folder: string): boolean {
  return /^\/+$/.test(folder) || /^[A-Za-z]:[\\/]*$/.test(folder);
}

/** Every problem of the draft, by field path; `repositoryKnown` says whether a repository is registered. */
export function validateFolder(draft: FolderDraft, repositoryKnown: (id: string) => boolean = () => true): FieldErrors {
  const checked = acceptedJobDefinition.safeParse(folderDefinitionOf(draft));
  const errors: FieldErrors = {};
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      let field = fieldKey(issue.path);
      // "Workload names must be unique": said at the first workload whose name an earlier one has.
      if (field === 'workloads' && /unique/i.test(issue.message)) {
        const seen = new Set<string>();
        const index = draft.workloads.findIndex((w) => {
          const key = w.name.trim().toLowerCase();
          if (seen.has(key)) return true;
          seen.add(key);
          return false;
        });
        if (index >= 0) {
          errors[`workloads.${index}.name`] ??= 'Another workload already has this name.';
          continue;
        }
      }
      // A folder list's own messages are shown at the list (one field for all its lines).
      field = field.replace(/^(workloads\.\d+\.(?:folders|excludes))\.\d+$/, '$1');
      errors[field] ??= reword(field, issue.message);
    }
  }
  if (draft.repositoryId && !repositoryKnown(draft.repositoryId)) errors.repositoryId ??= REPOSITORY_GONE;
  draft.workloads.forEach((workload, index) => {
    const field = `workloads.${index}.folders`;
    if (errors[field]) return;
    const folders = lines(workload.folders);
    const relative = folders.find((folder) => !isFullPath(folder));
    if (relative !== undefined) errors[field] = `“${relative}” is not a full path. Enter each folder from the drive or root down.`;
    const root = folders.find(isFilesystemRoot);
    if (root !== undefined) errors[field] ??= `${root} is the whole disk: choose the folders to back up.`;
  });
  return {
    ...errors,
    ...storageErrors(draft.storage, draft.passwordStored),
    ...scheduleErrors(draft.schedule.schedule, 'folder-backup'),
    ...retryErrors(draft.schedule.retries),
  };
}

/** Which field paths each step of the folder wizard shows, in step order. */
export const FOLDER_STEP_FIELDS = {
  Job: ['name', 'description'],
  Workloads: ['workloads'],
  Target: ['repositoryId', 'retention'],
  Storage: ['storage', 'password', 'repeatPassword'],
  Schedule: ['schedule', 'retries'],
  Summary: ['form'],
} as const satisfies Record<string, readonly string[]>;
