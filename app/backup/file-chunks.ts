import { closeSync, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { CHUNK_MAX, Chunker } from '../format/chunker.ts';
import { BufferPool } from '../util/buffer-pool.ts';

// Plain descriptors rather than fs.promises' FileHandle: opening, reading and closing a
// small file cost a third less CPU, on the main thread.
const openFile = promisify(open);
const readAt = promisify(read);

/** Largest read: a chunk is ~1 MiB, so bigger reads only pin more memory. */
const READ_BUFFER = 1024 * 1024;
/** A chunk buffer: a chunk (~1 MiB) and the read after its end fit; a longer chunk grows into one of its own. */
const CHUNK_BUFFER = 2 * 1024 * 1024;

/**
 * Buffers that files are read into, each holding one chunk, reused once the chunk is
 * stored. A fresh buffer per read (and another to join a chunk that spans two reads)
 * made the garbage collector run every ~20 MB read, and it took a fifth of the CPU.
 */
export const chunkBuffers = (): BufferPool => new BufferPool(CHUNK_BUFFER);

export interface FileChunk {
  data: Buffer;
  /** Gives the chunk's buffer back: call it once nothing reads `data` any more. */
  release(): void;
}

/**
 * How much to read next: what `lstat` said is left plus one byte, so a short read shows
 * the end (as fs.readFile assumes) without one more read.
 */
function readSize(position: number, expected: number): number {
  if (position > expected) return READ_BUFFER; // it grew since lstat: read on to its end
  return Math.min(expected - position + 1, READ_BUFFER);
}

/** A buffer for a chunk longer than CHUNK_BUFFER, with its first `length` bytes. */
function grown(buffer: Buffer, length: number): Buffer {
  const bigger = Buffer.allocUnsafe(CHUNK_MAX);
  buffer.copy(bigger, 0, 0, length);
  return bigger;
}

/**
 * A file's content as content-defined chunks, read straight into chunk buffers: a
 * chunk is a view of its buffer, and only the bytes read past its end are copied, to
 * start the next one. `expectedSize` (from lstat) sizes the reads.
 */
export async function* fileChunks(file: string, expectedSize: number, buffers: BufferPool): AsyncGenerator<FileChunk, void, undefined> {
  const fd = await openFile(file, 'r');
  try {
    const chunker = new Chunker();
    let buffer = buffers.take();
    let filled = 0;
    let position = 0;
    for (;;) {
      if (filled === buffer.length) {
        const old = buffer;
        buffer = grown(old, filled);
        buffers.give(old);
      }
      const want = Math.min(readSize(position, expectedSize), buffer.length - filled);
      const { bytesRead } = await readAt(fd, buffer, filled, want, position);
      position += bytesRead;
      let cut = chunker.cut(buffer, filled, filled + bytesRead);
      filled += bytesRead;
      while (cut >= 0) {
        const full = buffer;
        buffer = buffers.take();
        filled = full.copy(buffer, 0, cut, filled);
        yield { data: full.subarray(0, cut), release: () => buffers.give(full) };
        cut = chunker.cut(buffer, 0, filled);
      }
      if (bytesRead < want) break;
    }
    const last = buffer;
    if (filled > 0) yield { data: last.subarray(0, filled), release: () => buffers.give(last) };
    else buffers.give(last);
  } finally {
    // Closing a descriptor opened for reading does not wait for the disk: a trip to the
    // thread pool cost more (0.2 s less for the bench's first backup, closing here).
    closeSync(fd);
  }
}
