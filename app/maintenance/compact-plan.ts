import { FerryError } from '../../shared/rpc/errors.ts';
import { packOverhead } from '../format/pack.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import { Listings } from '../repository/listings.ts';
import { NeededBlobs } from '../repository/needed-blobs.ts';
import { TreeReader } from '../repository/trees.ts';
import { StoreError } from '../storage/object-store.ts';
import { INDEX_FILE_BLOBS } from './index-writer.ts';
import { storedPacks } from '../verify/pack-headers.ts';

/**
 * An index file of at least this many blobs is large: it stays as it is while every pack
 * it describes stays (rewriting it gains nothing). Smaller ones are merged, so a backup
 * has at most one file per 8k blobs plus the files written since its last compaction.
 */
export const LARGE_INDEX_FILE_BLOBS = INDEX_FILE_BLOBS / 2;
/** A pack is repacked when more than this share of its stored bytes is not needed (restic's default is 5 %: repacking costs reading and writing). */
export const REPACK_THRESHOLD = 0.25;

export type PackAction = 'keep' | 'repack' | 'delete';

export interface PackState {
  /** Stored size; undefined when the index describes a pack that is not stored. */
  size: number | undefined;
  /** Index entries placing a blob here (a blob described in several packs counts in one: the index's). */
  blobs: number;
  neededBlobs: number;
  /** Stored bytes of the needed blobs. */
  neededBytes: number;
  action: PackAction;
}

export interface CompactionPlan {
  points: number;
  /** The blobs the points need: trees and chunks. */
  needed: Set<string>;
  /** Stored bytes of the needed blobs. */
  bytesNeeded: number;
  /** Needed blobs no index file describes: their points are already damaged (ferry verify names them). */
  missingBlobs: number;
  /** Every pack an index file describes. */
  packs: Map<string, PackState>;
  /** Stored packs no index file describes (a crashed run's), with their sizes. */
  unindexed: Map<string, number>;
  /** Unindexed packs are kept when needed blobs are missing from the index: they may hold them. */
  keepUnindexed: boolean;
  /** Every index file: the packs it describes and its blob count. */
  indexFiles: Map<string, { packs: string[]; blobs: number }>;
  /** Index files removed once the new ones are written. */
  removeFiles: string[];
  /** Kept packs whose every index file goes: described again by the new files. */
  redescribe: Set<string>;
  /** Stored size of every pack before. */
  storedBytes: number;
  storedPacks: number;
}

/** Why compaction does not start: it would delete what the unreadable item may need. */
function refused(backup: BackupStore, what: string): FerryError {
  return new FerryError(
    'corrupt_data',
    `Compaction of ${backup.where} refused: ${what}. What it needs cannot be known, so nothing was removed; ferry verify names the damage and ferry verify --repair rebuilds the index and moves aside what cannot be read.`,
  );
}

/**
 * What compaction does, found without writing anything. The caller holds the backup's
 * exclusive lock: no point is being written, so packs without an index are a crashed
 * run's. Refuses (corrupt_data, naming it) when an index file or a point cannot be
 * read whole: the blobs only it would show as needed could be deleted.
 */
export async function planCompaction(backup: BackupStore, threshold: number, checkCancelled: () => void): Promise<CompactionPlan> {
  const indexFiles = new Map<string, { packs: string[]; blobs: number }>();
  await backup.reloadIndex((id, file) => {
    indexFiles.set(id, { packs: file.packs.map((pack) => pack.id), blobs: file.packs.reduce((sum, pack) => sum + pack.blobs.length, 0) });
  });
  const damagedIndexes = backup.damagedIndexes;
  if (damagedIndexes.length > 0) {
    throw refused(backup, `the index file(s) ${damagedIndexes.map((item) => item.key).join(', ')} cannot be read (${damagedIndexes[0]!.message})`);
  }
  const listing = await backup.listPoints();
  if (listing.damaged.length > 0) {
    throw refused(backup, `the restore point file(s) ${listing.damaged.map((item) => item.key).join(', ')} cannot be read (${listing.damaged[0]!.message})`);
  }

  const listings = new Listings(new TreeReader(backup));
  const walk = new NeededBlobs(
    (id) => {
      checkCancelled();
      return listings.nodes(id);
    },
    // What the trees hold path by path is verify's matter: not looked up here.
    () => 0,
  );
  for (const point of listing.points) {
    try {
      await walk.walk(point.tree);
    } catch (error) {
      const damage = (error instanceof FerryError && error.code === 'corrupt_data') || (error instanceof StoreError && error.kind === 'not_found');
      if (!damage) throw error;
      throw refused(backup, `restore point ${point.id} (workload "${point.workload}") cannot be read whole (${error.message})`);
    }
  }
  const needed = walk.ids;

  const packs = new Map<string, PackState>();
  const stateOf = (pack: string): PackState => {
    let state = packs.get(pack);
    if (!state) packs.set(pack, (state = { size: undefined, blobs: 0, neededBlobs: 0, neededBytes: 0, action: 'keep' }));
    return state;
  };
  for (const file of indexFiles.values()) for (const pack of file.packs) stateOf(pack);
  let bytesNeeded = 0;
  let neededIndexed = 0;
  for (const [id, entry] of backup.indexEntries()) {
    const state = stateOf(entry.pack);
    state.blobs++;
    if (!needed.has(id)) continue;
    state.neededBlobs++;
    state.neededBytes += entry.length;
    bytesNeeded += entry.length;
    neededIndexed++;
  }

  const stored = await storedPacks(backup);
  for (const [pack, state] of packs) {
    state.size = stored.get(pack);
    if (state.neededBlobs === 0) state.action = 'delete';
    else if (state.size === undefined) state.action = 'keep';
    else {
      const unneeded = state.size - state.neededBytes - packOverhead(state.neededBlobs, backup.encrypted);
      state.action = unneeded > threshold * state.size ? 'repack' : 'keep';
    }
  }
  const unindexed = new Map([...stored].filter(([pack]) => !packs.has(pack)));

  // Files describing a pack that goes must go; small ones are merged, when there is more than one to merge.
  const forced: string[] = [];
  const small: string[] = [];
  for (const [id, file] of indexFiles) {
    if (file.packs.some((pack) => packs.get(pack)!.action !== 'keep')) forced.push(id);
    else if (file.blobs < LARGE_INDEX_FILE_BLOBS) small.push(id);
  }
  const removeFiles = forced.length > 0 || small.length > 1 ? [...forced, ...small] : [];
  const removed = new Set(removeFiles);
  const stillDescribed = new Set<string>();
  for (const [id, file] of indexFiles) if (!removed.has(id)) for (const pack of file.packs) stillDescribed.add(pack);
  const redescribe = new Set([...packs].filter(([pack, state]) => state.action === 'keep' && !stillDescribed.has(pack)).map(([pack]) => pack));

  return {
    points: listing.points.length,
    needed,
    bytesNeeded,
    missingBlobs: needed.size - neededIndexed,
    packs,
    unindexed,
    keepUnindexed: needed.size > neededIndexed,
    indexFiles,
    removeFiles,
    redescribe,
    storedBytes: [...stored.values()].reduce((sum, size) => sum + size, 0),
    storedPacks: stored.size,
  };
}

