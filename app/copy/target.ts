import { FerryError } from '../../shared/rpc/errors.ts';
import type { KdfParams } from '../format/crypto.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { Repository } from '../repository/repository.ts';
import type { BackupConfig } from '../repository/schemas.ts';

export interface CopyTargetOptions {
  /** The job's name: a new backup's folder is named after it. */
  name: string;
  /** The catalog job; without one (CLI), the job's backup is found by name. */
  jobId?: string | undefined;
  /** Continue this folder (a seed moved in by hand) instead of finding or creating one. */
  mapping?: { folder: string } | null | undefined;
  /** Names the catalog job owning a backup's jobId, if it is another live job. */
  ownerOf?: ((jobId: string) => string | undefined) | undefined;
  /** Encrypts a new backup with this password (and opens an encrypted one). */
  password?: string | undefined;
  level?: number | undefined;
  kdf?: KdfParams | undefined;
}

function checkMapped(config: BackupConfig, where: string, options: CopyTargetOptions): void {
  if (config.kind !== 'backup-copy') {
    throw new FerryError('invalid_input', `${where} is the backup of a folder backup job; only a copy job's backup can be continued by a copy job.`);
  }
  const owner = config.jobId !== undefined && config.jobId !== options.jobId ? options.ownerOf?.(config.jobId) : undefined;
  if (owner !== undefined) {
    throw new FerryError('conflict', `${where} belongs to the job "${owner}": a backup is continued by one job only.`, { folder: where });
  }
}

/** The job's backup on the target, found or ready to be made (see prepareCopyTarget). */
export interface PreparedCopyTarget {
  /** The job's backup when it has one already (mapped or found), opened. */
  existing: BackupStore | undefined;
  /** Whether what is copied is stored encrypted: the existing backup's, or the new one's, encryption. */
  encrypted: boolean;
  /** The existing backup, or a new one created now. */
  open(): Promise<BackupStore>;
}

/**
 * The job's backup on the target repository: the mapped folder, else the backup-copy
 * backup made for this job (by catalog id, else by name), else a new one in a folder
 * named after the job.
 */
export async function openCopyTarget(repository: Repository, options: CopyTargetOptions): Promise<BackupStore> {
  return (await prepareCopyTarget(repository, options)).open();
}

/**
 * Opens the job's existing backup, or, when there is none, checks the target's password
 * and makes the new backup's key with it. Either is a scrypt derivation (on the thread
 * pool) and neither writes anything, so this runs beside the opening of the sources;
 * `open` creates a new backup only afterwards (runCopy calls it once a workload has a
 * point to copy): a wrong source password, or a source with nothing in it yet, leaves
 * nothing behind.
 */
export async function prepareCopyTarget(repository: Repository, options: CopyTargetOptions): Promise<PreparedCopyTarget> {
  const folder = await findCopyTarget(repository, options);
  if (folder !== undefined) {
    // Its index is read under the run's lock, and only when a point is to be copied (runCopy).
    const existing = await repository.openBackup(folder, options.password, { index: false });
    return { existing, encrypted: existing.config.encryption !== null, open: async () => existing };
  }
  const { password, kdf } = options;
  await repository.checkPassword(password);
  const key = password === undefined ? undefined : await repository.newBackupKey(password, kdf);
  return {
    existing: undefined,
    encrypted: key !== undefined,
    // Another run may make the job's backup first: asked again under the repository's lock, its backup is continued.
    open: async () =>
      repository.createBackup(options.name, () => findCopyTarget(repository, options), {
        kind: 'backup-copy',
        ...(options.jobId ? { jobId: options.jobId } : {}),
        ...(password === undefined ? {} : { password }),
        ...(key ? { key } : {}),
        ...(options.level ? { level: options.level } : {}),
      }),
  };
}

/** The folder of the mapped backup or of the job's existing one; undefined when the job has none yet. */
async function findCopyTarget(repository: Repository, options: CopyTargetOptions): Promise<string | undefined> {
  if (options.mapping) {
    const where = `${repository.store.location}/${options.mapping.folder}`;
    let config: BackupConfig;
    try {
      config = await repository.readBackupConfig(options.mapping.folder);
    } catch (error) {
      if (error instanceof FerryError && error.code === 'not_found') {
        throw new FerryError('not_found', `The mapped backup ${where} is not there. Move the seed into the repository, or clear the mapping.`);
      }
      throw error;
    }
    checkMapped(config, where, options);
    return options.mapping.folder;
  }
  const copies = (await repository.listBackups()).filter((c) => c.config.kind === 'backup-copy');
  const mine =
    (options.jobId ? copies.find((c) => c.config.jobId === options.jobId) : undefined) ??
    copies.find((c) => c.config.name === options.name && (c.config.jobId === undefined || c.config.jobId === options.jobId || !options.ownerOf?.(c.config.jobId)));
  return mine?.folder;
}
