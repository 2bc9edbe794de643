import { z } from 'zod';
import { displayName } from './names.ts';
import { jobScripts, mailReportSpec, rpoHours, rpoStatus } from './after-run.ts';

/**
 * Jobs as the catalog stores them: a discriminated union on `kind` (folder backup, the
 * primary backups; backup copy, the product's heart). Both name their target repository
 * `repositoryId`, so lists, retention and the scheduler treat them alike.
 */
export const jobName = displayName('Enter a job name.');

export const workloadSpec = z.object({
  name: z.string().trim().min(1, 'Name the workload.').max(64),
  folders: z.array(z.string().trim().min(1)).min(1, 'Add at least one folder.'),
  excludes: z.array(z.string().trim().min(1)).default([]),
});
export type WorkloadSpec = z.infer<typeof workloadSpec>;

/** A wall-clock time of day, "HH:MM" (24 hours). */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time of day as HH:MM, from 00:00 to 23:59.');

const manualSchedule = z.object({ mode: z.literal('manual') });

/**
 * Every N units from `startAt`: minutes and hours are elapsed time (a DST change does
 * not move them), days are calendar days at startAt's local time of day.
 */
const periodicSchedule = z.object({
  mode: z.literal('periodic'),
  every: z
    .number()
    .int('Enter a whole number.')
    .min(1, 'Enter how often it runs: every 1 or more.')
    .max(10_000, 'Enter at most 10000.'),
  unit: z.enum(['minutes', 'hours', 'days']),
  /** ISO time of the first run; later runs follow every N units. */
  startAt: z.string().datetime({ offset: true, message: 'Enter the first run as a date and time.' }),
});

/** Daily at a local time on chosen weekdays (0 = Sunday … 6 = Saturday). */
const dailySchedule = z.object({
  mode: z.literal('daily'),
  at: timeOfDay,
  weekdays: z
    .array(z.number().int().min(0, 'Weekdays go from 0 (Sunday) to 6 (Saturday).').max(6, 'Weekdays go from 0 (Sunday) to 6 (Saturday).'))
    .min(1, 'Choose at least one weekday.')
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'Choose each weekday once.'),
});

/** When a folder backup job runs by itself. */
export const scheduleSpec = z.discriminatedUnion('mode', [manualSchedule, periodicSchedule, dailySchedule]);
export type ScheduleSpec = z.infer<typeof scheduleSpec>;

const periodCount = (what: string, max: number) =>
  z
    .number()
    .int('Enter a whole number.')
    .min(0, `Enter 0 to keep no ${what} points, or more.`)
    .max(max, `Keep ${what} points for at most ${max} periods.`);

/** A weekday, 0 = Sunday … 6 = Saturday. */
export const weekday = z.number().int().min(0, 'Weekdays go from 0 (Sunday) to 6 (Saturday).').max(6, 'Weekdays go from 0 (Sunday) to 6 (Saturday).');

/**
 * Grandfather-father-son: the first point of the chosen day's week (weekly), of the
 * chosen week of the month (monthly) and of that week in the chosen month (yearly)
 * gets the flag; a flagged point is kept for that many weeks, months, years.
 */
export const gfsSpec = z.object({
  weekly: periodCount('weekly', 520).default(0),
  monthly: periodCount('monthly', 240).default(0),
  yearly: periodCount('yearly', 100).default(0),
  /** Weekly points are those of this weekday (or the first after it in its week). */
  weekday: weekday.default(0),
  /** Monthly points are taken in the first or the last week of the month (on `weekday`). */
  monthlyWeek: z.enum(['first', 'last']).default('first'),
  /** Yearly points are the monthly point of this month (0 = January). */
  yearlyMonth: z.number().int().min(0, 'Months go from 0 (January) to 11 (December).').max(11, 'Months go from 0 (January) to 11 (December).').default(0),
});
export type GfsSpec = z.infer<typeof gfsSpec>;

export const retentionSpec = z.object({
  keepPoints: z
    .number()
    .int('Enter a whole number of restore points.')
    .min(1, 'Keep at least 1 restore point.')
    .max(999, 'Keep at most 999 restore points.')
    .default(7),
  /** Copy jobs only: folder backup jobs keep the newest points alone. */
  gfs: gfsSpec.optional(),
});
export type RetentionSpec = z.infer<typeof retentionSpec>;

/**
 * The scheduled health check of a job's backup: every chunk read and checked, in the
 * transform phase of the first run on or after its day (monthly: the chosen week's
 * weekday; weekly: the weekday).
 */
export const healthCheckSpec = z.object({
  enabled: z.boolean().default(true),
  frequency: z.enum(['weekly', 'monthly']).default('monthly'),
  weekday: weekday.default(0),
  week: z.enum(['first', 'second', 'third', 'fourth', 'last']).default('last'),
});
export type HealthCheckSpec = z.infer<typeof healthCheckSpec>;
export const DEFAULT_HEALTH_CHECK: HealthCheckSpec = { enabled: true, frequency: 'monthly', weekday: 0, week: 'last' };

/** A workload that left the job keeps its points this many days, then they are removed. */
export const deletedWorkloadDays = z
  .number()
  .int('Enter a whole number of days.')
  .min(1, 'Keep a removed workload\'s points at least 1 day.')
  .max(3650, 'Keep a removed workload\'s points at most 3650 days.');

export const storageSpec = z.object({
  compressionLevel: z.number().int().min(1).max(19).default(3),
  /** The password itself is never part of the job: it lives in the engine's secret store. */
  encrypted: z.boolean().default(false),
  passwordHint: z.string().max(200).optional(),
});

/**
 * Hours of the week a job may transfer, in local time: per weekday (0 = Sunday), a 24-bit
 * mask of allowed hours (bit h: from h:00 to h+1:00).
 */
export const transferWindow = z.array(z.number().int().min(0).max(0xffffff)).length(7);
export type TransferWindow = z.infer<typeof transferWindow>;

/** A failed workload is tried again this many times, this many minutes apart, within its interval. */
export const retrySpec = z.object({
  count: z.number().int('Enter a whole number of retries.').min(0, 'Retries cannot be negative: enter 0 for none.').max(100, 'Enter at most 100 retries.'),
  intervalMinutes: z
    .number()
    .int('Enter a whole number of minutes.')
    .min(1, 'Wait at least 1 minute between retries.')
    .max(1440, 'Wait at most 1440 minutes (a day) between retries.'),
});
export type RetrySpec = z.infer<typeof retrySpec>;
export const DEFAULT_RETRIES: RetrySpec = { count: 3, intervalMinutes: 10 };

export const folderBackupJob = z.object({
  kind: z.literal('folder-backup'),
  name: jobName,
  description: z.string().max(2000).default(''),
  repositoryId: z.string().min(1, 'Choose a target repository.'),
  workloads: z
    .array(workloadSpec)
    .min(1, 'Add at least one workload.')
    .refine((list) => new Set(list.map((w) => w.name.toLowerCase())).size === list.length, 'Workload names must be unique.'),
  retention: retentionSpec.default({ keepPoints: 7 }),
  removeDeletedWorkloadsAfterDays: deletedWorkloadDays.default(30),
  healthCheck: healthCheckSpec.default(DEFAULT_HEALTH_CHECK),
  storage: storageSpec.default({ compressionLevel: 3, encrypted: false }),
  schedule: scheduleSpec.default({ mode: 'manual' }),
  retries: retrySpec.default(DEFAULT_RETRIES),
  enabled: z.boolean().default(true),
  /** Scripts before and after a run, and which results send the mail report (after-run.ts). */
  scripts: jobScripts.default({ before: null, after: null }),
  mailReport: mailReportSpec.default({ onSuccess: false, onWarning: true, onFailure: true }),
});

/**
 * Where a copy job takes restore points from (ARCHITECTURE.md, "Sources"): every
 * workload of catalog jobs (dynamically), chosen workloads of one backup, a workload
 * wherever it is backed up (the newest point from any backup), or every backup of a
 * repository. A copy job's own backup can be a source of another (copy from copy).
 */
export const copySource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('job'), jobId: z.string().min(1) }),
  z.object({
    kind: z.literal('backup'),
    repositoryId: z.string().min(1),
    backupId: z.string().min(1),
    /** Empty: every workload, including ones added later. */
    workloads: z.array(z.string().min(1)).default([]),
  }),
  z.object({ kind: z.literal('workload'), workload: z.string().trim().min(1).max(64) }),
  z.object({ kind: z.literal('repository'), repositoryId: z.string().min(1) }),
]);
export type CopySource = z.infer<typeof copySource>;

/** Copy each new point as soon as it appears, in order, catching up. */
const immediateSchedule = z.object({ mode: z.literal('immediate') });

/** When a copy job runs by itself. */
export const copyScheduleSpec = z.discriminatedUnion('mode', [
  manualSchedule,
  /**
   * "Copy every": at most one point per workload in each interval. Looking back (default)
   * takes the newest complete point not yet copied; looking forward only points created
   * after the interval began.
   */
  periodicSchedule.extend({ lookForward: z.boolean().default(false) }),
  immediateSchedule,
]);
export type CopyScheduleSpec = z.infer<typeof copyScheduleSpec>;

/** Either kind of job's schedule (what the planning functions, jobs.list and schedules.preview take). */
export const anyScheduleSpec = z.discriminatedUnion('mode', [
  manualSchedule,
  periodicSchedule.extend({ lookForward: z.boolean().optional() }),
  dailySchedule,
  immediateSchedule,
]);
export type AnyScheduleSpec = z.infer<typeof anyScheduleSpec>;

/**
 * The bandwidth limits one may set (a job's own, a traffic rule's, `ferry copy --limit`),
 * bytes per second: below 64 KiB/s a single chunk waits minutes; above 100 GiB/s no link
 * is limited at all.
 */
export const RATE_LIMIT = { min: 64 * 1024, max: 100 * 1024 ** 3 } as const;
export const rateLimit = z
  .number()
  .int('Enter a whole number of bytes per second.')
  .min(RATE_LIMIT.min, 'The limit must be at least 64 KiB/s.')
  .max(RATE_LIMIT.max, 'The limit must be at most 100 GiB/s.');

export const dataPathSpec = z.object({
  /** Workloads copied at once. */
  parallelWorkloads: z.number().int().min(1).max(16).default(2),
  /** Bytes per second this job may read from its sources; null: no limit of its own. */
  throttleBytesPerSecond: rateLimit.nullable().default(null),
});
export type DataPathSpec = z.infer<typeof dataPathSpec>;

export const backupCopyJob = z.object({
  kind: z.literal('backup-copy'),
  name: jobName,
  description: z.string().max(2000).default(''),
  sources: z.array(copySource).min(1, 'Add at least one source.'),
  /** Workload names never copied, whichever source brings them. */
  exclusions: z.array(z.string().trim().min(1).max(64)).default([]),
  /** The target repository: never the repository of a source. */
  repositoryId: z.string().min(1, 'Choose a target repository.'),
  retention: retentionSpec.default({ keepPoints: 7 }),
  removeDeletedWorkloadsAfterDays: deletedWorkloadDays.default(30),
  healthCheck: healthCheckSpec.default(DEFAULT_HEALTH_CHECK),
  storage: storageSpec.default({ compressionLevel: 3, encrypted: false }),
  /**
   * Store points of encrypted sources in this job's unencrypted backup. Off: such a copy
   * is refused (at jobs.create when a source is known to be encrypted, else its
   * workloads fail at run time), so an encrypted backup never becomes plaintext unasked.
   */
  allowPlaintext: z.boolean().default(false),
  /** Continue this backup folder of the target (a seed moved there by hand) instead of a new one. */
  mapping: z.object({ folder: z.string().min(1).max(64) }).nullable().default(null),
  dataPath: dataPathSpec.default({ parallelWorkloads: 2, throttleBytesPerSecond: null }),
  schedule: copyScheduleSpec.default({ mode: 'manual' }),
  retries: retrySpec.default(DEFAULT_RETRIES),
  window: transferWindow.optional(),
  /** When the window closes during a copy: end the session as a warning instead of pausing until it opens. */
  terminateOnWindowClose: z.boolean().default(false),
  enabled: z.boolean().default(true),
  /** Scripts before and after a run, and which results send the mail report (after-run.ts). */
  scripts: jobScripts.default({ before: null, after: null }),
  mailReport: mailReportSpec.default({ onSuccess: false, onWarning: true, onFailure: true }),
  /** A workload whose newest copy is older than this many hours raises a warning. */
  rpoHours: rpoHours.default(48),
});
export type BackupCopyJob = z.infer<typeof backupCopyJob>;

/** What the wizard asks to see which workloads a copy job would process now. */
export const copyPreviewInput = backupCopyJob.pick({ sources: true, exclusions: true }).extend({ repositoryId: z.string().optional() });
export type CopyPreviewInput = z.infer<typeof copyPreviewInput>;

/** One workload a copy job would process now, and the backup it would come from. */
export const copyPreviewRow = z.object({
  workload: z.string(),
  repositoryId: z.string(),
  folder: z.string(),
  backupName: z.string(),
  points: z.number().int().nonnegative(),
  newest: z.string().nullable(),
  /** Why it will not be processed (excluded, in the target, locked by a password…), or null. */
  skipped: z.string().nullable(),
});
export type CopyPreviewRow = z.infer<typeof copyPreviewRow>;

export type FolderBackupJob = z.infer<typeof folderBackupJob>;

export const jobDefinition = z.discriminatedUnion('kind', [folderBackupJob, backupCopyJob]);
export type JobDefinition = z.infer<typeof jobDefinition>;
export type JobDefinitionInput = z.input<typeof jobDefinition>;

/**
 * A definition as jobs.create and jobs.update accept it: also refused, an enabled copy job
 * that runs by itself (periodic, immediate) with a window that never opens — it would
 * wait forever, silently. Kept out of jobDefinition so a job stored before this rule
 * still loads.
 */
export const acceptedJobDefinition = jobDefinition.superRefine((job, context) => {
  if (job.kind !== 'backup-copy' || !job.enabled || job.schedule.mode === 'manual') return;
  if (job.window?.every((hours) => hours === 0)) {
    context.addIssue({ code: 'custom', path: ['window'], message: 'The transfer window never opens: allow at least one hour, or disable the job.' });
  }
});

/** `stopped`: ended by jobs.stop or the engine's shutdown before it was done; not a failure (what it moved stays). */
export const sessionResult = z.enum(['success', 'warning', 'failed', 'stopped']);
export type SessionResult = z.infer<typeof sessionResult>;

export const jobKind = z.enum(['folder-backup', 'backup-copy']);
export type JobKind = z.infer<typeof jobKind>;

/** What a job is doing as the scheduler sees it (ferry job ls, the Jobs table, the tray). */
export const jobStatus = z.enum(['idle', 'queued', 'working', 'waiting-for-window', 'waiting-for-point', 'disabled']);
export type JobStatus = z.infer<typeof jobStatus>;

export const jobSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: jobKind,
  enabled: z.boolean(),
  repositoryId: z.string(),
  /** Its target repository was removed: it cannot run until the repository is added again or the job is edited. */
  repositoryMissing: z.boolean(),
  /** The target repository's name; null when it is no longer registered. */
  targetName: z.string().nullable(),
  /** Workloads of a folder backup job; sources of a copy job. */
  workloads: z.number().int(),
  /** Each source in words ("job Daily", "backup Office on NAS", "workload docs", "repository NAS"); a folder backup job's workload names. */
  sources: z.array(z.string()),
  schedule: anyScheduleSpec,
  /** A copy job that stores encrypted sources in its unencrypted backup (allowPlaintext): the console warns. */
  allowsPlaintext: z.boolean(),
  running: z.boolean(),
  /** Copy jobs: the workloads past their RPO; null for folder backup jobs. */
  rpo: rpoStatus.nullable(),
  status: jobStatus,
  /** When the scheduler starts it next (ISO), or null: manual, disabled, or nothing planned. */
  nextRun: z.string().nullable(),
  /** When its last run started (ISO), or null: never run. */
  lastRun: z.string().nullable(),
  lastSession: z.object({ id: z.string(), result: sessionResult.nullable(), startedAt: z.string(), endedAt: z.string().nullable() }).nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;

/** A backup a job wrote, as jobs.delete names it: what deleting it loses. */
export const jobBackup = z.object({
  repositoryId: z.string(),
  repositoryName: z.string(),
  folder: z.string(),
  workloads: z.number().int().nonnegative(),
  points: z.number().int().nonnegative(),
  /** Stored bytes (its packs). */
  bytes: z.number().nonnegative(),
});
export type JobBackup = z.infer<typeof jobBackup>;

export const sessionTask = z.object({
  workload: z.string(),
  result: sessionResult,
  reason: z.string().nullable(),
  pointId: z.string().nullable(),
  bytesRead: z.number(),
  bytesNew: z.number(),
  bytesStored: z.number(),
  durationMs: z.number(),
});

/** A point of a session's transfer rate over its run (stored at most every ~2 s, thinned to ~600). */
export const rateSample = z.object({ at: z.string(), bytesPerSecond: z.number().nonnegative() });
export type RateSample = z.infer<typeof rateSample>;

export const sessionSummary = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  jobName: z.string(),
  kind: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  result: sessionResult.nullable(),
  bytesRead: z.number(),
  bytesNew: z.number(),
  bytesStored: z.number(),
});
export type SessionSummary = z.infer<typeof sessionSummary>;

export const sessionDetail = sessionSummary.extend({
  tasks: z.array(sessionTask),
  /** The transfer rate over the run, oldest first. */
  rate: z.array(rateSample),
  log: z.array(z.object({ at: z.string(), level: z.enum(['info', 'warning', 'error']), message: z.string() })),
});
export type SessionDetail = z.infer<typeof sessionDetail>;

/** `waiting`: for a point still being written; `waiting-for-window`: paused until the job's transfer window opens. */
export const copyPhase = z.enum(['waiting', 'waiting-for-window', 'planning', 'copying', 'committing', 'done', 'failed']);
export type CopyPhase = z.infer<typeof copyPhase>;

export const sessionProgress = z.object({
  sessionId: z.string(),
  jobId: z.string(),
  workload: z.string(),
  files: z.number(),
  bytesRead: z.number(),
  bytesNew: z.number(),
  currentPath: z.string(),
  /** Copy jobs: where the workload is, what it has to move and how fast it goes. */
  copy: z
    .object({
      phase: copyPhase,
      /** Bytes written to the target (sealed, as stored). */
      bytesTransferred: z.number(),
      chunksDone: z.number().int(),
      chunksTotal: z.number().int(),
      /** Stored bytes of the chunks the target lacks (what the copy has to read). */
      bytesTotal: z.number(),
      rateBytesPerSecond: z.number(),
      etaSeconds: z.number().nullable(),
    })
    .optional(),
});
export type SessionProgress = z.infer<typeof sessionProgress>;

/**
 * A global traffic rule: transfers from one repository to another (either may be "any")
 * share this many bytes per second, optionally only in chosen hours of the day.
 */
export const trafficRule = z.object({
  id: z.string().min(1),
  fromRepositoryId: z.string().min(1).nullable(),
  toRepositoryId: z.string().min(1).nullable(),
  bytesPerSecond: rateLimit,
  /** Local hours [from, to) the rule applies in (wrapping midnight when from > to); absent: always. */
  hours: z.object({ from: z.number().int().min(0).max(23), to: z.number().int().min(0).max(24) }).nullable().default(null),
});
export type TrafficRule = z.infer<typeof trafficRule>;
