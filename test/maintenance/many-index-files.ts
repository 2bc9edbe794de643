import { blobId, idToHex, packId } from '../../app/format/hash.ts';
import { PackWriter } from '../../app/format/pack.ts';
import type { BackupStore } from '../../app/repository/backup-store.ts';
import type { DirNode, FileNode } from '../../app/repository/bulk-documents.ts';
import { keys } from '../../app/repository/layout.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { mapBounded } from '../../app/storage/bounded.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { indexBlob } from '../../app/repository/backup-store.ts';
import { craftedBackup, dir, file } from '../restore/crafted.ts';

/** Chunks per generated file, and files per generated folder: a folder's tree lists 10⁴ chunks (~700 KB). */
const CHUNKS_PER_FILE = 100;
const FILES_PER_FOLDER = 100;

/**
 * A backup as many small runs leave it, generated directly: `blobs` tiny data blobs
 * (raw, a few bytes each) in `files` real packs, each described by its own index file,
 * and one point whose files' chunks are every one of them (so compaction keeps them
 * all). Its trees take one more pack and index file.
 */
export async function manyIndexFiles(store: ObjectStore, options: { blobs: number; files: number }): Promise<{ backup: BackupStore; point: PointManifest }> {
  const crafted = await craftedBackup(store, 'Many');
  const { backup } = crafted;
  const ids: string[] = new Array<string>(options.blobs);
  await mapBounded(
    Array.from({ length: options.files }, (_, file) => file),
    16,
    async (file) => {
      // Sized for these few bytes: a default pack lays itself out in 32 MiB.
      const pack = new PackWriter({ targetSize: 64 * 1024 });
      const from = Math.floor((file * options.blobs) / options.files);
      for (let i = from; i < Math.floor(((file + 1) * options.blobs) / options.files); i++) {
        const plaintext = Buffer.from(`chunk ${i}`);
        const id = blobId(plaintext);
        ids[i] = idToHex(id);
        pack.add({ id, type: 'data', codec: 'raw', plaintextLength: plaintext.length, stored: plaintext });
      }
      const { bytes, entries } = pack.finish();
      const id = idToHex(packId(bytes));
      await store.put(keys.pack(backup.folder, id), bytes);
      await backup.writeIndexFile({ format: 'ferry-index', version: 1, packs: [{ id, blobs: entries.map(indexBlob) }] });
    },
  );

  const folders: DirNode[] = [];
  let files = 0;
  let bytes = 0;
  for (let start = 0; start < ids.length; start += CHUNKS_PER_FILE * FILES_PER_FOLDER) {
    const nodes: FileNode[] = [];
    for (let at = start; at < Math.min(ids.length, start + CHUNKS_PER_FILE * FILES_PER_FOLDER); at += CHUNKS_PER_FILE) {
      const content = ids.slice(at, at + CHUNKS_PER_FILE);
      const size = content.reduce((sum, _, i) => sum + `chunk ${at + i}`.length, 0);
      nodes.push(file(`file-${at}`, content, size));
      files++;
      bytes += size;
    }
    folders.push(dir(`folder-${folders.length}`, await crafted.tree(nodes)));
  }
  const point = await crafted.point([dir('Data', await crafted.tree(folders))], { files, dirs: folders.length, bytes });
  await crafted.writer.close();
  return { backup, point };
}
