import { FerryError } from '../../shared/rpc/errors.ts';
import { loadBlob } from '../format/blob-sealer.ts';
import { idFromHex, idToHex, packId } from '../format/hash.ts';
import { packHeaderOpener, packHeaderSealer, type PackEntry, parsePackHeader, PackWriter, PACK_MAX_SIZE } from '../format/pack.ts';
import { type BackupStore, blobRef, indexBlob } from '../repository/backup-store.ts';
import type { IndexEntry } from '../repository/blob-index.ts';
import type { IndexBlob, IndexFile } from '../repository/bulk-documents.ts';
import { baseName, keys } from '../repository/layout.ts';
import { storedPacks } from './pack-headers.ts';

/** Packs described by one new index file: small files, each written whole before anything old goes. */
const PACKS_PER_INDEX_FILE = 256;

export interface LostBlob {
  id: string;
  pack: string;
  message: string;
}

export interface RepairReport {
  packsRead: number;
  blobsIndexed: number;
  /** Index files written, and the old ones removed (the damaged ones among them quarantined). */
  indexFilesWritten: number;
  indexFilesRemoved: number;
  /** Damaged packs whose intact blobs went into a new pack. */
  packsRewritten: { from: string; to: string; blobs: number }[];
  /** Keys moved to the backup's quarantine/ (packs, index files, point files it cannot read). */
  quarantined: string[];
  /** Blobs no intact pack holds any more: the points that need them stay damaged (verify names them). */
  lost: LostBlob[];
  /** Point files that cannot be read, where they are now in the quarantine: those points are lost. */
  lostPoints: string[];
}

export interface RepairOptions {
  /** Opened with its key; the caller holds its exclusive lock. */
  backup: BackupStore;
  log?: (line: string) => void;
  checkCancelled?: () => void;
}

/** Copies an object into the quarantine; the caller removes the original once nothing needs it. */
async function setAside(backup: BackupStore, key: string, kind: 'packs' | 'index' | 'points', bytes?: Buffer): Promise<string> {
  const to = keys.quarantine(backup.folder, kind, baseName(key));
  await backup.store.put(to, bytes ?? (await backup.store.get(key)));
  return to;
}

/** Moves an object into the quarantine: copied there first, then removed (a crash between leaves both). */
async function quarantine(backup: BackupStore, key: string, kind: 'index' | 'points'): Promise<string> {
  const to = await setAside(backup, key, kind);
  await backup.store.delete(key);
  return to;
}

/**
 * Rebuilds a backup's index from its packs. Each pack is read whole: one whose bytes
 * still hash to its name and whose header reads is indexed from its header. Of any
 * other, each blob its header (or, when the header is damaged, the old index) places in
 * it is checked (authentication, decompression, SHA-256 = id); the intact ones go into a
 * new pack, the rest are reported lost. Then, each step leaving a readable backup if
 * the process dies: new packs, new index files, the old index files removed (damaged
 * ones quarantined), the damaged packs and point files quarantined. Nothing is deleted
 * that the new index does not replace.
 */
export async function repairIndex(options: RepairOptions): Promise<RepairReport> {
  const { backup } = options;
  const log = options.log ?? (() => undefined);
  const checkCancelled = options.checkCancelled ?? (() => undefined);
  await backup.refreshIndex();
  const damagedIndexes = new Set(backup.damagedIndexes.map((item) => item.key));
  const oldIndexFiles: string[] = [];
  for await (const object of backup.store.list(keys.indexes(backup.folder))) oldIndexFiles.push(object.key);
  const byPack = new Map<string, [string, IndexEntry][]>();
  for (const [id, entry] of backup.indexEntries()) {
    const list = byPack.get(entry.pack) ?? [];
    list.push([id, entry]);
    byPack.set(entry.pack, list);
  }

  const report: RepairReport = { packsRead: 0, blobsIndexed: 0, indexFilesWritten: 0, indexFilesRemoved: 0, packsRewritten: [], quarantined: [], lost: [], lostPoints: [] };
  const indexed: IndexFile['packs'] = [];
  /** Damaged packs, already copied to the quarantine: removed last. */
  const damagedPacks: { pack: string; key: string }[] = [];
  const found = new Set<string>();
  const openHeader = backup.cipherKey ? packHeaderOpener(backup.cipherKey) : undefined;

  for (const pack of (await storedPacks(backup)).keys()) {
    checkCancelled();
    const key = keys.pack(backup.folder, pack);
    const bytes = await backup.store.get(key);
    report.packsRead++;
    let header: PackEntry[] | undefined;
    let why = '';
    try {
      header = parsePackHeader(bytes, { name: key, ...(openHeader ? { openHeader } : {}) });
    } catch (error) {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      why = error.message;
    }
    if (header && idToHex(packId(bytes)) === pack) {
      indexed.push({ id: pack, blobs: header.map(indexBlob) });
      for (const entry of header) found.add(idToHex(entry.id));
      continue;
    }
    log(why || `The pack ${key} is damaged: its bytes do not hash to its name.`);
    // What the pack should hold: its header when it still reads, else what the index said.
    const claimed: IndexBlob[] = header
      ? header.map(indexBlob)
      : (byPack.get(pack) ?? []).map(([id, entry]) => ({ id, type: entry.type, codec: entry.codec, offset: entry.offset, length: entry.length, plain: entry.plain }));
    const writer = new PackWriter({ targetSize: PACK_MAX_SIZE });
    for (const blob of claimed) {
      const stored = blob.offset + blob.length <= bytes.length ? bytes.subarray(blob.offset, blob.offset + blob.length) : undefined;
      try {
        if (!stored) throw new FerryError('corrupt_data', 'it lies past the end of the pack');
        loadBlob(blobRef(blob.id, { pack, ...blob }), stored, backup.cipherKey);
      } catch (error) {
        if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
        report.lost.push({ id: blob.id, pack, message: error.message });
        continue;
      }
      if (writer.has(idFromHex(blob.id))) continue;
      writer.add({ id: idFromHex(blob.id), type: blob.type, codec: blob.codec, plaintextLength: blob.plain, stored });
    }
    report.quarantined.push(await setAside(backup, key, 'packs', bytes));
    damagedPacks.push({ pack, key });
    if (writer.count === 0) continue;
    const rewritten = writer.finish(backup.cipherKey ? packHeaderSealer(backup.cipherKey) : undefined);
    const to = idToHex(packId(rewritten.bytes));
    await backup.store.put(keys.pack(backup.folder, to), rewritten.bytes);
    indexed.push({ id: to, blobs: rewritten.entries.map(indexBlob) });
    for (const entry of rewritten.entries) found.add(idToHex(entry.id));
    report.packsRewritten.push({ from: pack, to, blobs: rewritten.entries.length });
    log(`${rewritten.entries.length} intact blob(s) of ${key} rewritten into the pack ${to}.`);
  }
  // A damaged copy of a blob another pack holds intact loses nothing.
  report.lost = report.lost.filter((blob) => !found.has(blob.id));
  // Blobs the old index placed in packs that are gone.
  const reported = new Set(report.lost.map((blob) => blob.id));
  for (const [pack, blobs] of byPack) {
    for (const [id] of blobs) {
      if (!found.has(id) && !reported.has(id)) report.lost.push({ id, pack, message: `the pack ${keys.pack(backup.folder, pack)} is missing` });
    }
  }

  // The new index, whole, before anything old is removed.
  const written = new Set<string>();
  for (let at = 0; at < indexed.length; at += PACKS_PER_INDEX_FILE) {
    const packs = indexed.slice(at, at + PACKS_PER_INDEX_FILE);
    written.add(keys.index(backup.folder, await backup.writeIndexFile({ format: 'ferry-index', version: 1, packs })));
    report.blobsIndexed += packs.reduce((sum, pack) => sum + pack.blobs.length, 0);
  }
  report.indexFilesWritten = written.size;
  for (const key of oldIndexFiles) {
    // An unencrypted index file of the same packs has the same name: it is the new one.
    if (written.has(key)) continue;
    if (damagedIndexes.has(key)) report.quarantined.push(await quarantine(backup, key, 'index'));
    else await backup.store.delete(key);
    report.indexFilesRemoved++;
  }
  // A pack whose damage was only in its header can be rewritten to the very same bytes and name: that one stays.
  const rewritten = new Set(report.packsRewritten.map((pack) => pack.to));
  for (const { pack, key } of damagedPacks) if (!rewritten.has(pack)) await backup.store.delete(key);
  for (const item of (await backup.listPoints()).damaged) {
    const to = await quarantine(backup, item.key, 'points');
    report.quarantined.push(to);
    report.lostPoints.push(to);
  }
  return report;
}
