import type { RetentionSpec } from '../../shared/domain/job.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import { readHealList, writeHealList } from '../repository/heal-list.ts';
import { keys } from '../repository/layout.ts';
import { acquireLock, type HeldLock } from '../repository/locks.ts';
import type { PointManifest } from '../repository/schemas.ts';

/** How forgetPoints gets the backup's write lock: the caller holds it already, or it is taken here. */
export type ForgetLock =
  | { held: true }
  | {
      held?: false;
      /** Why, as other runs see it while they wait ("ferry points rm"). */
      purpose: string;
      /** How long to wait for a run writing to the backup; after that `conflict`, naming it. */
      waitMs?: number;
      signal?: AbortSignal;
      log?: (message: string) => void;
    };

/** Takes the backup's write lock as `lock` says (none when the caller holds it), checking the backup is still the one opened. */
export async function writeLockFor(backup: BackupStore, lock: ForgetLock): Promise<HeldLock | undefined> {
  if (lock.held) return undefined;
  const held = await acquireLock(backup.store, backup.folder, 'write', {
    purpose: lock.purpose,
    ...(lock.waitMs === undefined ? {} : { waitMs: lock.waitMs }),
    ...(lock.signal ? { signal: lock.signal } : {}),
    ...(lock.log ? { log: lock.log } : {}),
  });
  try {
    await backup.checkUnchanged();
  } catch (error) {
    await held.release();
    throw error;
  }
  return held;
}

/**
 * Forgets restore points: deletes their manifests, under the backup's write lock. A point
 * is gone the instant its manifest is (nothing lists or copies it after); the data only
 * it needs stays in the packs until a compaction reclaims it. That is why a reader is no
 * reason to refuse: a copy or restore reading the point holds a read lock and has its
 * manifest already, and compaction, which alone deletes packs, waits for every read lock.
 * A point being written by another run is not listed yet, and cannot be named here.
 * `points` are manifests the caller read from this backup (under the lock it holds, or
 * just before): they are not read again. A point already gone is gone: its delete is a no-op.
 * The forgotten points leave the backup's heal list (nothing is fetched for them).
 * Returns the manifests removed, in the order given.
 */
export async function forgetPoints(backup: BackupStore, points: readonly PointManifest[], lock: ForgetLock): Promise<PointManifest[]> {
  const stranger = points.find((point) => point.backupId !== backup.config.id);
  if (stranger) throw new FerryError('internal', `Restore point ${stranger.id} is not of the backup at ${backup.where}: nothing was forgotten.`, { pointId: stranger.id });
  const held = await writeLockFor(backup, lock);
  try {
    const removed: PointManifest[] = [];
    for (const point of points) {
      try {
        await backup.store.delete(keys.point(backup.folder, point.id));
      } catch (error) {
        const done = removed.length === 0 ? 'none was forgotten' : `forgotten before it: ${removed.map((p) => p.id).join(', ')}`;
        throw new FerryError(error instanceof FerryError ? error.code : 'repo_unavailable', `Restore point ${point.id} of ${backup.where} could not be forgotten (${(error as Error).message}); ${done}.`, {
          pointId: point.id,
          forgotten: removed.map((p) => p.id),
        });
      }
      removed.push(point);
    }
    await dropFromHealList(backup, new Set(removed.map((point) => point.id)));
    return removed;
  } finally {
    await held?.release();
  }
}

/** The heal list without forgotten points; a damaged list is left as it is, for the health check to name. */
async function dropFromHealList(backup: BackupStore, gone: ReadonlySet<string>): Promise<void> {
  const list = await readHealList(backup).catch((error: unknown) => {
    if (error instanceof FerryError && error.code === 'corrupt_data') return undefined;
    throw error;
  });
  if (!list || !list.points.some((point) => gone.has(point.id))) return;
  await writeHealList(backup, { ...list, points: list.points.filter((point) => !gone.has(point.id)) });
}

/** A point and what retention says of it. */
export interface PointDecision {
  point: PointManifest;
  keep: boolean;
  /** In words: why kept or removed (see applyRetention). */
  reasons: string[];
}

/** Retention applied to each workload of a backup on its own, for points in listPoints order. */
export function retentionDecisions(points: readonly PointManifest[], retention: RetentionSpec, now: string, timeZone: string): PointDecision[] {
  const byWorkload = new Map<string, PointManifest[]>();
  for (const point of points) {
    const list = byWorkload.get(point.workload);
    if (list) list.push(point);
    else byWorkload.set(point.workload, [point]);
  }
  return [...byWorkload.values()].flatMap((list) =>
    applyRetention(list, retention, now, timeZone).map((decision, index) => ({ point: list[index]!, keep: decision.keep, reasons: decision.reasons })),
  );
}

/** "point <id> of <workload> (created …): <why>", for the session and the CLI. */
export function describePoint(point: Pick<PointManifest, 'id' | 'workload' | 'created'>, reasons: readonly string[]): string {
  return `point ${point.id} of ${point.workload} (created ${point.created})${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`;
}
