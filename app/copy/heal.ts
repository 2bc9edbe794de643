import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore, BlobWriter } from '../repository/backup-store.ts';
import type { PointManifest } from '../repository/schemas.ts';
import { transferPoint } from './copy-point.ts';
import { originKey, originOf } from './plan.ts';
import type { SourceBackup } from './run-copy.ts';
import type { Throttle } from './throttle.ts';
import type { TransferGate } from './transfer-window.ts';
import { count } from '../../shared/format/count.ts';

/** A point of a source, as a run listed it. */
export interface SourcePoint {
  source: SourceBackup;
  point: PointManifest;
}

export interface HealOutcome {
  point: string;
  workload: string;
  /** Fetched again from `from`; else still damaged, and why. */
  healed: boolean;
  fetched: number;
  from?: string;
  reason?: string;
}

export interface HealOptions {
  /** The job's backup, under the run's write lock, its index read. */
  target: BackupStore;
  writer: BlobWriter;
  /** The target's points that the heal list names (those gone since are not healed). */
  points: readonly PointManifest[];
  /** Every point of the run's sources, read-locked, their indexes read by `readIndex`. */
  sourcePoints: readonly SourcePoint[];
  readIndex: (backup: BackupStore) => Promise<void>;
  throttle: (source: SourceBackup) => Throttle;
  window?: TransferGate | undefined;
  signal?: AbortSignal | undefined;
  log: (level: 'info', message: string) => void;
}

/**
 * The source points a target point can be fetched again from, best first: the very point
 * it was copied from (its lineage), then any other point of the same origin (the primary,
 * or another copy of it) with the same tree, so the same blobs.
 */
export function healSources(point: PointManifest, sourcePoints: readonly SourcePoint[]): SourcePoint[] {
  const origin = originKey(originOf(point));
  const same = sourcePoints.filter((candidate) => candidate.point.tree === point.tree && originKey(originOf(candidate.point)) === origin);
  const copiedFrom = (candidate: SourcePoint) => candidate.point.id === point.lineage?.pointId && candidate.source.backup.config.id === point.lineage.backupId;
  return [...same.filter(copiedFrom), ...same.filter((candidate) => !copiedFrom(candidate))];
}

/**
 * Heals points of the job's backup that a health check found needing chunks the backup
 * no longer has: each gets the blobs it lacks again from a source point of the same
 * origin and tree (transferPoint: only what the target's index lacks moves, checked and
 * resealed as a copy does), said in the log. A point no source can give is returned
 * with why (its caller warns, every run). A damaged source point is tried no further;
 * the next is.
 */
export async function healPoints(options: HealOptions): Promise<HealOutcome[]> {
  const outcomes: HealOutcome[] = [];
  for (const point of options.points) {
    const outcome: HealOutcome = { point: point.id, workload: point.workload, healed: false, fetched: 0 };
    const failures: string[] = [];
    for (const { source, point: from } of healSources(point, options.sourcePoints)) {
      await options.readIndex(source.backup);
      try {
        const moved = await transferPoint({
          source: source.backup,
          target: options.target,
          writer: options.writer,
          point: from,
          throttle: options.throttle(source),
          window: options.window,
          signal: options.signal,
        });
        Object.assign(outcome, { healed: true, fetched: moved.blobs, from: source.backup.where });
        break;
      } catch (error) {
        if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
        failures.push(`${source.backup.where}: ${error.message}`);
      }
    }
    if (outcome.healed) {
      options.log('info', `healed point ${point.id} of ${point.workload}: ${count(outcome.fetched, 'chunk', 'chunks')} fetched again from ${outcome.from}.`);
    } else {
      // Said by the caller once the workload's copies are done (they may bring the chunks back).
      outcome.reason =
        failures.length > 0
          ? `no source could give what it lacks (${failures.join('; ')})`
          : 'no source holds the point it was copied from, nor another copy of the point it came from';
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
