import { eachInTurn, Limiter } from '../../shared/util/limiter.ts';
import { BufferPool } from '../util/buffer-pool.ts';
import type { BackupStore } from './backup-store.ts';
import type { IndexEntry } from './blob-index.ts';
import { keys } from './layout.ts';

/**
 * Blobs closer than this in a pack are fetched by one read: reading the gap costs less
 * than another request (a seek on a disk, a round trip to S3).
 */
const MAX_GAP = 256 * 1024;
/** The longest single read (packs are ~16 MiB): bounds the memory a range holds. */
const MAX_RANGE = 16 * 1024 * 1024;
/** Ranges held at once (being read, or their blobs decoded): the next is read while one decodes. */
const RANGES_HELD = 3;
/**
 * Blobs decoded and handed over at once: enough to keep the thread pool and the disk
 * busy. With RANGES_HELD, this bounds the memory: at most 3 × 16 MiB of stored bytes and
 * 8 chunks of plaintext (8 MiB at the most each, ~1 MiB on average).
 */
const BLOBS_IN_FLIGHT = 8;
/**
 * Smaller blobs are decoded on this thread: two thread-pool round trips (decompress,
 * hash) would cost more than decoding them.
 */
const POOL_DECODE_FROM = 128 * 1024;

export interface Wanted {
  id: string;
  entry: IndexEntry;
}

export interface Range {
  pack: string;
  offset: number;
  length: number;
  blobs: Wanted[];
}

export interface ReadBlobsOptions {
  /**
   * Each blob's plaintext, verified, and its bytes as stored (compaction copies them as
   * they are). Awaited: it holds one of the places in flight. Both may be views of a
   * reused buffer: not to be kept once the promise settles.
   */
  onBlob: (id: string, plaintext: Buffer, stored: Buffer) => Promise<void> | void;
  /**
   * How each blob is checked, and what onBlob gets as `plaintext` (default: decoded,
   * authenticated and hashed, the plaintext). Compaction, which moves stored bytes as they
   * are, only checks them (BackupStore.checkStored) and gets the stored bytes.
   */
  decode?: (id: string, entry: IndexEntry, stored: Buffer) => Promise<Buffer>;
  /** A blob that could not be read or is damaged (missing, truncated, failed its checks, storage failure). */
  onFailure: (id: string, error: unknown) => Promise<void> | void;
  /** Called before each read; throwing (e.g. when cancelled) stops the reading. */
  checkCancelled?: () => void;
}

/**
 * Reads many blobs of a backup, each once, the way storage likes: pack by pack (packs in
 * the order `ids` first needs them), neighbouring blobs of a pack fetched by one range
 * read, the next ranges read while earlier ones decode, and several blobs decoded at
 * once on the thread pool. When a grouped read fails, its blobs are read one by one, so
 * damage costs only the blobs it hits. An error thrown by a callback (or checkCancelled)
 * stops the reading: what is running finishes, then it is thrown.
 */
export async function readBlobs(backup: BackupStore, ids: Iterable<string>, options: ReadBlobsOptions): Promise<void> {
  const decoding = new Limiter(BLOBS_IN_FLIGHT);

  const deliver = async ({ id, entry }: Wanted, read: Promise<Buffer | undefined>): Promise<void> => {
    const slice = await read;
    await decoding.acquire();
    try {
      let plaintext: Buffer;
      let stored: Buffer;
      try {
        stored = slice ?? (await backup.readStored(id)).stored;
        if (options.decode) plaintext = await options.decode(id, entry, stored);
        else plaintext = entry.plain < POOL_DECODE_FROM ? backup.decode(id, entry, stored) : await backup.decodeAsync(id, entry, stored);
      } catch (error) {
        await options.onFailure(id, error);
        return;
      }
      await options.onBlob(id, plaintext, stored);
    } finally {
      decoding.release();
    }
  };

  // Range reads reuse their buffers. A buffer goes back once every blob of its range was
  // handed over (onBlob may be given a view of it).
  const buffers = new BufferPool(MAX_RANGE, Buffer.allocUnsafeSlow);
  const consume = (range: Range): Promise<void> =>
    buffers.use(async (buffer) => {
      // undefined: the grouped read failed, each blob is read on its own.
      const bytes = backup.store.getRange(keys.pack(backup.folder, range.pack), range.offset, range.length, buffer).catch(() => undefined);
      const slices = range.blobs.map(async (blob) => {
        const start = blob.entry.offset - range.offset;
        return (await bytes)?.subarray(start, start + blob.entry.length);
      });
      const settled = await Promise.allSettled(range.blobs.map((blob, i) => deliver(blob, slices[i]!)));
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    });

  await eachInTurn(await planReads(backup, ids, options.onFailure), RANGES_HELD, consume, options.checkCancelled);
}

/** The reads: unique blobs grouped by pack, in first-use order, split where gaps or size call for it. */
export async function planReads(backup: BackupStore, ids: Iterable<string>, onFailure: ReadBlobsOptions['onFailure']): Promise<Range[]> {
  const byPack = new Map<string, Wanted[]>();
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    let entry: IndexEntry;
    try {
      entry = backup.requireEntry(id);
    } catch (error) {
      await onFailure(id, error);
      continue;
    }
    let blobs = byPack.get(entry.pack);
    if (!blobs) byPack.set(entry.pack, (blobs = []));
    blobs.push({ id, entry });
  }
  const ranges: Range[] = [];
  for (const [pack, blobs] of byPack) {
    blobs.sort((a, b) => a.entry.offset - b.entry.offset);
    let range: Range | undefined;
    for (const blob of blobs) {
      const { offset, length } = blob.entry;
      const end = range ? range.offset + range.length : 0;
      if (!range || offset - end > MAX_GAP || offset + length - range.offset > MAX_RANGE) {
        range = { pack, offset, length, blobs: [] };
        ranges.push(range);
      }
      range.length = Math.max(range.length, offset + length - range.offset);
      range.blobs.push(blob);
    }
  }
  return ranges;
}
