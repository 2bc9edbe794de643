import { formatBytes } from '../../shared/format/bytes.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { PACK_ENTRY_LENGTH, packOverhead } from '../format/pack.ts';
import { type BackupStore, PACK_TARGET } from '../repository/backup-store.ts';
import { keys } from '../repository/layout.ts';
import { clearLeftovers } from '../repository/leftovers.ts';
import { acquireLock } from '../repository/locks.ts';
import { planCompaction, REPACK_THRESHOLD } from './compact-plan.ts';
import { INDEX_FILE_BLOBS, IndexFileWriter } from './index-writer.ts';
import { repackBlobs } from './repack.ts';
import { storedPacks } from '../verify/pack-headers.ts';
import { forEachBounded } from '../storage/bounded.ts';
import { count } from '../../shared/format/count.ts';

export { REPACK_THRESHOLD } from './compact-plan.ts';
export { INDEX_FILE_BLOBS } from './index-writer.ts';

/** What a compaction did (or, dry, would do). Bytes are stored bytes (compressed, sealed). */
export interface CompactReport {
  /** The backup, for messages (`<location>/<folder>`). */
  backup: string;
  dryRun: boolean;
  repackThreshold: number;
  /** Restore points kept, and the blobs (trees and chunks) they need. */
  points: number;
  blobsNeeded: number;
  bytesNeeded: number;
  packsBefore: number;
  bytesBefore: number;
  packsAfter: number;
  bytesAfter: number;
  bytesReclaimed: number;
  /** Packs no kept point needs anything of: deleted whole. */
  packsDeleted: number;
  /** Packs whose unneeded share was above the threshold: their needed blobs went into new packs. */
  packsRepacked: number;
  blobsRepacked: number;
  bytesRepacked: number;
  packsWritten: number;
  /** Packs no index file described (a crashed run's): deleted. */
  unindexedPacksRemoved: number;
  /** Left because needed blobs are missing from the index (they may be in them). */
  unindexedPacksKept: number;
  /** Needed blobs no index file describes: their points were already damaged (verify names them). */
  missingBlobs: number;
  /** Packs the index describes and the points need, but which are not stored. */
  missingPacks: string[];
  indexFilesBefore: number;
  indexFilesAfter: number;
  indexFilesWritten: number;
  indexFilesRemoved: number;
}

export interface CompactOptions {
  /** Opened with its key; compactBackup's caller holds its exclusive lock. */
  backup: BackupStore;
  /** Computes and reports everything, writes nothing. */
  dryRun?: boolean;
  /** Share of a pack's stored bytes (0–1) not needed above which it is repacked; default 25 %. */
  repackThreshold?: number;
  log?: (line: string) => void;
  /** Throws to stop (between steps: every step leaves a readable backup). */
  checkCancelled?: () => void;
  /** Size of new packs (tests make them small); default PACK_TARGET. */
  packTarget?: number;
}

/**
 * Objects deleted at once: on S3 each delete is a round trip, and a first consolidation
 * removes thousands of index files. A failure lets the running ones end and starts no more.
 */
const DELETES_AT_ONCE = 8;

/** A removal that failed: the compaction stops there, saying why nothing is lost. */
function stopped(backup: BackupStore, error: unknown, what: string, key: string): FerryError {
  const code = error instanceof FerryError ? error.code : 'repo_unavailable';
  return new FerryError(code, `Compaction of ${backup.where} stopped: ${what}.`, { key });
}

/**
 * Compacts a backup: deletes the packs no kept point needs, repacks those whose unneeded
 * share is above the threshold, deletes packs no index file describes (a crashed run's),
 * and merges small index files into files of up to INDEX_FILE_BLOBS blobs. Every step
 * leaves a backup whose every point reads, so a crash or a failure anywhere loses
 * nothing, and the next compaction finishes the job:
 *   1. new packs (not indexed yet: a crash leaves unindexed packs, deleted next time);
 *   2. new index files describing every kept blob that the remaining files do not;
 *   3. the old index files removed (a blob described twice meanwhile is in two packs that both exist);
 *   4. only then the packs that go: no index file mentions them any more, so no reader's
 *      index can place a kept blob in them. A failure to remove an index file stops
 *      before step 4.
 * Refuses (corrupt_data, naming it) when a point or an index file cannot be read. After
 * it (not after a dry run) the backup's index read is dropped: the caller's next
 * refreshIndex reads what is stored now.
 */
export async function compactBackup(options: CompactOptions): Promise<CompactReport> {
  const { backup, dryRun = false } = options;
  const threshold = options.repackThreshold ?? REPACK_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new FerryError('invalid_input', `The repack threshold must be from 0 to 1, not ${threshold}.`);
  const packTarget = options.packTarget ?? PACK_TARGET;
  const log = options.log ?? (() => undefined);
  const checkCancelled = options.checkCancelled ?? (() => undefined);

  log(`Compacting ${backup.where}${dryRun ? ' (dry run: nothing is changed)' : ''}: reading its index and the trees of its restore points.`);
  const plan = await planCompaction(backup, threshold, checkCancelled);
  checkCancelled();
  const goes = (action: string) => [...plan.packs].filter(([, state]) => state.action === action);
  const deleted = goes('delete');
  const repacked = goes('repack');
  const missingPacks = [...plan.packs].filter(([, state]) => state.size === undefined && state.action === 'keep').map(([pack]) => pack);
  const removeUnindexed = plan.keepUnindexed ? [] : [...plan.unindexed];

  // The needed blobs to move.
  const moving: string[] = [];
  let bytesRepacked = 0;
  if (repacked.length > 0) {
    for (const [id, entry] of backup.indexEntries()) {
      if (plan.packs.get(entry.pack)!.action !== 'repack' || !plan.needed.has(id)) continue;
      moving.push(id);
      bytesRepacked += entry.length;
    }
  }

  const report: CompactReport = {
    backup: backup.where,
    dryRun,
    repackThreshold: threshold,
    points: plan.points,
    blobsNeeded: plan.needed.size - plan.missingBlobs,
    bytesNeeded: plan.bytesNeeded,
    packsBefore: plan.storedPacks,
    bytesBefore: plan.storedBytes,
    packsAfter: 0,
    bytesAfter: 0,
    bytesReclaimed: 0,
    packsDeleted: deleted.filter(([, state]) => state.size !== undefined).length,
    packsRepacked: repacked.length,
    blobsRepacked: moving.length,
    bytesRepacked,
    packsWritten: 0,
    unindexedPacksRemoved: removeUnindexed.length,
    unindexedPacksKept: plan.keepUnindexed ? plan.unindexed.size : 0,
    missingBlobs: plan.missingBlobs,
    missingPacks,
    indexFilesBefore: plan.indexFiles.size,
    indexFilesAfter: 0,
    indexFilesWritten: 0,
    indexFilesRemoved: 0,
  };
  const goneBytes = [...deleted, ...repacked].reduce((sum, [, state]) => sum + (state.size ?? 0), 0) + removeUnindexed.reduce((sum, [, size]) => sum + size, 0);
  const gonePacks = report.packsDeleted + repacked.length + removeUnindexed.length;

  if (dryRun) {
    report.packsWritten = Math.ceil(bytesRepacked / packTarget);
    const writtenBytes = bytesRepacked + report.packsWritten * packOverhead(0, backup.encrypted) + moving.length * PACK_ENTRY_LENGTH;
    const describedBlobs = [...plan.redescribe].reduce((sum, pack) => sum + plan.packs.get(pack)!.blobs, 0);
    report.indexFilesWritten = Math.ceil((describedBlobs + moving.length) / INDEX_FILE_BLOBS);
    report.indexFilesRemoved = plan.removeFiles.length;
    report.indexFilesAfter = report.indexFilesBefore - report.indexFilesRemoved + report.indexFilesWritten;
    report.packsAfter = report.packsBefore - gonePacks + report.packsWritten;
    report.bytesAfter = report.bytesBefore - goneBytes + writtenBytes;
    report.bytesReclaimed = report.bytesBefore - report.bytesAfter;
    return report;
  }

  await clearLeftovers(backup, log);
  try {
    // 1. New packs.
    if (moving.length > 0) log(`Repacking ${count(moving.length, 'chunk', 'chunks')} (${formatBytes(bytesRepacked)}) of ${count(repacked.length, 'pack', 'packs')} of ${backup.where}.`);
    const newPacks = await repackBlobs(backup, moving, { packTarget, checkCancelled });
    report.packsWritten = newPacks.length;
    checkCancelled();

    // 2. The new index, whole, before anything old is removed.
    // Kept packs whose every index file goes are described anew, from the index read (a blob it places elsewhere is left out).
    const files = new IndexFileWriter(backup);
    if (plan.redescribe.size > 0) {
      for (const [id, entry] of backup.indexEntries()) {
        if (plan.redescribe.has(entry.pack)) await files.add(entry.pack, { id, type: entry.type, codec: entry.codec, offset: entry.offset, length: entry.length, plain: entry.plain });
      }
    }
    for (const pack of newPacks) for (const blob of pack.blobs) await files.add(pack.id, blob);
    await files.flush();
    const written = files.written;
    report.indexFilesWritten = written.size;
    checkCancelled();

    // 3. The old index files. Until each is gone a reader may still find blobs in the packs it names: those stay.
    // An unencrypted file of the same content has the same name: it is a new one.
    await forEachBounded(
      plan.removeFiles.filter((id) => !written.has(id)),
      DELETES_AT_ONCE,
      async (id) => {
        const key = keys.index(backup.folder, id);
        try {
          await backup.store.delete(key);
        } catch (error) {
          throw stopped(backup, error, `the old index file ${key} could not be removed (${(error as Error).message}). No pack was deleted, so nothing a restore point needs is lost; the next compaction finishes the job`, key);
        }
        report.indexFilesRemoved++;
      },
    );
    checkCancelled();

    // 4. The packs no index file names any more. A new pack may have the name of an old one (same bytes): it stays.
    const kept = new Set(newPacks.map((pack) => pack.id));
    const doomed = [...deleted, ...repacked].filter(([, state]) => state.size !== undefined).map(([pack]) => pack);
    doomed.push(...removeUnindexed.map(([pack]) => pack));
    await forEachBounded(
      doomed.filter((pack) => !kept.has(pack)),
      DELETES_AT_ONCE,
      async (pack) => {
        checkCancelled();
        const key = keys.pack(backup.folder, pack);
        try {
          await backup.store.delete(key);
        } catch (error) {
          throw stopped(backup, error, `the pack ${key}, which no restore point needs, could not be deleted (${(error as Error).message}). No index file names it any more, so nothing is lost; the next compaction deletes it`, key);
        }
      },
    );
  } finally {
    // From the first write on, the index read is the old one, whether this ended or stopped:
    // the caller reads it again (refreshIndex) before any use.
    backup.dropIndex();
  }
  for await (const _file of backup.store.list(keys.indexes(backup.folder))) report.indexFilesAfter++;
  const after = await storedPacks(backup);
  report.packsAfter = after.size;
  report.bytesAfter = [...after.values()].reduce((sum, size) => sum + size, 0);
  report.bytesReclaimed = report.bytesBefore - report.bytesAfter;
  return report;
}

/** compactBackup under the backup's exclusive lock, taken here and released after. */
export async function compactWithLock(
  backup: BackupStore,
  options: Omit<CompactOptions, 'backup'> & {
    /** How long to wait for the readers and writers of the backup; after that `conflict`, naming the holder. */
    waitMs?: number;
    /** Stops the wait for the lock, and the compaction between steps. */
    signal?: AbortSignal;
    /** Why, as other runs see it while they wait: name the compaction ("compaction after job X"). */
    purpose: string;
  },
): Promise<CompactReport> {
  const { signal } = options;
  const lock = await acquireLock(backup.store, backup.folder, 'exclusive', {
    purpose: options.purpose,
    ...(options.log ? { log: options.log } : {}),
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(signal ? { signal } : {}),
  });
  try {
    await backup.checkUnchanged();
    return await compactBackup({
      ...options,
      backup,
      checkCancelled: () => {
        options.checkCancelled?.();
        if (signal?.aborted) throw new FerryError('cancelled', `The compaction of ${backup.where} was stopped.`);
      },
    });
  } finally {
    await lock.release();
  }
}

/** What a compaction did, in lines for a session's log and the CLI. */
export function describeCompaction(report: CompactReport): string[] {
  const would = report.dryRun ? 'would be ' : '';
  const lines = [
    `${report.backup}: ${count(report.points, 'restore point needs', 'restore points need')} ${formatBytes(report.bytesNeeded)} stored (${count(report.blobsNeeded, 'chunk or folder listing', 'chunks and folder listings')}).`,
  ];
  const removed: string[] = [];
  if (report.packsDeleted > 0) removed.push(`${count(report.packsDeleted, 'pack', 'packs')} no kept point needs ${would}deleted`);
  if (report.packsRepacked > 0) {
    removed.push(
      `${count(report.packsRepacked, 'pack', 'packs')} more than ${Math.round(report.repackThreshold * 100)} % unneeded ${would}repacked (${count(report.blobsRepacked, 'chunk', 'chunks')}, ${formatBytes(report.bytesRepacked)}, into ${count(report.packsWritten, 'new pack', 'new packs')})`,
    );
  }
  if (report.unindexedPacksRemoved > 0) removed.push(`${count(report.unindexedPacksRemoved, 'pack', 'packs')} no index file describes (left by an interrupted run) ${would}deleted`);
  lines.push(removed.length > 0 ? `${removed.join('; ')}.` : 'No pack to remove.');
  lines.push(
    `Stored: ${formatBytes(report.bytesBefore)} in ${count(report.packsBefore, 'pack', 'packs')} ${report.dryRun ? 'would become' : '→'} ${formatBytes(report.bytesAfter)} in ${count(report.packsAfter, 'pack', 'packs')}: ${formatBytes(Math.max(0, report.bytesReclaimed))} ${report.dryRun ? 'to reclaim' : 'reclaimed'}.`,
  );
  if (report.indexFilesRemoved > 0 || report.indexFilesWritten > 0) {
    lines.push(`Index: ${count(report.indexFilesBefore, 'file', 'files')} ${report.dryRun ? 'would become' : '→'} ${report.indexFilesAfter} (${report.indexFilesWritten} written, ${report.indexFilesRemoved} merged or removed).`);
  }
  if (report.missingBlobs > 0) {
    lines.push(
      `WARNING: ${count(report.missingBlobs, 'chunk', 'chunks')} the points need ${report.missingBlobs === 1 ? 'is' : 'are'} in no index file: those points are damaged (ferry verify names them)${report.unindexedPacksKept > 0 ? `; the ${count(report.unindexedPacksKept, 'pack', 'packs')} no index describes ${report.unindexedPacksKept === 1 ? 'was' : 'were'} kept, as ${report.unindexedPacksKept === 1 ? 'it' : 'they'} may hold them (ferry verify --repair indexes them)` : ''}.`,
    );
  }
  if (report.missingPacks.length > 0) {
    lines.push(`WARNING: ${count(report.missingPacks.length, 'pack', 'packs')} the points need ${report.missingPacks.length === 1 ? 'is' : 'are'} missing: ${report.missingPacks.slice(0, 5).join(', ')}${report.missingPacks.length > 5 ? ', …' : ''} (ferry verify names the damaged points).`);
  }
  return lines;
}
