import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { FerryError } from '../../shared/rpc/errors.ts';
import { compareCodeUnits } from '../../shared/util/compare.ts';
import { authenticateBlob, type BlobRef, encodeForStoreAsync, loadBlob, loadBlobAsync, type UnsealedBlob } from '../format/blob-sealer.ts';
import { type NewKey, parseKeyFile } from '../format/crypto.ts';
import { blobId, blobIdAsync, idFromHex, idToHex, packId } from '../format/hash.ts';
import { type PackEntry, packHeaderSealer, PackWriter } from '../format/pack.ts';
import { mapBounded } from '../storage/bounded.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { StoreError } from '../storage/object-store.ts';
import { BufferPool } from '../util/buffer-pool.ts';
import { BlobIndex, type IndexEntry } from './blob-index.ts';
import { PasswordKeys } from './password-keys.ts';
import { type BlobType, type IndexBlob, type IndexFile, indexFile } from './bulk-documents.ts';
import { decodeDocument, encodeDocument } from './documents.ts';
import { baseName, keys } from './layout.ts';
import {
  type BackupConfig,
  backupConfig,
  type PointManifest,
  pointManifest,
  type WritingMarker,
  writingMarker,
} from './schemas.ts';

/** Index files and manifests are small: this many are read at once (on S3, a round trip each). */
const DOCUMENT_READS = 8;

/** A document of a backup that could not be read (damaged, or not what it claims): left out, and named. */
export interface DamagedItem {
  /** Its key in the store (e.g. `Docs/points/<id>`): the file to look at. */
  key: string;
  message: string;
}

/** A backup's restore points: the ones that read back, and the point files that did not. */
export interface PointListing {
  points: PointManifest[];
  damaged: DamagedItem[];
}

/** A failure that only the item read is to blame for; storage failures (the drive gone) stop the reading. */
function isDamage(error: unknown): error is FerryError {
  return error instanceof FerryError && error.code === 'corrupt_data';
}

/** A new backup's settings; `key` encrypts it (made by Repository.newBackupKey). */
export interface NewBackupSettings {
  name: string;
  kind: BackupConfig['kind'];
  jobId?: string;
  key?: NewKey;
  hint?: string;
  level?: number;
}

const INDEX_LABEL = 'ferry/index/v1';
const pointLabel = (id: string) => `ferry/point/v1/${id}`;

/** What loading or resealing a blob needs, from its index entry. */
export function blobRef(id: string, entry: IndexEntry): BlobRef {
  return { id: idFromHex(id), codec: entry.codec, plaintextLength: entry.plain };
}

/** A pack header's entry as an index file lists it. */
export function indexBlob(entry: PackEntry): IndexBlob {
  return { id: idToHex(entry.id), type: entry.type, codec: entry.codec, offset: entry.offset, length: entry.storedLength, plain: entry.plaintextLength };
}

/** A blob's damage, with the blob and its pack named in the details. */
function located(error: unknown, id: string, entry: IndexEntry): unknown {
  if (!(error instanceof FerryError)) return error;
  return new FerryError(error.code, error.message, { ...error.details, blobId: id, pack: entry.pack });
}

async function readJson(store: ObjectStore, key: string): Promise<unknown> {
  return JSON.parse((await store.get(key)).toString('utf8'));
}

/** A backup's config, validated; readable without the password (finding a job's backup needs no key). */
export async function readBackupConfig(store: ObjectStore, folder: string): Promise<BackupConfig> {
  const where = `${store.location}/${folder}`;
  let raw: unknown;
  try {
    raw = await readJson(store, keys.backupConfig(folder));
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'not_found') throw new FerryError('not_found', `There is no backup at ${where}.`);
    if (error instanceof SyntaxError) throw new FerryError('corrupt_data', `The config of the backup at ${where} is damaged.`);
    throw error;
  }
  const parsed = backupConfig.safeParse(raw);
  if (!parsed.success) throw new FerryError('corrupt_data', `The config of the backup at ${where} is not a Ferry backup config (version 1).`);
  return parsed.data;
}

/**
 * One backup (a job's chain) in a repository: its config and key, the in-memory index
 * of every blob it holds, and reads of blobs, trees and points. Writing goes through a
 * BlobWriter, which keeps the commit order packs → index → manifest.
 */
export class BackupStore {
  readonly store: ObjectStore;
  readonly folder: string;
  readonly config: BackupConfig;
  readonly key: Buffer | undefined;
  /** The master key as a KeyObject for blobs, made once (see CipherKey). */
  readonly cipherKey: KeyObject | undefined;
  private index = new BlobIndex();
  private readonly loadedIndexes = new Set<string>();
  /** Index files that could not be read at the last refresh: only the blobs they alone describe are unknown. */
  private readonly indexDamage = new Map<string, DamagedItem>();
  /** False for a backup opened for its points alone, until refreshIndex reads the index. */
  private indexRead: boolean;

  private constructor(store: ObjectStore, folder: string, config: BackupConfig, key: Buffer | undefined, indexRead: boolean) {
    this.store = store;
    this.folder = folder;
    this.config = config;
    this.key = key;
    this.cipherKey = key && createSecretKey(key);
    this.indexRead = indexRead;
  }

  get encrypted(): boolean {
    return this.config.encryption !== null;
  }

  get level(): number {
    return this.config.compression.level;
  }

  /** Where this backup is, for messages. */
  get where(): string {
    return `${this.store.location}/${this.folder}`;
  }

  /** Writes a new backup's config; the caller holds the repository's lock (Repository.createBackup) and opens it after. */
  static async create(store: ObjectStore, folder: string, options: NewBackupSettings): Promise<void> {
    if (await store.stat(keys.backupConfig(folder))) {
      throw new FerryError('conflict', `A backup already exists at ${store.location}/${folder}.`);
    }
    const encryption: BackupConfig['encryption'] = options.key
      ? { cipher: 'aes-256-gcm', key: options.key.keyFile, ...(options.hint ? { hint: options.hint } : {}) }
      : null;
    const config: BackupConfig = {
      format: 'ferry-backup',
      version: 1,
      id: randomUUID(),
      name: options.name,
      kind: options.kind,
      ...(options.jobId ? { jobId: options.jobId } : {}),
      created: new Date().toISOString(),
      encryption,
      compression: { codec: 'zstd', level: options.level ?? 3 },
    };
    await store.put(keys.backupConfig(folder), Buffer.from(JSON.stringify(config, null, 2)));
  }

  /**
   * Reads the config; an encrypted backup needs its password (wrong_password otherwise).
   * `keys`: what passwords derived for other key files of the repository (see PasswordKeys).
   * `index: false` opens it for its points alone: reading the index (~1.7 s and ~90 MiB for
   * 10⁶ blobs, a 1 TB backup) waits for refreshIndex, and asking for blobs before is an error.
   * `made`: the key this run made for the backup it just created, used when it is the stored one.
   */
  static async open(
    store: ObjectStore,
    folder: string,
    password?: string,
    options: { keys?: PasswordKeys; index?: boolean; made?: NewKey } = {},
  ): Promise<BackupStore> {
    const where = `${store.location}/${folder}`;
    const config = await readBackupConfig(store, folder);
    let key: Buffer | undefined;
    if (config.encryption) {
      if (password === undefined) {
        throw new FerryError('wrong_password', `The backup at ${where} is encrypted: a password is needed.`, {
          ...(config.encryption.hint ? { hint: config.encryption.hint } : {}),
        });
      }
      const keyFile = parseKeyFile(config.encryption.key, where);
      key = options.made && keyFile.wrapped === options.made.keyFile.wrapped && keyFile.salt === options.made.keyFile.salt
        ? options.made.masterKey
        : (await (options.keys ?? new PasswordKeys()).unlock(keyFile, password, where)).masterKey;
    }
    const backup = new BackupStore(store, folder, config, key, false);
    if (options.index ?? true) await backup.refreshIndex();
    return backup;
  }

  /**
   * Under the backup's write lock, before writing: its config is still the one it was
   * opened with. Another one put in its place (another engine's racing creation) has
   * another key: what this run wrote could never be read back.
   */
  async checkUnchanged(): Promise<void> {
    const stored = await readBackupConfig(this.store, this.folder);
    if (stored.id !== this.config.id) {
      throw new FerryError('conflict', `The backup at ${this.where} was replaced by another one (${stored.id}) after this run opened it: nothing was written. Run it again.`);
    }
  }

  /**
   * Loads index files not seen yet (another engine may have added some). A damaged index
   * file is left out and kept in `damagedIndexes`: the blobs it alone describes are
   * unknown (what needs them fails, naming them), everything else stays readable.
   * `onFile`: each index file read, by id (compaction learns which files describe which packs).
   */
  async refreshIndex(onFile?: (id: string, file: IndexFile) => void): Promise<void> {
    const ids: string[] = [];
    for await (const object of this.store.list(keys.indexes(this.folder))) {
      const id = baseName(object.key);
      if (!this.loadedIndexes.has(id)) ids.push(id);
    }
    const files = await mapBounded(ids, DOCUMENT_READS, async (id) => {
      const key = keys.index(this.folder, id);
      try {
        return decodeDocument(await this.store.get(key), this.key, INDEX_LABEL, indexFile, `Index file ${key} of ${this.store.location}`);
      } catch (error) {
        if (!isDamage(error)) throw error;
        return { key, message: error.message };
      }
    });
    this.indexRead = true;
    this.indexDamage.clear();
    files.forEach((file, i) => {
      if ('message' in file) {
        this.indexDamage.set(ids[i]!, file);
        return;
      }
      onFile?.(ids[i]!, file);
      this.addIndex(file);
      this.loadedIndexes.add(ids[i]!);
    });
  }

  /**
   * Forgets the index read so far: the next refreshIndex reads it whole, without the
   * blobs of index files removed since (compaction removes some); asking for blobs before
   * is an error, never an answer from the old index.
   */
  dropIndex(): void {
    this.index = new BlobIndex();
    this.loadedIndexes.clear();
    this.indexDamage.clear();
    this.indexRead = false;
  }

  /** dropIndex, then refreshIndex: the index as stored now. */
  async reloadIndex(onFile?: (id: string, file: IndexFile) => void): Promise<void> {
    this.dropIndex();
    await this.refreshIndex(onFile);
  }

  /** The index files the last refreshIndex could not read. */
  get damagedIndexes(): DamagedItem[] {
    return [...this.indexDamage.values()];
  }

  /** The index; a backup opened for its points alone has none yet, and would answer "no such blob". */
  private blobs(): BlobIndex {
    if (!this.indexRead) throw new FerryError('internal', `The index of the backup at ${this.where} was not read (opened for its points alone).`);
    return this.index;
  }

  has(id: string): boolean {
    return this.blobs().has(id);
  }

  entry(id: string): IndexEntry | undefined {
    return this.blobs().get(id);
  }

  /** Every blob of the index with its entry. */
  indexEntries(): Iterable<[string, IndexEntry]> {
    return this.blobs().entries();
  }

  get blobCount(): number {
    return this.blobs().size;
  }

  /** The index entry of a blob the backup must hold: a missing one is damage. */
  requireEntry(id: string): IndexEntry {
    const entry = this.blobs().get(id);
    if (!entry) throw new FerryError('corrupt_data', `Blob ${id} is missing from the backup at ${this.where}${this.indexDamageNote()}.`, { blobId: id });
    return entry;
  }

  /** Why a blob may be unknown: the damaged index files (for messages about a missing blob). */
  indexDamageNote(): string {
    if (this.indexDamage.size === 0) return '';
    const files = [...this.indexDamage.values()].map((item) => item.key).join(', ');
    return ` (damaged index file${this.indexDamage.size === 1 ? '' : 's'} ${files}: ferry verify --repair rebuilds the index from the packs)`;
  }

  /** The blob's bytes as stored (still compressed and sealed). */
  async readStored(id: string): Promise<{ entry: IndexEntry; stored: Buffer }> {
    const entry = this.requireEntry(id);
    const key = keys.pack(this.folder, entry.pack);
    let stored: Buffer;
    try {
      stored = await this.store.getRange(key, entry.offset, entry.length);
    } catch (error) {
      // Stores refuse a range past the end as an I/O error: a pack that is too short is damage.
      const size = error instanceof StoreError && error.kind === 'io' ? (await this.store.stat(key).catch(() => undefined))?.size : undefined;
      if (size !== undefined && size < entry.offset + entry.length) throw this.truncated(id, entry);
      throw error;
    }
    if (stored.length !== entry.length) throw this.truncated(id, entry);
    return { entry, stored };
  }

  private truncated(id: string, entry: IndexEntry): FerryError {
    return new FerryError('corrupt_data', `Pack ${entry.pack} is truncated: blob ${id} is incomplete.`, { blobId: id, pack: entry.pack });
  }

  /** A blob's plaintext, authenticated and checked against its id. */
  async readBlob(id: string): Promise<Buffer> {
    const { entry, stored } = await this.readStored(id);
    return this.decode(id, entry, stored);
  }

  decode(id: string, entry: IndexEntry, stored: Buffer): Buffer {
    try {
      return loadBlob(blobRef(id, entry), stored, this.cipherKey);
    } catch (error) {
      throw located(error, id, entry);
    }
  }

  /**
   * A stored blob checked as cheaply as it can be proven intact: in an encrypted backup
   * authenticated only (authenticateBlob), in a plain one decoded and hashed (decodeAsync).
   * For moving stored bytes as they are.
   */
  async checkStored(id: string, entry: IndexEntry, stored: Buffer): Promise<void> {
    if (!this.cipherKey) {
      await this.decodeAsync(id, entry, stored);
      return;
    }
    try {
      authenticateBlob(blobRef(id, entry), stored, this.cipherKey);
    } catch (error) {
      throw located(error, id, entry);
    }
  }

  /** decode with decompression and hashing on the thread pool: keep several in flight. */
  async decodeAsync(id: string, entry: IndexEntry, stored: Buffer): Promise<Buffer> {
    try {
      return await loadBlobAsync(blobRef(id, entry), stored, this.cipherKey);
    } catch (error) {
      throw located(error, id, entry);
    }
  }

  async readPoint(id: string): Promise<PointManifest> {
    const bytes = await this.store.get(keys.point(this.folder, id));
    const point = decodeDocument(bytes, this.key, pointLabel(id), pointManifest, `Restore point ${id} of ${this.where}`);
    if (point.id !== id || point.backupId !== this.config.id) {
      throw new FerryError('corrupt_data', `Restore point ${id} of ${this.where} does not belong to this backup.`);
    }
    return point;
  }

  /**
   * Every restore point that reads back; a damaged point file (or one of another backup)
   * is named in `damaged` and hides nothing else. A point removed meanwhile is left out.
   */
  async listPoints(): Promise<PointListing> {
    const ids: string[] = [];
    for await (const object of this.store.list(keys.points(this.folder))) ids.push(baseName(object.key));
    const read = await mapBounded(ids, DOCUMENT_READS, async (id): Promise<PointManifest | DamagedItem | undefined> => {
      try {
        return await this.readPoint(id);
      } catch (error) {
        if (error instanceof StoreError && error.kind === 'not_found') return undefined;
        if (!isDamage(error)) throw error;
        return { key: keys.point(this.folder, id), message: error.message };
      }
    });
    const points: PointManifest[] = [];
    const damaged: DamagedItem[] = [];
    for (const item of read) {
      if (item === undefined) continue;
      if ('message' in item) damaged.push(item);
      else points.push(item);
    }
    points.sort((a, b) => compareCodeUnits(a.created, b.created) || compareCodeUnits(a.id, b.id));
    return { points, damaged };
  }

  /** The last step of a point's commit: once this object exists, the point exists. */
  async writePoint(point: PointManifest): Promise<void> {
    await this.store.put(keys.point(this.folder, point.id), encodeDocument(point, this.key, pointLabel(point.id)));
  }

  async markWriting(marker: WritingMarker): Promise<void> {
    await this.store.put(keys.writing(this.folder, marker.pointId), Buffer.from(JSON.stringify(marker)));
  }

  async clearWriting(pointId: string): Promise<void> {
    await this.store.delete(keys.writing(this.folder, pointId));
  }

  /** Points being written right now (or left by a crash: their writer's lock tells which). */
  async listWriting(): Promise<WritingMarker[]> {
    const markers: WritingMarker[] = [];
    for await (const object of this.store.list(keys.writings(this.folder))) {
      const parsed = writingMarker.safeParse(await readJson(this.store, object.key).catch(() => undefined));
      if (parsed.success) markers.push(parsed.data);
    }
    return markers;
  }

  writer(options: { packTarget?: number } = {}): BlobWriter {
    return new BlobWriter(this, options.packTarget);
  }

  /** @internal Used by BlobWriter once an index file is stored. */
  addIndex(file: IndexFile): void {
    const index = this.blobs();
    index.reserve(index.size + file.packs.reduce((sum, pack) => sum + pack.blobs.length, 0));
    for (const pack of file.packs) {
      for (const blob of pack.blobs) {
        index.set(blob.id, { pack: pack.id, type: blob.type, codec: blob.codec, offset: blob.offset, length: blob.length, plain: blob.plain });
      }
    }
  }

  /** @internal Stores an index file and adds it to the index; its id. */
  async writeIndexFile(file: IndexFile): Promise<string> {
    const id = await this.storeIndexFile(file);
    this.loadedIndexes.add(id);
    this.addIndex(file);
    return id;
  }

  /** Stores an index file without adding it to the index read (compaction drops that after); its id. */
  async storeIndexFile(file: IndexFile): Promise<string> {
    const bytes = encodeDocument(file, this.key, INDEX_LABEL);
    const id = idToHex(blobId(bytes));
    await this.store.put(keys.index(this.folder, id), bytes);
    return id;
  }
}

export interface WriterStats {
  blobsNew: number;
  bytesNew: number;
  bytesStored: number;
}

/**
 * Pack size of new packs: 16 MiB (as restic) keeps the memory of packs being filled and
 * uploaded small, while a GiB is still only ~64 objects on S3.
 */
export const PACK_TARGET = 16 * 1024 * 1024;
/** Packs uploaded at once: enough to overlap upload with chunking, bounded for memory. */
const PACKS_IN_FLIGHT = 2;
/** Room in a pack buffer beyond the target, for the blob that fills it and the header (more grows the buffer). */
const PACK_BUFFER_SLACK = 2 * 1024 * 1024;
/** An index file is written every this many packs, so a crashed run's packs are reused by the next. */
const CHECKPOINT_PACKS = 4;

/**
 * Adds blobs to a backup: deduplicates against the index and against blobs not yet
 * committed, fills packs, uploads full ones in the background (a few at a time), and
 * writes index files for uploaded packs (every few packs, and on `commit`): packs
 * first, index after. A crash loses at most the packs not yet indexed.
 */
export class BlobWriter {
  readonly stats: WriterStats = { blobsNew: 0, bytesNew: 0, bytesStored: 0 };
  private readonly backup: BackupStore;
  private readonly packTarget: number;
  private pack: PackWriter;
  /** Buffers of stored packs, for the next packs: a pack costs no allocation (see PackWriter). */
  private readonly packBuffers: BufferPool;
  private readonly pending = new Set<string>();
  private readonly written: IndexFile['packs'] = [];
  private readonly uploads = new Set<Promise<void>>();
  /** The sending of a full pack (see flushPack); adds wait for it. */
  private sending: Promise<void> = Promise.resolve();
  private indexing: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(backup: BackupStore, packTarget?: number) {
    this.backup = backup;
    this.packTarget = packTarget ?? PACK_TARGET;
    this.packBuffers = new BufferPool(this.packTarget + PACK_BUFFER_SLACK);
    this.pack = this.newPack();
  }

  /**
   * Stores the blob unless the backup already has it; returns its id (hex). Hashing and
   * compression run on the thread pool, so callers keep a few adds in flight to use
   * every core. A failure fails the writer: `commit` then throws, and no point can
   * refer to a blob that was never stored. Once the promise settles, `plaintext` is not
   * read any more: the caller may reuse its buffer (the backup reads files into reused ones).
   */
  async add(type: BlobType, plaintext: Buffer): Promise<string> {
    this.throwIfFailed();
    const id = await blobIdAsync(plaintext);
    const hex = idToHex(id);
    if (this.known(hex)) return hex;
    this.pending.add(hex);
    try {
      await this.intoPack(id, type, await encodeForStoreAsync(id, plaintext, { key: this.backup.cipherKey, level: this.backup.level }));
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
    return hex;
  }

  /** True when the blob is in the backup or waiting in this writer. */
  known(id: string): boolean {
    return this.backup.has(id) || this.pending.has(id);
  }

  /** Adds an already encoded blob that seals itself for this backup (resealBlob): copies use this. */
  async addStored(id: string, type: BlobType, blob: UnsealedBlob): Promise<void> {
    if (this.known(id)) return;
    this.throwIfFailed();
    this.pending.add(id);
    await this.intoPack(idFromHex(id), type, blob);
  }

  /**
   * Seals a blob straight into its place in the pack, and sends the pack off once it is full. A full
   * pack stays current until an upload slot frees (see flushPack), and adds wait for it
   * here: so at most PACKS_IN_FLIGHT packs upload while one fills, ~17 MiB each.
   */
  private async intoPack(id: Uint8Array, type: BlobType, blob: UnsealedBlob): Promise<void> {
    while (this.pack.full) await this.sending;
    const { codec, plaintextLength, storedLength } = blob;
    try {
      this.pack.write({ id, type, codec, plaintextLength }, storedLength, (space) => blob.write(space));
    } catch (error) {
      // Not in the pack (a resealed source blob that failed its check as it was written):
      // that fails the blob's own copy, not the writer the other workloads share.
      this.pending.delete(idToHex(id));
      throw error;
    }
    this.stats.blobsNew++;
    this.stats.bytesNew += plaintextLength;
    this.stats.bytesStored += storedLength;
    if (!this.pack.full) return;
    this.sending = this.flushPack();
    await this.sending;
  }

  /** Uploads what is pending, then writes the index file that makes it visible. */
  async commit(): Promise<void> {
    while (this.pack.full) await this.sending;
    this.sending = this.flushPack();
    await this.sending;
    await Promise.all(this.uploads);
    this.throwIfFailed();
    await this.writeIndex();
    this.throwIfFailed();
  }

  /**
   * Makes the packs sent so far part of the backup (an index file for them), without the
   * pack still being filled: a run that ends early keeps what it transferred.
   */
  async checkpoint(): Promise<void> {
    await Promise.allSettled(this.uploads);
    await this.writeIndex();
    this.throwIfFailed();
  }

  /**
   * Once the last commit is done (or failed): waits for the uploads still running, then lets
   * the pack buffers' memory go (see BufferPool.release). The writer takes no more blobs.
   */
  async close(): Promise<void> {
    await Promise.allSettled(this.uploads);
    await this.indexing;
    // A blob added now would be sealed into freed memory: refused instead.
    this.failure ??= new FerryError('internal', 'This writer is closed: it takes no more blobs.');
    this.packBuffers.release();
    // The pack begun after the last one sent: empty, or holding what a failed run left.
    this.packBuffers.give(this.pack.buffer);
  }

  /** Index files are written one at a time, each for the packs uploaded since the last. */
  private writeIndex(): Promise<void> {
    this.indexing = this.indexing.then(async () => {
      if (this.written.length === 0 || this.failure !== undefined) return;
      const packs = this.written.splice(0);
      try {
        await this.backup.writeIndexFile({ format: 'ferry-index', version: 1, packs });
        for (const pack of packs) for (const blob of pack.blobs) this.pending.delete(blob.id);
      } catch (error) {
        this.failure ??= error;
      }
    });
    return this.indexing;
  }

  private newPack(): PackWriter {
    return new PackWriter({ targetSize: this.packTarget, buffer: this.packBuffers.take() });
  }

  /** Starts uploading the pack once an upload slot is free, and begins the next pack. */
  private async flushPack(): Promise<void> {
    while (this.uploads.size >= PACKS_IN_FLIGHT) await Promise.race(this.uploads);
    this.throwIfFailed();
    const full = this.pack;
    if (full.count === 0) return;
    this.pack = this.newPack();
    const { bytes, entries } = full.finish(this.backup.cipherKey ? packHeaderSealer(this.backup.cipherKey) : undefined);
    const id = idToHex(packId(bytes));
    const upload = this.backup.store
      .put(keys.pack(this.backup.folder, id), bytes)
      .then(() => {
        // Stored: nothing reads the bytes any more. A buffer grown for a huge blob is let go.
        this.packBuffers.give(full.buffer);
        this.written.push({ id, blobs: entries.map(indexBlob) });
        if (this.written.length >= CHECKPOINT_PACKS) void this.writeIndex();
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.uploads.delete(upload));
    this.uploads.add(upload);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
