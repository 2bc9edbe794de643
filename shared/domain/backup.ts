import { z } from 'zod';

/** A backup (one job's chain) found in a repository, as the catalog knows it. */
export const backupSummary = z.object({
  repositoryId: z.string(),
  folder: z.string(),
  backupId: z.string(),
  name: z.string(),
  kind: z.enum(['folder-backup', 'backup-copy']),
  /** The catalog job that made it (on the engine that made it), if any. */
  jobId: z.string().nullable(),
  encrypted: z.boolean(),
  created: z.string(),
  /** Bytes of its packs. */
  sizeBytes: z.number().nonnegative(),
  /** Whether the engine can read its points (an encrypted backup needs its password). */
  readable: z.boolean(),
  workloads: z.array(
    z.object({
      name: z.string(),
      points: z.number().int().nonnegative(),
      newest: z.string().optional(),
    }),
  ),
});
export type BackupSummary = z.infer<typeof backupSummary>;

export const restorePointSummary = z.object({
  id: z.string(),
  workload: z.string(),
  created: z.string(),
  completed: z.string(),
  lineage: z.object({ backupId: z.string(), pointId: z.string(), repository: z.string().optional() }).nullable(),
  gfs: z.object({ weekly: z.boolean(), monthly: z.boolean(), yearly: z.boolean() }),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  bytesNew: z.number().nonnegative(),
  bytesStored: z.number().nonnegative(),
});
export type RestorePointSummary = z.infer<typeof restorePointSummary>;
