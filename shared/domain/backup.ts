import { z } from 'zod';

/** A file of a backup that cannot be read (a damaged point file, index file): named, and hiding nothing else. */
export const damagedItem = z.object({
  /** Where it is inside the repository, e.g. `Docs/points/<id>`. */
  key: z.string(),
  message: z.string(),
});
export type DamagedItem = z.infer<typeof damagedItem>;

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
  /** Files of it found damaged at the last scan; everything else in it is listed. */
  damaged: z.array(damagedItem),
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

/** A backup's restore points (of one workload, or all), and its point files that cannot be read. */
export const restorePointList = z.object({
  points: z.array(restorePointSummary),
  /** Damaged point files: their workload is unknown, so they are listed whatever the workload asked for. */
  damaged: z.array(damagedItem),
});
export type RestorePointList = z.infer<typeof restorePointList>;
