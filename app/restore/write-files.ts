import { availableParallelism } from 'node:os';
import { rm } from 'node:fs/promises';
import type { BackupStore } from '../repository/backup-store.ts';
import { planReads, type Range, type Wanted } from '../repository/blob-reader.ts';
import { eachInTurn } from '../../shared/util/limiter.ts';
import { keys } from '../repository/layout.ts';
import type { TreeNode } from '../repository/bulk-documents.ts';
import { type FileSpec, FileStates, writePiece } from './piece-writer.ts';
import { RestoreThreads } from './restore-threads.ts';
import type { JobBlob, JobResult, WriteJob } from './write-job.ts';

/** A file to restore: where it goes, how messages name it, and its node in the point. */
export interface RestoreFile {
  at: string;
  shown: string;
  node: Extract<TreeNode, { type: 'file' }>;
}

export interface WriteFilesOptions {
  backup: BackupStore;
  /** The mode bits to restore (0o777 leaves out setuid, setgid and sticky). */
  modeMask: number;
  checkCancelled: () => void;
  /**
   * A file that could not be restored (it is removed; kept when only its mode or times
   * could not be set), `blobId` when a chunk was to blame.
   */
  onProblem: (file: RestoreFile, message: string, blobId?: string) => void;
  /** After each range of a pack was written: the bytes, and the files it completed. */
  onWritten: (bytes: number, completed: RestoreFile[]) => void;
}

/**
 * Restore threads (restore-worker.ts): decrypting, decompressing, hashing and writing
 * take the CPU, and one thread per core does them with no round trips and no copies,
 * while this thread plans and reads. (On the main thread with the libuv pool for the
 * big blobs, the benchmark's restore kept this thread ~86% busy and took 1.6 times
 * restic's time.) Four are plenty: the disk is the limit after that.
 */
const THREADS = Math.max(1, Math.min(4, availableParallelism()));
/** Range buffers per thread: one being decoded, one read and waiting. */
const BUFFERS_PER_THREAD = 2;
/** Range reads are at most this long (a single larger blob gets a buffer of its own). */
const RANGE_BUFFER = 16 * 1024 * 1024;

/**
 * Writes the files' content. Every chunk is read and decoded once, pack by pack (see
 * planReads), and written wherever the files need it, so duplicated content costs one
 * decode and the reads follow the packs rather than the files. A chunk that cannot be
 * read fails every file that needs it; the other files are restored. When cancelled or
 * stopped by an error, files not yet complete are removed; failed files are always.
 */
export async function writeFiles(files: readonly RestoreFile[], options: WriteFilesOptions): Promise<void> {
  const { backup } = options;
  const states = new FileStates(files.length);
  const specs: FileSpec[] = files.map(({ at, node }) => ({ at, mode: node.mode & options.modeMask, mtimeMs: node.mtimeMs }));
  /** Per blob: pairs of (file number, offset). */
  const pieces = new Map<string, number[]>();
  const fail = (file: number, message: string, blobId?: string) => {
    if (states.fail(file)) options.onProblem(files[file]!, message, blobId);
  };

  const empty: number[] = [];
  for (const [file, { node }] of files.entries()) {
    let offset = 0;
    try {
      for (const id of node.content) {
        let list = pieces.get(id);
        if (!list) pieces.set(id, (list = []));
        list.push(file, offset);
        offset += backup.requireEntry(id).plain;
      }
    } catch (error) {
      fail(file, (error as Error).message);
      continue;
    }
    states.setPieces(file, node.content.length);
    if (node.content.length === 0) empty.push(file);
  }
  for (const file of empty) {
    const outcome = writePiece(states, file, specs[file]!);
    if (!outcome.written) fail(file, outcome.error ?? 'it could not be written');
    else {
      if (outcome.stampError) options.onProblem(files[file]!, outcome.stampError);
      options.onWritten(0, [files[file]!]);
    }
  }

  /** A blob that cannot be read fails every file that needs it. */
  const failAll = (id: string, error: unknown) => {
    const list = pieces.get(id) ?? [];
    for (let i = 0; i < list.length; i += 2) fail(list[i]!, (error as Error).message, id);
  };
  const ranges = await planReads(backup, pieces.keys(), failAll);
  let failure: { error: unknown } | undefined;
  if (ranges.length > 0) {
    const threads = new RestoreThreads(Math.min(THREADS, ranges.length), { states: states.buffer, key: backup.cipherKey });
    const spare: ArrayBuffer[] = [];
    const finished = (result: JobResult) => {
      if (result.bytes.buffer.byteLength === RANGE_BUFFER) spare.push(result.bytes.buffer as ArrayBuffer);
      for (const { file, message, blobId } of result.problems) options.onProblem(files[file]!, message, blobId);
      options.onWritten(
        result.written,
        result.completed.map((file) => files[file]!),
      );
    };
    /** A job for blobs of `bytes`, each at `start` (its offset in `bytes`). */
    const job = (bytes: Uint8Array, blobs: { wanted: Wanted; start: number }[]): WriteJob => {
      const referenced = new Map<number, FileSpec>();
      const jobBlobs: JobBlob[] = blobs.map(({ wanted: { id, entry }, start }) => {
        const list = pieces.get(id)!;
        for (let i = 0; i < list.length; i += 2) referenced.set(list[i]!, specs[list[i]!]!);
        return { id, codec: entry.codec, plain: entry.plain, start, length: entry.length, pieces: list };
      });
      return { bytes, blobs: jobBlobs, files: [...referenced] };
    };
    const send = async (range: Range): Promise<void> => {
      const buffer = Buffer.from(range.length <= RANGE_BUFFER ? (spare.pop() ?? new ArrayBuffer(RANGE_BUFFER)) : new ArrayBuffer(range.length));
      const bytes = await backup.store.getRange(keys.pack(backup.folder, range.pack), range.offset, range.length, buffer).catch(() => undefined);
      if (bytes) {
        // A store that could not read into the buffer gave a new one: the job takes the buffer.
        if (bytes.buffer !== buffer.buffer) buffer.set(bytes);
        const blobs = range.blobs.map((wanted) => ({ wanted, start: wanted.entry.offset - range.offset }));
        return finished(await threads.run(job(buffer.subarray(0, range.length), blobs)));
      }
      if (buffer.length === RANGE_BUFFER) spare.push(buffer.buffer as ArrayBuffer);
      // The grouped read failed: each blob on its own, so damage costs only the blobs it hits.
      for (const wanted of range.blobs) {
        let stored: Buffer;
        try {
          ({ stored } = await backup.readStored(wanted.id));
        } catch (error) {
          failAll(wanted.id, error);
          continue;
        }
        finished(await threads.run(job(new Uint8Array(stored), [{ wanted, start: 0 }])));
      }
    };

    try {
      await eachInTurn(ranges, THREADS * BUFFERS_PER_THREAD, send, options.checkCancelled);
    } catch (error) {
      failure = { error };
    } finally {
      await threads.close();
    }
  }

  for (const [file, target] of files.entries()) {
    const remove = failure ? states.incomplete(file) : states.hasFailed(file);
    if (remove && states.wasCreated(file)) await rm(target.at, { force: true });
  }
  if (failure) throw failure.error;
}
