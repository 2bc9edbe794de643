import { FerryError } from '../../shared/rpc/errors.ts';
import { idFromHex, idToHex, packId } from '../format/hash.ts';
import { packHeaderSealer, PackWriter } from '../format/pack.ts';
import { type BackupStore, indexBlob } from '../repository/backup-store.ts';
import { readBlobs } from '../repository/blob-reader.ts';
import type { IndexFile } from '../repository/bulk-documents.ts';
import { keys } from '../repository/layout.ts';
import { StoreError } from '../storage/object-store.ts';

export interface RepackOptions {
  packTarget: number;
  checkCancelled: () => void;
}

/**
 * Copies blobs, as they are stored, into new packs of about `packTarget` bytes: a blob's
 * sealing is bound to its id, not to its pack, so its bytes move unchanged. Each is
 * checked on the way (GCM authentication in an encrypted backup, as copies do;
 * decompression and SHA-256 = id in a plain one): a damaged one stops
 * the compaction before anything is removed, naming it. The new packs are not indexed yet.
 */
export async function repackBlobs(backup: BackupStore, ids: Iterable<string>, options: RepackOptions): Promise<IndexFile['packs']> {
  const written: IndexFile['packs'] = [];
  const sealHeader = backup.cipherKey ? packHeaderSealer(backup.cipherKey) : undefined;
  const send = async (full: PackWriter) => {
    const { bytes, entries } = full.finish(sealHeader);
    const id = idToHex(packId(bytes));
    await backup.store.put(keys.pack(backup.folder, id), bytes);
    const pack = { id, blobs: entries.map(indexBlob) };
    written.push(pack);
  };
  let pack = new PackWriter({ targetSize: options.packTarget });
  await readBlobs(backup, ids, {
    checkCancelled: options.checkCancelled,
    // Moved as stored: checked as far as that proves them intact (GCM authentication when encrypted, as copies do).
    decode: async (id, entry, stored) => {
      await backup.checkStored(id, entry, stored);
      return stored;
    },
    onBlob: async (id, _plaintext, stored) => {
      const entry = backup.requireEntry(id);
      pack.add({ id: idFromHex(id), type: entry.type, codec: entry.codec, plaintextLength: entry.plain, stored });
      if (!pack.full) return;
      // The next blobs go into a new pack while this one is stored.
      const full = pack;
      pack = new PackWriter({ targetSize: options.packTarget });
      await send(full);
    },
    onFailure: (id, error) => {
      const damage = (error instanceof FerryError && error.code === 'corrupt_data') || (error instanceof StoreError && error.kind === 'not_found');
      if (!damage) throw error;
      const where = backup.entry(id)?.pack;
      throw new FerryError(
        'corrupt_data',
        `Compaction of ${backup.where} stopped: blob ${id}${where ? ` of pack ${where}` : ''}, which a restore point needs, cannot be read (${error.message}). Nothing was removed; ferry verify --repair rebuilds the index from what can be read.`,
        { blobId: id, ...(where ? { pack: where } : {}) },
      );
    },
  });
  if (pack.count > 0) await send(pack);
  return written;
}
