import type { KeyObject } from 'node:crypto';
import { FerryError } from '../../shared/rpc/errors.ts';
import { loadBlob } from '../format/blob-sealer.ts';
import type { Codec } from '../format/codec.ts';
import { idFromHex } from '../format/hash.ts';
import { releaseNow } from '../util/release.ts';
import { type FileSpec, FileStates, writePiece } from './piece-writer.ts';

/** A blob of a write job: where its stored bytes are in the job's bytes, and where its plaintext goes. */
export interface JobBlob {
  id: string;
  codec: Codec;
  plain: number;
  start: number;
  length: number;
  /** Pairs of (file number, offset in the file). */
  pieces: number[];
}

/** Stored bytes (a range of a pack) to decode and write into files, on a restore thread. */
export interface WriteJob {
  bytes: Uint8Array;
  blobs: JobBlob[];
  /** The files the pieces go to, by number. */
  files: [number, FileSpec][];
}

export interface JobProblem {
  file: number;
  message: string;
  blobId?: string;
}

export interface JobResult {
  /** The job's bytes, handed back for reuse. */
  bytes: Uint8Array;
  /** Plaintext bytes written. */
  written: number;
  /** Files this job completed. */
  completed: number[];
  problems: JobProblem[];
}

/** What every write job of a restore shares: the files' state and the backup's key. */
export interface RestoreThreadData {
  states: SharedArrayBuffer;
  key: KeyObject | undefined;
}

/**
 * Runs write jobs on one thread: each blob is authenticated, decompressed and checked
 * against its id, then written at every place the files need it. A damaged blob fails
 * the files that need it; a failed write fails its file; the others go on.
 */
export class JobRunner {
  private readonly states: FileStates;
  private readonly key: KeyObject | undefined;
  /** Decryption's output, reused: a fresh buffer per blob costs a page fault per 4 KiB. */
  private scratch = Buffer.allocUnsafeSlow(0);

  constructor(data: RestoreThreadData) {
    this.states = new FileStates(data.states);
    this.key = data.key;
  }

  run(job: WriteJob): JobResult {
    const files = new Map(job.files);
    const result: JobResult = { bytes: job.bytes, written: 0, completed: [], problems: [] };
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    for (const blob of job.blobs) {
      let plaintext: Buffer;
      try {
        if (this.key && this.scratch.length < blob.length) this.scratch = Buffer.allocUnsafeSlow(Math.max(blob.length, 2 * this.scratch.length));
        const ref = { id: idFromHex(blob.id), codec: blob.codec, plaintextLength: blob.plain };
        plaintext = loadBlob(ref, bytes.subarray(blob.start, blob.start + blob.length), this.key, this.scratch);
      } catch (error) {
        const message = error instanceof FerryError ? error.message : `Blob ${blob.id} could not be read: ${(error as Error).message}`;
        for (let i = 0; i < blob.pieces.length; i += 2) {
          const file = blob.pieces[i]!;
          if (this.states.fail(file)) result.problems.push({ file, message, blobId: blob.id });
        }
        continue;
      }
      for (let i = 0; i < blob.pieces.length; i += 2) {
        const file = blob.pieces[i]!;
        const outcome = writePiece(this.states, file, files.get(file)!, plaintext, blob.pieces[i + 1]!);
        if (outcome.written) {
          result.written += plaintext.length;
          if (outcome.completed) result.completed.push(file);
          // Only the mode or times could not be set: the content is whole and stays.
          if (outcome.stampError) result.problems.push({ file, message: outcome.stampError });
        } else if (outcome.error) {
          result.problems.push({ file, message: outcome.error });
        }
      }
      // Decompression's output is this blob's alone (raw blobs are views of the scratch or the job's bytes).
      if (blob.codec === 'zstd') releaseNow(plaintext);
    }
    return result;
  }
}
