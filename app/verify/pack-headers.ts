import { FerryError } from '../../shared/rpc/errors.ts';
import { packHeaderOpener, type PackEntry, readPackHeader } from '../format/pack.ts';
import { idToHex } from '../format/hash.ts';
import type { BackupStore, DamagedItem } from '../repository/backup-store.ts';
import type { IndexEntry } from '../repository/blob-index.ts';
import { baseName, keys } from '../repository/layout.ts';
import { mapBounded } from '../storage/bounded.ts';

/** Pack headers read at once: a small read each (the tail of the pack), on S3 a round trip each. */
const HEADER_READS = 8;

export interface PackHeaderCheck {
  packsChecked: number;
  /** Packs no index file describes: left by an interrupted run, or described by a damaged index file (`--repair` indexes them again). */
  unindexed: string[];
  damaged: DamagedItem[];
}

/** The stored packs of a backup, by id, with their sizes. */
export async function storedPacks(backup: BackupStore): Promise<Map<string, number>> {
  const packs = new Map<string, number>();
  for await (const object of backup.store.list(keys.packs(backup.folder))) packs.set(baseName(object.key), object.size);
  return packs;
}

/** A stored pack's header (only its tail is read); FerryError('corrupt_data') naming the pack when it cannot be read. */
export function packHeader(backup: BackupStore, pack: string, size: number): Promise<PackEntry[]> {
  const key = keys.pack(backup.folder, pack);
  return readPackHeader(
    { size, read: (offset, length) => backup.store.getRange(key, offset, length) },
    { name: key, ...(backup.cipherKey ? { openHeader: packHeaderOpener(backup.cipherKey) } : {}) },
  );
}

/** Where the header and the index disagree about a blob, or undefined. */
function mismatch(entry: IndexEntry, header: PackEntry | undefined): string | undefined {
  if (!header) return 'its header does not list it';
  const differs: string[] = [];
  if (header.offset !== entry.offset) differs.push(`offset ${header.offset} ≠ ${entry.offset}`);
  if (header.storedLength !== entry.length) differs.push(`length ${header.storedLength} ≠ ${entry.length}`);
  if (header.plaintextLength !== entry.plain) differs.push(`plaintext length ${header.plaintextLength} ≠ ${entry.plain}`);
  if (header.type !== entry.type) differs.push(`type ${header.type} ≠ ${entry.type}`);
  if (header.codec !== entry.codec) differs.push(`codec ${header.codec} ≠ ${entry.codec}`);
  return differs.length === 0 ? undefined : `its header and the index disagree (${differs.join(', ')})`;
}

/**
 * Reads the header of every pack of the backup and checks it against the index: every
 * blob the index places in a pack must be in that pack's header at the same place, with
 * the same lengths, type and codec. A missing pack, an unreadable header (a flipped
 * byte fails its CRC-32, or its authentication when sealed) or a disagreement is named
 * by the pack's key; what the points lose by it is reported by their blobs.
 */
export async function checkPackHeaders(backup: BackupStore, checkCancelled: () => void): Promise<PackHeaderCheck> {
  const indexed = new Map<string, Map<string, IndexEntry>>();
  for (const [id, entry] of backup.indexEntries()) {
    let blobs = indexed.get(entry.pack);
    if (!blobs) indexed.set(entry.pack, (blobs = new Map()));
    blobs.set(id, entry);
  }
  const stored = await storedPacks(backup);
  const result: PackHeaderCheck = { packsChecked: 0, unindexed: [...stored.keys()].filter((pack) => !indexed.has(pack)).sort(), damaged: [] };
  const problems = await mapBounded([...indexed], HEADER_READS, async ([pack, blobs]): Promise<DamagedItem | undefined> => {
    checkCancelled();
    const key = keys.pack(backup.folder, pack);
    const size = stored.get(pack);
    if (size === undefined) return { key, message: `The pack ${key} is missing: the index places ${blobs.size} blob(s) in it.` };
    let header: PackEntry[];
    try {
      header = await packHeader(backup, pack, size);
    } catch (error) {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      return { key, message: error.message };
    } finally {
      result.packsChecked++;
    }
    const byId = new Map(header.map((entry) => [idToHex(entry.id), entry]));
    for (const [id, entry] of blobs) {
      const wrong = mismatch(entry, byId.get(id));
      if (wrong) return { key, message: `The pack ${key} is damaged: blob ${id}: ${wrong}.` };
    }
    return undefined;
  });
  result.damaged = problems.filter((problem) => problem !== undefined);
  return result;
}
