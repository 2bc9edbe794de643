import { z } from 'zod';
import { HEX_ID } from '../format/hash.ts';

/**
 * The JSON documents of the repository format, validated on every read: a document
 * that does not parse is reported as corrupt, never half-used. Index files and trees,
 * read by the thousand, are checked by hand in bulk-documents.ts.
 */
const hex64 = z.string().regex(HEX_ID);
const isoDate = z.string().datetime({ offset: true });

export const repositoryMarker = z.object({
  format: z.literal('ferry-repository'),
  version: z.literal(1),
  id: z.string().uuid(),
  created: isoDate,
  /**
   * An encrypted repository keeps a key file only to check the password before anything
   * is written; each backup in it still has its own master key (self-contained backups).
   */
  encryption: z.object({ key: z.unknown() }).nullable(),
});
export type RepositoryMarker = z.infer<typeof repositoryMarker>;

export const backupConfig = z.object({
  format: z.literal('ferry-backup'),
  version: z.literal(1),
  id: z.string().uuid(),
  /** The job's name when the backup was created (the folder is derived from it). */
  name: z.string(),
  kind: z.enum(['folder-backup', 'backup-copy']),
  jobId: z.string().optional(),
  created: isoDate,
  /** Present when the backup is encrypted: the master key wrapped by the password. */
  // The key file's own shape is checked by parseKeyFile (app/format/crypto.ts).
  encryption: z.object({ cipher: z.literal('aes-256-gcm'), key: z.unknown(), hint: z.string().optional() }).nullable(),
  compression: z.object({ codec: z.literal('zstd'), level: z.number().int().min(1).max(22) }),
});
export type BackupConfig = z.infer<typeof backupConfig>;

export const pointStats = z.object({
  files: z.number().int().nonnegative(),
  dirs: z.number().int().nonnegative(),
  symlinks: z.number().int().nonnegative(),
  /** Bytes of file content in the point. */
  bytes: z.number().nonnegative(),
  /** Bytes actually read from the source (unchanged files are not read again). */
  bytesRead: z.number().nonnegative(),
  /** Plaintext bytes of blobs this point added to the backup. */
  bytesNew: z.number().nonnegative(),
  /** Bytes those blobs take in packs (after compression and encryption). */
  bytesStored: z.number().nonnegative(),
  blobsNew: z.number().int().nonnegative(),
});
export type PointStats = z.infer<typeof pointStats>;

export const pointManifest = z.object({
  format: z.literal('ferry-point'),
  version: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  backupId: z.string().uuid(),
  workload: z.string(),
  /** When the point was originally created (kept by copies). */
  created: isoDate,
  /** When this backup finished writing it. */
  completed: isoDate,
  /**
   * Where a copied point came from: the point it was copied from, and the point its
   * chain started at (`origin`, the same through copies of copies), so a point is never
   * copied twice whatever route it takes.
   */
  lineage: z
    .object({
      backupId: z.string(),
      pointId: z.string(),
      repository: z.string().optional(),
      origin: z.object({ backupId: z.string(), pointId: z.string() }).optional(),
    })
    .nullable(),
  gfs: z.object({ weekly: z.boolean(), monthly: z.boolean(), yearly: z.boolean() }),
  /** The folders backed up: each is a top-level entry of the tree, under its `name`. */
  source: z.object({ host: z.string(), roots: z.array(z.object({ name: z.string(), path: z.string() })) }),
  tree: hex64,
  stats: pointStats,
});
export type PointManifest = z.infer<typeof pointManifest>;

/**
 * Points of a backup that need chunks its index no longer has (a health check dropped
 * them as damaged or missing): the next copy run fetches them again from the sources.
 */
export const healList = z.object({
  format: z.literal('ferry-heal'),
  version: z.literal(1),
  /** When the health check that wrote it ran. */
  checked: isoDate,
  points: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{32}$/), workload: z.string(), chunks: z.array(hex64).min(1) })),
});
export type HealList = z.infer<typeof healList>;

/** Left while a point is written; readers see that a point is in progress. */
export const writingMarker = z.object({
  pointId: z.string(),
  workload: z.string(),
  started: isoDate,
  host: z.string(),
  pid: z.number().int(),
});
export type WritingMarker = z.infer<typeof writingMarker>;

export const lockFile = z.object({
  id: z.string(),
  kind: z.enum(['read', 'write', 'exclusive']),
  host: z.string(),
  pid: z.number().int(),
  created: isoDate,
  heartbeat: isoDate,
  purpose: z.string(),
});
export type LockFile = z.infer<typeof lockFile>;
