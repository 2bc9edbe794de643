import type { BackupStore } from '../repository/backup-store.ts';
import type { IndexBlob, IndexFile } from '../repository/bulk-documents.ts';

/**
 * Index files written by compaction hold about this many blobs (a pack is never split
 * across files, so one may hold a pack's more). Opening a backup reads 8 index files at
 * once, each parsed whole: 16k entries are ~2.5 MB of JSON, a few MB parsed, where 64k
 * took ~300 MB more to open a backup of 10⁶ blobs. 10⁶ blobs (a 1 TB backup) are ~62 files.
 */
export const INDEX_FILE_BLOBS = 16_384;

/**
 * Writes index files as blobs come, grouped by pack, holding only the next file's
 * entries: describing 10⁶ blobs anew never holds them all as objects. A file is stored
 * once it has INDEX_FILE_BLOBS blobs and another pack comes.
 */
export class IndexFileWriter {
  /** The ids of the files stored. */
  readonly written = new Set<string>();
  private readonly backup: BackupStore;
  private packs = new Map<string, IndexBlob[]>();
  private count = 0;

  constructor(backup: BackupStore) {
    this.backup = backup;
  }

  async add(pack: string, blob: IndexBlob): Promise<void> {
    let blobs = this.packs.get(pack);
    if (!blobs) {
      if (this.count >= INDEX_FILE_BLOBS) await this.flush();
      this.packs.set(pack, (blobs = []));
    }
    blobs.push(blob);
    this.count++;
  }

  /** Stores what is pending as one file. */
  async flush(): Promise<void> {
    if (this.count === 0) return;
    const file: IndexFile = { format: 'ferry-index', version: 1, packs: [...this.packs].map(([id, blobs]) => ({ id, blobs })) };
    this.packs = new Map();
    this.count = 0;
    this.written.add(await this.backup.storeIndexFile(file));
  }
}
