import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CopyPhase } from '../../shared/domain/job.ts';
import { type GfsFlags, NO_FLAGS } from '../../shared/retention/gfs.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { eachInTurn, Limiter } from '../../shared/util/limiter.ts';
import { resealBlob } from '../format/blob-sealer.ts';
import { type BackupStore, blobRef, type BlobWriter } from '../repository/backup-store.ts';
import type { IndexEntry } from '../repository/blob-index.ts';
import { keys } from '../repository/layout.ts';
import { StoreError } from '../storage/object-store.ts';
import { BufferPool } from '../util/buffer-pool.ts';
import type { BlobType } from '../repository/bulk-documents.ts';
import type { PointManifest, PointStats } from '../repository/schemas.ts';
import { addBelow, addNode, checkClaim, emptyShape, type Shape } from '../repository/point-shape.ts';
import { parseTree } from '../repository/trees.ts';
import type { Throttle } from './throttle.ts';
import type { TransferGate } from './transfer-window.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { dateWords } from '../util/date-words.ts';

export interface CopyProgress {
  phase: CopyPhase;
  /** Stored bytes read from the source. */
  bytesRead: number;
  /** Sealed bytes handed to the target. */
  bytesTransferred: number;
  chunksDone: number;
  chunksTotal: number;
  bytesTotal: number;
  currentPath: string;
}

export interface TransferOptions {
  source: BackupStore;
  target: BackupStore;
  /** The target's writer, shared by the workloads of a run (blobs they share go once). */
  writer: BlobWriter;
  /** The source point (complete: its manifest exists). */
  point: PointManifest;
  throttle: Throttle;
  /** The job's transfer window: no chunk is read or written while it is closed. */
  window?: TransferGate | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: CopyProgress) => void) | undefined;
}

export interface CopyPointOptions extends TransferOptions {
  lineage: NonNullable<PointManifest['lineage']>;
  /** What dates the point (created, completed): the system's time, or a test's virtual one. */
  clock?: Clock | undefined;
  /** The point's GFS flags, from its completed time (a copy job's retention); absent: none. */
  flags?: ((completed: string) => GfsFlags) | undefined;
}

/** One blob to move, and the file (or folder, for trees) that needs it, for messages. */
interface Needed {
  id: string;
  type: BlobType;
  entry: IndexEntry;
  path: string;
}

/** Neighbouring blobs of a pack closer than this are read in one request (fewer S3 GETs). */
const MERGE_GAP = 256 * 1024;
/**
 * Upper bound of one read, which bounds memory with RANGES_IN_FLIGHT (a larger blob is
 * read alone, into a buffer of its own). 4 MiB: 12 MiB less peak than 8 and no slower
 * (by hand, with huge pages: 1.86–2.11 s against 1.91–2.29 s; plain → plain peaks of
 * 212–242 MB against 233–274 MB).
 */
export const MAX_RANGE = 4 * 1024 * 1024;
export const RANGES_IN_FLIGHT = 3;
const TREES_IN_FLIGHT = 8;

/** Groups a pack's needed blobs into ranges of at most `maxRange` bytes (a larger blob alone), read in one request each. */
export function packRanges<T extends { entry: { offset: number; length: number } }>(blobs: readonly T[], maxRange = MAX_RANGE): T[][] {
  const sorted = [...blobs].sort((a, b) => a.entry.offset - b.entry.offset);
  const ranges: T[][] = [];
  let current: T[] = [];
  for (const blob of sorted) {
    const first = current[0];
    const last = current.at(-1);
    const end = blob.entry.offset + blob.entry.length;
    if (first && last && blob.entry.offset - (last.entry.offset + last.entry.length) <= MERGE_GAP && end - first.entry.offset <= maxRange) {
      current.push(blob);
    } else {
      if (current.length > 0) ranges.push(current);
      current = [blob];
    }
  }
  if (current.length > 0) ranges.push(current);
  return ranges;
}

function joinPath(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** One point's transfer: its progress, what it added to the target, and its pauses for the transfer window. */
interface Transfer {
  progress: CopyProgress;
  added: { blobs: number; plain: number; stored: number };
  /** Hands on the progress, at most every 250 ms unless forced (phase changes). */
  report: (force?: boolean) => void;
  /** A chunk boundary: while the transfer window is closed the copy waits here, and says so. */
  passWindow: () => Promise<void>;
}

function startTransfer(options: TransferOptions): Transfer {
  const { signal } = options;
  const progress: CopyProgress = { phase: 'planning', bytesRead: 0, bytesTransferred: 0, chunksDone: 0, chunksTotal: 0, bytesTotal: 0, currentPath: '' };
  const added = { blobs: 0, plain: 0, stored: 0 };
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    options.onProgress({ ...progress });
  };
  /** The phase a pause for the transfer window interrupted, shown again when it resumes. */
  let pausedPhase: CopyPhase = progress.phase;
  const passWindow = async () => {
    const gate = options.window;
    if (!gate || gate.open) return;
    await gate.pass(signal, () => {
      if (progress.phase === 'waiting-for-window') return;
      pausedPhase = progress.phase;
      progress.phase = 'waiting-for-window';
      report(true);
    });
    if (progress.phase !== 'waiting-for-window') return;
    progress.phase = pausedPhase;
    report(true);
  };
  return { progress, added, report, passWindow };
}

/**
 * Reads the source point's trees, finds the blobs the target lacks, reads them pack range
 * by pack range, checks each (GCM authentication, or decode + hash for an unencrypted
 * source), re-seals it for the target's key without decompressing, and commits them
 * (packs → index). Any damaged blob fails it, named by point, file and chunk.
 */
async function transferBlobs(options: TransferOptions, transfer: Transfer): Promise<void> {
  const { source, target, writer, point, signal } = options;
  const { progress, added, report, passWindow } = transfer;
  const label = `The point of ${dateWords(point.created)} of workload "${point.workload}" (${source.where})`;
  const checkCancelled = () => {
    if (signal?.aborted) throw new FerryError('cancelled', `The copy of ${point.workload} was stopped.`);
  };
  /** Damage named by point, file and chunk; a pack gone from the source is damage too (named by its pack). */
  const damaged = (error: unknown, path: string, blobId: string): unknown => {
    const missing = error instanceof StoreError && error.kind === 'not_found';
    if (!missing && (!(error instanceof FerryError) || error.code !== 'corrupt_data')) return error;
    const what = path === '' ? 'the root folder' : `"${path}"`;
    const pack = source.entry(blobId)?.pack;
    const why = missing ? `chunk ${blobId}: its pack ${pack} is missing (${error.message})` : error.message;
    return new FerryError('corrupt_data', `${label}, ${what}: ${why}`, { ...error.details, pointId: point.id, file: path, blobId, ...(pack ? { pack } : {}) });
  };

  /**
   * Checks the blob read from the source (`stored`) and reseals it into the target's pack,
   * unless it arrived there meanwhile (from another workload).
   */
  const copyBlob = async (blob: Needed, stored: Buffer) => {
    if (writer.known(blob.id)) return;
    let storedLength: number;
    try {
      const resealed = resealBlob(blobRef(blob.id, blob.entry), stored, source.cipherKey, target.cipherKey);
      storedLength = resealed.storedLength;
      await writer.addStored(blob.id, blob.type, resealed);
    } catch (error) {
      throw damaged(error, blob.path, blob.id);
    }
    added.blobs++;
    added.plain += blob.entry.plain;
    added.stored += storedLength;
    progress.bytesTransferred += storedLength;
  };

  /** Copies the blobs of one range read from a source pack (`bytes`, reused once this returns). */
  const copyRange = async (pack: string, start: number, bytes: Buffer, blobs: Needed[]) => {
    for (const blob of blobs) {
      const from = blob.entry.offset - start;
      if (from + blob.entry.length > bytes.length) {
        throw damaged(new FerryError('corrupt_data', `Pack ${pack} is truncated: chunk ${blob.id} is incomplete.`), blob.path, blob.id);
      }
      await copyBlob(blob, bytes.subarray(from, from + blob.entry.length));
    }
  };

  const plainOf = (id: string) => source.entry(id)?.plain ?? 0;
  const needed: Needed[] = [];
  const planned = new Set<string>();
  const need = (id: string, type: BlobType, path: string) => {
    if (planned.has(id) || writer.known(id)) return;
    const entry = source.entry(id);
    if (!entry) {
      throw new FerryError('corrupt_data', `${label}, "${path}": chunk ${id} is missing from the source's index${source.indexDamageNote()}.`, { pointId: point.id, file: path, blobId: id });
    }
    planned.add(id);
    needed.push({ id, type, entry, path });
    progress.chunksTotal++;
    progress.bytesTotal += entry.length;
  };

  /**
   * Reads a tree from the source (every tree, to know every file), copying it if needed:
   * what its own nodes hold, and its subfolders.
   */
  const walkTree = async (id: string, path: string): Promise<{ shape: Shape; subtrees: { id: string; path: string }[] }> => {
    checkCancelled();
    await passWindow();
    let plaintext: Buffer;
    let stored: Buffer;
    let entry: IndexEntry;
    try {
      ({ entry, stored } = await source.readStored(id));
      plaintext = source.decode(id, entry, stored);
    } catch (error) {
      throw damaged(error, path, id);
    }
    progress.bytesRead += stored.length;
    if (!planned.has(id)) {
      planned.add(id);
      await copyBlob({ id, type: 'tree', entry, path }, stored);
    }
    const subtrees: { id: string; path: string }[] = [];
    const shape = emptyShape();
    for (const node of parseTree(plaintext, id, source.where).nodes) {
      addNode(shape, node, plainOf);
      const child = joinPath(path, node.name);
      if (node.type === 'dir') subtrees.push({ id: node.subtree, path: child });
      else if (node.type === 'file') for (const chunk of node.content) need(chunk, 'data', child);
    }
    report();
    return { shape, subtrees };
  };

  const trees = new Limiter(TREES_IN_FLIGHT);
  let walkFailed = false;
  // Each tree is read once, and gives what is below it path by path (see beyondClaim):
  // folders that share subtrees cost their few trees, and a point holding more than
  // its manifest claims is refused before any chunk moves (copied, it would be as
  // unrestorable on the target).
  const shapes = new Map<string, Promise<Shape>>();
  const walkOnce = async (id: string, path: string): Promise<Shape> => {
    // Once one tree failed the point fails: the walks still queued must not read or place more.
    const listing = await trees.run(async () => {
      if (walkFailed) return undefined;
      try {
        return await walkTree(id, path);
      } catch (error) {
        walkFailed = true;
        throw error;
      }
    });
    if (!listing) return emptyShape();
    const below = await Promise.all(listing.subtrees.map((child) => walk(child.id, child.path)));
    for (const shape of below) addBelow(listing.shape, shape);
    return listing.shape;
  };
  const walk = (id: string, path: string): Promise<Shape> => {
    let shape = shapes.get(id);
    if (!shape) shapes.set(id, (shape = walkOnce(id, path)));
    return shape;
  };
  checkClaim(point, source.where, await walk(point.tree, ''));

  progress.phase = 'copying';
  report(true);
  const byPack = new Map<string, Needed[]>();
  for (const blob of needed) {
    const list = byPack.get(blob.entry.pack);
    if (list) list.push(blob);
    else byPack.set(blob.entry.pack, [blob]);
  }
  // Throttled, a read asks for at most the throttle's burst, so progress moves and jobs sharing a limit take turns.
  const maxRange = Math.min(MAX_RANGE, options.throttle.piece() ?? MAX_RANGE);
  const ranges = [...byPack.entries()].flatMap(([pack, blobs]) => packRanges(blobs, maxRange).map((range) => ({ pack, range })));
  // Reads reuse their buffers (one per read in flight).
  const readBuffers = new BufferPool(MAX_RANGE, Buffer.allocUnsafeSlow);
  try {
    await eachInTurn(
      ranges,
      RANGES_IN_FLIGHT,
      async ({ pack, range }) => {
        const wanted = range.filter((blob) => !writer.known(blob.id));
        const first = wanted[0];
        const last = wanted.at(-1);
        if (first && last) {
          const start = first.entry.offset;
          const length = last.entry.offset + last.entry.length - start;
          await passWindow();
          await options.throttle.take(length, signal);
          progress.currentPath = first.path;
          await readBuffers.use(async (buffer) => {
            let bytes: Buffer;
            try {
              bytes = await source.store.getRange(keys.pack(source.folder, pack), start, length, buffer);
            } catch (error) {
              throw damaged(error, first.path, first.id);
            }
            progress.bytesRead += bytes.length;
            // A read that began before the window closed is written once it opens again.
            await passWindow();
            await copyRange(pack, start, bytes, wanted);
          });
        }
        progress.chunksDone += range.length;
        report();
      },
      checkCancelled,
    );
  } finally {
    // Reads still running (a failed range stops the others) give theirs back when they settle.
    readBuffers.release();
  }

  await passWindow();
  progress.phase = 'committing';
  report(true);
  await writer.commit();
}

/**
 * Copies one restore point into the target backup: transfers the blobs the target lacks
 * (transferBlobs), then writes its manifest: packs → index → manifest. The manifest
 * keeps the original creation time and records the lineage. Any damaged blob fails the
 * point before its manifest exists.
 */
export async function copyPoint(options: CopyPointOptions): Promise<PointManifest> {
  const { target, point } = options;
  const transfer = startTransfer(options);
  const { progress, added, report, passWindow } = transfer;
  const pointId = randomBytes(16).toString('hex');
  await target.markWriting({ pointId, workload: point.workload, started: new Date((options.clock ?? systemClock).now()).toISOString(), host: hostname(), pid: process.pid });
  try {
    await transferBlobs(options, transfer);
    const stats: PointStats = {
      ...point.stats,
      bytesRead: progress.bytesRead,
      bytesNew: added.plain,
      bytesStored: added.stored,
      blobsNew: added.blobs,
    };
    const completed = new Date((options.clock ?? systemClock).now()).toISOString();
    const copied: PointManifest = {
      format: 'ferry-point',
      version: 1,
      id: pointId,
      backupId: target.config.id,
      workload: point.workload,
      created: point.created,
      completed,
      lineage: options.lineage,
      gfs: options.flags?.(completed) ?? { ...NO_FLAGS },
      source: point.source,
      tree: point.tree,
      stats,
    };
    await passWindow();
    await target.writePoint(copied);
    progress.phase = 'done';
    report(true);
    return copied;
  } finally {
    await target.clearWriting(pointId).catch(() => undefined);
  }
}

/**
 * Transfers the blobs of a source point that the target lacks, and commits them (packs →
 * index), writing no manifest: how a point of the target that lost chunks gets them
 * again from the point it was copied from (heal.ts). What it added.
 */
export async function transferPoint(options: TransferOptions): Promise<Transfer['added'] & { bytesRead: number }> {
  const transfer = startTransfer(options);
  await transferBlobs(options, transfer);
  return { ...transfer.added, bytesRead: transfer.progress.bytesRead };
}
