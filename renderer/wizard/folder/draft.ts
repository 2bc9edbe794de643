import { folderBackupJob, type JobDefinitionInput, type ScheduleSpec } from '../../../shared/domain/job.ts';

/**
 * The new folder backup job wizard as plain data: what the form holds, how it becomes
 * a job definition, and where each validation message (from zod or the engine) goes.
 * Kept apart from the dialog so the rules read in one place.
 */

export const STEPS = ['Job', 'Workloads', 'Target', 'Storage', 'Summary'] as const;
export type StepIndex = 0 | 1 | 2 | 3 | 4;
export const SUMMARY_STEP: StepIndex = 4;

export interface WorkloadDraft {
  /** Stable across removals, for React keys. */
  key: number;
  name: string;
  /** One folder per line. */
  folders: string;
  /** One glob per line. */
  excludes: string;
}

export interface JobDraft {
  name: string;
  description: string;
  workloads: WorkloadDraft[];
  repositoryId: string;
  /** As typed, so a half-typed number is not rewritten under the cursor. */
  keepPoints: string;
  compressionLevel: number;
  encrypted: boolean;
  password: string;
  repeatPassword: string;
  passwordHint: string;
  runNow: boolean;
}

export const DEFAULT_KEEP_POINTS = 7;
export const DEFAULT_COMPRESSION = 3;
export const MIN_COMPRESSION = 1;
export const MAX_COMPRESSION = 19;

let nextWorkloadKey = 1;

export function newWorkload(name = ''): WorkloadDraft {
  return { key: nextWorkloadKey++, name, folders: '', excludes: '' };
}

export function emptyDraft(repositoryId = ''): JobDraft {
  return {
    name: '',
    description: '',
    workloads: [newWorkload()],
    repositoryId,
    keepPoints: String(DEFAULT_KEEP_POINTS),
    compressionLevel: DEFAULT_COMPRESSION,
    encrypted: false,
    password: '',
    repeatPassword: '',
    passwordHint: '',
    runNow: true,
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

export const MANUAL: ScheduleSpec = { mode: 'manual' };

/** The job definition the draft describes (not yet validated). */
export function toDefinition(draft: JobDraft): JobDefinitionInput {
  const hint = draft.passwordHint.trim();
  return {
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
    storage: {
      compressionLevel: draft.compressionLevel,
      encrypted: draft.encrypted,
      ...(draft.encrypted && hint ? { passwordHint: hint } : {}),
    },
    schedule: MANUAL,
    enabled: true,
  };
}

/** Field → message. Fields: name, description, workloads, workloads.N.name|folders|excludes,
 * repositoryId, keepPoints, compressionLevel, password, repeatPassword, passwordHint, form. */
export type FieldErrors = Record<string, string>;

/**
 * Where a dotted path from zod or the engine's `details.fields` is shown. The engine
 * prefixes paths of the definition with `definition.`; its own checks (duplicate name,
 * unknown repository, missing password) use bare names.
 */
export function fieldOf(path: string): string {
  const bare = path.replace(/^definition\./, '');
  const workloadField = /^workloads\.(\d+)\.(name|folders|excludes)(\.|$)/.exec(bare);
  if (workloadField) return `workloads.${workloadField[1]}.${workloadField[2]}`;
  if (/^workloads\.(\d+)$/.test(bare)) return `workloads.${bare.split('.')[1]}.name`;
  if (bare === 'workloads') return 'workloads';
  if (bare === 'name' || bare === 'description' || bare === 'repositoryId') return bare;
  if (bare.startsWith('retention')) return 'keepPoints';
  if (bare === 'storage.compressionLevel') return 'compressionLevel';
  if (bare === 'storage.passwordHint') return 'passwordHint';
  if (bare === 'password' || bare.startsWith('storage')) return 'password';
  return 'form';
}

/** The wizard step that shows a field. */
export function stepOf(field: string): StepIndex {
  if (field === 'name' || field === 'description') return 0;
  if (field.startsWith('workloads')) return 1;
  if (field === 'repositoryId' || field === 'keepPoints') return 2;
  if (field === 'compressionLevel' || field === 'password' || field === 'repeatPassword' || field === 'passwordHint') return 3;
  return SUMMARY_STEP;
}

/** Messages worded for the field they sit under, where zod's are generic. */
function reword(field: string, message: string): string {
  if (field === 'keepPoints') return 'Enter a whole number from 1 to 999.';
  if (field === 'compressionLevel') return `Choose a level from ${MIN_COMPRESSION} to ${MAX_COMPRESSION}.`;
  if (field === 'passwordHint') return 'Keep the hint under 200 characters.';
  if (field === 'description' && /too big|at most|<=/i.test(message)) return 'Keep the description under 2,000 characters.';
  if (/^workloads\.\d+\.name$/.test(field) && /too big|at most|<=/i.test(message)) return 'Use at most 64 characters.';
  return message;
}

/** Engine (or zod) field errors as the wizard's fields. */
export function mapFieldErrors(fields: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = fieldOf(path);
    errors[field] ??= reword(field, message);
  }
  return errors;
}

/** A folder the engine can find wherever it runs: /…, C:\…, \\server\share. */
export function isFullPath(folder: string): boolean {
  return folder.startsWith('/') || /^[A-Za-z]:[\\/]/.test(folder) || folder.startsWith('\\\\');
}

/** Every problem of the draft, keyed by field. */
export function validate(draft: JobDraft): FieldErrors {
  const checked = folderBackupJob.safeParse(toDefinition(draft));
  const errors: FieldErrors = {};
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.map(String).join('.');
      const field = fieldOf(path);
      if (field === 'workloads' && /unique/i.test(issue.message)) {
        // Say which one: the first workload whose name an earlier one already has.
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
      errors[field] ??= reword(field, issue.message);
    }
  }
  draft.workloads.forEach((workload, index) => {
    const field = `workloads.${index}.folders`;
    if (errors[field]) return;
    const relative = lines(workload.folders).find((folder) => !isFullPath(folder));
    if (relative !== undefined) errors[field] = `“${relative}” is not a full path. Enter each folder from the drive or root down.`;
  });
  if (draft.encrypted) {
    if (!draft.password) errors.password ??= 'Enter a password: the backup is encrypted with it.';
    else if (draft.password.length > 1024) errors.password ??= 'Use at most 1,024 characters.';
    else if (draft.repeatPassword !== draft.password) errors.repeatPassword = 'The passwords do not match.';
  }
  return errors;
}

/** The errors shown on one step. */
export function errorsOnStep(errors: FieldErrors, step: StepIndex): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => stepOf(field) === step));
}

/** The first step with an error, if any. */
export function firstStepWithErrors(errors: FieldErrors): StepIndex | null {
  const steps = Object.keys(errors).map(stepOf);
  return steps.length > 0 ? (Math.min(...steps) as StepIndex) : null;
}

/** Field names in the order they appear, to focus the first one with a message. */
export function fieldOrder(draft: JobDraft): string[] {
  return [
    'name',
    'description',
    'workloads',
    ...draft.workloads.flatMap((_, index) => [`workloads.${index}.name`, `workloads.${index}.folders`, `workloads.${index}.excludes`]),
    'repositoryId',
    'keepPoints',
    'compressionLevel',
    'password',
    'repeatPassword',
    'passwordHint',
  ];
}

/** A compression level in words, for the slider and the summary. */
export function describeCompression(level: number): string {
  if (level <= 2) return 'fastest, larger backups';
  if (level <= 5) return 'fast, good savings';
  if (level <= 12) return 'slower, smaller backups';
  return 'slowest, smallest backups';
}
