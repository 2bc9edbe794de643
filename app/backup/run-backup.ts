import { FerryError } from '../../shared/rpc/errors.ts';
import type { KdfParams } from '../format/crypto.ts';
import type { BackupStore, BlobWriter } from '../repository/backup-store.ts';
import { clearLeftovers } from '../repository/leftovers.ts';
import { acquireLock, RUN_LOCK_WAIT_MS } from '../repository/locks.ts';
import { Repository } from '../repository/repository.ts';
import type { PointManifest } from '../repository/schemas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { type BackupProgress, backupWorkload, type Workload } from './folder-backup.ts';
import type { Clock } from '../util/clock.ts';

export type TaskResult = 'success' | 'warning' | 'failed';

export interface WorkloadTask {
  workload: string;
  result: TaskResult;
  /** Why it failed, or what it skipped. */
  reason?: string;
  point?: PointManifest;
  warnings: string[];
  durationMs: number;
}

export interface RunBackupOptions {
  store: ObjectStore;
  jobName: string;
  /** The catalog job, recorded in a new backup's config (finds its password later). */
  jobId?: string;
  level?: number;
  workloads: Workload[];
  password?: string;
  kdf?: KdfParams;
  signal?: AbortSignal;
  /** How long to wait for another run of the job that holds its backup (default RUN_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  onProgress?: (progress: BackupProgress) => void;
  log?: (message: string) => void;
  /** What dates the point (created, completed): the system's time, or a test's virtual one. */
  clock?: Clock | undefined;
}

/**
 * One run of a folder backup job: one restore point per workload in the job's backup
 * (created on first use), under the backup's write lock. A failing workload is reported
 * and does not stop the others; a stop or a lost repository ends the run, the workloads
 * not reached reported as failed.
 */
export async function runBackup(options: RunBackupOptions): Promise<{ backup: BackupStore; tasks: WorkloadTask[] }> {
  const repository = await Repository.open(options.store);
  const backup = await repository.openOrCreateBackup(options.jobName, {
    kind: 'folder-backup',
    ...(options.jobId ? { jobId: options.jobId } : {}),
    ...(options.level ? { level: options.level } : {}),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.kdf ? { kdf: options.kdf } : {}),
  });
  const lock = await acquireLock(options.store, backup.folder, 'write', {
    purpose: `backup of job "${options.jobName}"`,
    waitMs: options.lockWaitMs ?? RUN_LOCK_WAIT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const tasks: WorkloadTask[] = [];
  let writer: BlobWriter | undefined;
  try {
    await backup.checkUnchanged();
    await clearLeftovers(backup, options.log ?? (() => undefined));
    await backup.refreshIndex();
    const newest = new Map<string, PointManifest>();
    const listing = await backup.listPoints();
    for (const point of listing.points) newest.set(point.workload, point);
    // A damaged point or index file is not this run's failure: the new points are whole (what the index lacks is stored again).
    for (const item of [...listing.damaged, ...backup.damagedIndexes]) options.log?.(item.message);
    writer = backup.writer();
    for (const [index, workload] of options.workloads.entries()) {
      const started = Date.now();
      try {
        const previous = newest.get(workload.name);
        const { point, warnings } = await backupWorkload({
          backup,
          writer,
          workload,
          ...(previous ? { previous } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          clock: options.clock,
        });
        tasks.push({
          workload: workload.name,
          result: warnings.length > 0 ? 'warning' : 'success',
          ...(warnings.length > 0 ? { reason: `${warnings.length} item(s) skipped` } : {}),
          point,
          warnings,
          durationMs: Date.now() - started,
        });
      } catch (error) {
        const fatal =
          error instanceof FerryError && (error.code === 'cancelled' || error.code === 'repo_unavailable' || error.code === 'wrong_password');
        const reason = (error as Error).message;
        tasks.push({ workload: workload.name, result: 'failed', reason, warnings: [], durationMs: Date.now() - started });
        if (fatal) {
          for (const rest of options.workloads.slice(index + 1)) {
            tasks.push({ workload: rest.name, result: 'failed', reason: `not started: ${reason}`, warnings: [], durationMs: 0 });
          }
          break;
        }
      }
    }
  } finally {
    // Uploads still running end before the lock does; the pack buffers' memory goes back now.
    await writer?.close();
    await lock.release().catch(() => undefined);
  }
  return { backup, tasks };
}
