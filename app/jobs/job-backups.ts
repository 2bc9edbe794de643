import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { JobBackup, JobDefinition } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { RepositoryRegistry } from '../repositories/registry.ts';
import { keys } from '../repository/layout.ts';
import { acquireLock } from '../repository/locks.ts';
import { mapBounded } from '../storage/bounded.ts';

/** Objects deleted at once: enough to keep S3 busy, few enough for a local disk. */
const DELETES_AT_ONCE = 16;

/**
 * The backups a job wrote, as the catalog's inventory knows them: those its id made (in
 * any repository: its target may have changed), and a copy job's mapped backup.
 */
export function jobBackups(jobId: string, definition: JobDefinition, backups: readonly BackupSummary[], registry: RepositoryRegistry): { backup: BackupSummary; view: JobBackup }[] {
  const mapped = definition.kind === 'backup-copy' ? definition.mapping?.folder : undefined;
  return backups
    .filter((backup) => backup.jobId === jobId || (backup.repositoryId === definition.repositoryId && backup.folder === mapped))
    .map((backup) => ({
      backup,
      view: {
        repositoryId: backup.repositoryId,
        repositoryName: registry.registered().find((repo) => repo.id === backup.repositoryId)?.name ?? 'a removed repository',
        folder: backup.folder,
        workloads: backup.workloads.length,
        points: backup.workloads.reduce((sum, workload) => sum + workload.points, 0),
        bytes: backup.sizeBytes,
      },
    }));
}

/**
 * Deletes a backup folder whole, under the backup's exclusive lock (no run writes to it,
 * no copy reads from it meanwhile; one that does makes this refuse, naming it). Its
 * backup.json goes first: from then on it is no backup, so a deletion cut short leaves
 * leftovers no one reads, never a half backup that looks whole.
 */
export async function deleteBackupFolder(registry: RepositoryRegistry, backup: BackupSummary, jobName: string): Promise<void> {
  const repository = await registry.open(backup.repositoryId);
  const store = repository.store;
  const config = await repository.readBackupConfig(backup.folder);
  if (config.id !== backup.backupId) {
    throw new FerryError('conflict', `The backup in ${store.location}/${backup.folder} is no longer the one of the job "${jobName}": it was left as it is. Rescan the repository.`);
  }
  const lock = await acquireLock(store, backup.folder, 'exclusive', { purpose: `deleting the backup of job "${jobName}"`, waitMs: 0 });
  try {
    await store.delete(keys.backupConfig(backup.folder));
    const objects: string[] = [];
    const ours = keys.lock(backup.folder, lock.id);
    for await (const object of store.list(`${backup.folder}/`)) if (object.key !== ours) objects.push(object.key);
    await mapBounded(objects, DELETES_AT_ONCE, (key) => store.delete(key));
  } finally {
    await lock.release();
  }
  await store.removeEmptyFolders?.(`${backup.folder}/`);
}
