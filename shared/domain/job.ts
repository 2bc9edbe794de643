import { z } from 'zod';
import { displayName } from './names.ts';

/**
 * Jobs as the catalog stores them. A discriminated union on `kind`: the folder backup
 * job now; the backup copy job joins it with its own fields (sources, mapping, data
 * path) without changing what is here.
 */
export const jobName = displayName('Enter a job name.');

export const workloadSpec = z.object({
  name: z.string().trim().min(1, 'Name the workload.').max(64),
  folders: z.array(z.string().trim().min(1)).min(1, 'Add at least one folder.'),
  excludes: z.array(z.string().trim().min(1)).default([]),
});
export type WorkloadSpec = z.infer<typeof workloadSpec>;

export const scheduleSpec = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('manual') }),
  z.object({
    mode: z.literal('periodic'),
    every: z.number().int().min(1).max(10_000),
    unit: z.enum(['minutes', 'hours', 'days']),
    /** ISO time of the first run; later runs follow every N units. */
    startAt: z.string().datetime({ offset: true }),
  }),
]);
export type ScheduleSpec = z.infer<typeof scheduleSpec>;

export const retentionSpec = z.object({
  keepPoints: z.number().int().min(1).max(999).default(7),
  gfs: z
    .object({
      weekly: z.number().int().min(0).max(520).default(0),
      monthly: z.number().int().min(0).max(240).default(0),
      yearly: z.number().int().min(0).max(100).default(0),
    })
    .optional(),
});

export const storageSpec = z.object({
  compressionLevel: z.number().int().min(1).max(19).default(3),
  /** The password itself is never part of the job: it lives in the engine's secret store. */
  encrypted: z.boolean().default(false),
  passwordHint: z.string().max(200).optional(),
});

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
  storage: storageSpec.default({ compressionLevel: 3, encrypted: false }),
  schedule: scheduleSpec.default({ mode: 'manual' }),
  enabled: z.boolean().default(true),
});

export const jobDefinition = z.discriminatedUnion('kind', [folderBackupJob]);
export type JobDefinition = z.infer<typeof jobDefinition>;
export type JobDefinitionInput = z.input<typeof jobDefinition>;

export const sessionResult = z.enum(['success', 'warning', 'failed']);
export type SessionResult = z.infer<typeof sessionResult>;

export const jobSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.literal('folder-backup'),
  enabled: z.boolean(),
  repositoryId: z.string(),
  workloads: z.number().int(),
  schedule: scheduleSpec,
  running: z.boolean(),
  lastSession: z.object({ id: z.string(), result: sessionResult.nullable(), startedAt: z.string(), endedAt: z.string().nullable() }).nullable(),
});
export type JobSummary = z.infer<typeof jobSummary>;

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
  log: z.array(z.object({ at: z.string(), level: z.enum(['info', 'warning', 'error']), message: z.string() })),
});
export type SessionDetail = z.infer<typeof sessionDetail>;

export const sessionProgress = z.object({
  sessionId: z.string(),
  jobId: z.string(),
  workload: z.string(),
  files: z.number(),
  bytesRead: z.number(),
  bytesNew: z.number(),
  currentPath: z.string(),
});
