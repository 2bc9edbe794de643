import { FerryError } from '../../shared/rpc/errors.ts';
import type { KdfParams } from '../format/crypto.ts';
import type { BackupStore, BlobWriter } from '../repository/backup-store.ts';
import { healListChanged, readHealList, remainingHealList, writeHealList } from '../repository/heal-list.ts';
import { clearLeftovers } from '../repository/leftovers.ts';
import { acquireLock, RUN_LOCK_WAIT_MS } from '../repository/locks.ts';
import { Repository } from '../repository/repository.ts';
import type { HealList, PointManifest } from '../repository/schemas.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { type BackupProgress, backupWorkload, type Workload } from './folder-backup.ts';
import type { Clock } from '../util/clock.ts';
import { count } from '../../shared/format/count.ts';

/** `stopped`: the run was stopped (its signal) before the workload was done. */
export type TaskResult = 'success' | 'warning' | 'failed' | 'stopped';

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
 * After a health check dropped chunks, the points that need them heal as files are read
 * again: an unchanged file whose chunk the index lacks is read and stored again (see
 * `unchanged` in folder-backup.ts), which puts back what every point with that file
 * needs. Each listed point is said healed, or still DAMAGED (a warning of its workload
 * at every run: its files changed since, so no run can give what it lacks).
 */
async function settleHealList(backup: BackupStore, list: HealList, points: readonly PointManifest[], tasks: WorkloadTask[], log: ((message: string) => void) | undefined): Promise<void> {
  const present = new Set(points.map((point) => point.id));
  const left = remainingHealList(list, present, new Set(), (id) => backup.has(id));
  const still = new Map(left.points.map((entry) => [entry.id, entry]));
  for (const entry of list.points) {
    if (!present.has(entry.id)) continue;
    const missing = still.get(entry.id)?.chunks.length;
    const note =
      missing === undefined
        ? `healed point ${entry.id}: the ${count(entry.chunks.length, 'chunk it lacked was', 'chunks it lacked were')} stored again from the unchanged files`
        : `point ${entry.id} is DAMAGED: ${count(missing, 'chunk it needs is', 'chunks it needs are')} not in the backup any more, and no file this run read gave ${missing === 1 ? 'it' : 'them'} back (changed since)`;
    const task = tasks.find((candidate) => candidate.workload === entry.workload);
    if (!task) {
      log?.(`${entry.workload}: ${note}.`);
      continue;
    }
    task.reason = task.reason ? `${task.reason}; ${note}` : note;
    if (missing !== undefined && task.result === 'success') task.result = 'warning';
  }
  if (healListChanged(list, left)) await writeHealList(backup, left);
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
    const healing = await readHealList(backup).catch((error: unknown) => {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      options.log?.(`${error.message} The next health check writes it again.`);
      return undefined;
    });
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
          ...(warnings.length > 0 ? { reason: `${count(warnings.length, 'item', 'items')} skipped` } : {}),
          point,
          warnings,
          durationMs: Date.now() - started,
        });
      } catch (error) {
        const fatal =
          error instanceof FerryError && (error.code === 'cancelled' || error.code === 'repo_unavailable' || error.code === 'wrong_password');
        const reason = (error as Error).message;
        const result = options.signal?.aborted && error instanceof FerryError && error.code === 'cancelled' ? 'stopped' : 'failed';
        tasks.push({ workload: workload.name, result, reason, warnings: [], durationMs: Date.now() - started });
        if (fatal) {
          for (const rest of options.workloads.slice(index + 1)) {
            tasks.push({ workload: rest.name, result, reason: `not started: ${reason}`, warnings: [], durationMs: 0 });
          }
          break;
        }
      }
    }
    if (healing) await settleHealList(backup, healing, listing.points, tasks, options.log);
  } finally {
    // Uploads still running end before the lock does; the pack buffers' memory goes back now.
    await writer?.close();
    await lock.release().catch(() => undefined);
  }
  return { backup, tasks };
}
