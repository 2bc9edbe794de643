/**
 * Content-defined chunking, FastCDC style (gear hash + normalized chunking).
 *
 * Chunk boundaries decide chunk ids, and chunk ids are what dedup and copies match on:
 * every constant below is part of the on-disk format. Changing any of them (or the way
 * the gear table is derived) cuts the same file differently, which silently ruins dedup
 * against existing backups. `test/format/chunker.test.ts` pins the boundaries of a fixed
 * input so that such a change cannot go unnoticed.
 *
 * The algorithm, for one chunk starting at offset 0:
 * - bytes [0, MIN - WINDOW) are skipped without hashing (no cut can happen there);
 * - the 32-bit gear hash `h = (h << 1) + GEAR[byte]` runs from MIN - WINDOW with h = 0.
 *   Bit k of h depends only on the last k + 1 bytes, so after WINDOW (32) bytes h is a
 *   pure function of the last 32 bytes: boundaries are truly content-defined, never
 *   dependent on where the chunk started or how the input was split;
 * - after byte number L (chunk length L, MIN <= L < NORMAL) the chunk is cut when
 *   (h & MASK_S) == 0 (harder: 22 bits), for NORMAL <= L < MAX when (h & MASK_L) == 0
 *   (easier: 18 bits), and at L == MAX unconditionally. The masks use the top bits of h
 *   because those depend on the most bytes.
 * With these numbers the mean chunk is ~1 MiB (P(cut before NORMAL) ≈ 6%, then a
 * geometric tail of mean 256 KiB after NORMAL): see bench/micro/chunker.ts.
 */
import { createHash } from 'node:crypto';

export interface ChunkerParams {
  /** Smallest chunk (except the last one of a stream). */
  readonly min: number;
  /** Below this length the hard mask is used, from it on the easy one. */
  readonly normal: number;
  /** Largest chunk: cut unconditionally. */
  readonly max: number;
  /** Cut condition below `normal`: (h & maskS) === 0. */
  readonly maskS: number;
  /** Cut condition from `normal` on: (h & maskL) === 0. */
  readonly maskL: number;
}

/** Seed of the gear table: GEAR[i] = first 4 bytes (little endian) of SHA-256(seed || [i]). */
export const GEAR_SEED = 'ferry/chunker/gear/v1';
/** Bytes of history the 32-bit gear hash depends on. */
export const GEAR_WINDOW = 32;

export const CHUNK_MIN = 512 * 1024;
export const CHUNK_NORMAL = 768 * 1024;
export const CHUNK_AVERAGE = 1024 * 1024; // the resulting mean, for documentation
export const CHUNK_MAX = 8 * 1024 * 1024;
/** Top 22 bits of the hash. */
export const CHUNK_MASK_S = 0xfffffc00 | 0;
/** Top 18 bits of the hash. */
export const CHUNK_MASK_L = 0xffffc000 | 0;

export const CHUNKER_PARAMS: ChunkerParams = Object.freeze({
  min: CHUNK_MIN,
  normal: CHUNK_NORMAL,
  max: CHUNK_MAX,
  maskS: CHUNK_MASK_S,
  maskL: CHUNK_MASK_L,
});

function makeGear(seed: string): Uint32Array {
  const table = new Uint32Array(256);
  const prefix = Buffer.from(seed, 'utf8');
  for (let i = 0; i < 256; i++) {
    table[i] = createHash('sha256').update(prefix).update(Uint8Array.of(i)).digest().readUInt32LE(0);
  }
  return table;
}

/** The gear table (exported for the format docs and tests; do not modify). */
export const GEAR: Uint32Array = makeGear(GEAR_SEED);

function checkParams(p: ChunkerParams): void {
  const ok =
    Number.isInteger(p.min) &&
    Number.isInteger(p.normal) &&
    Number.isInteger(p.max) &&
    p.min >= GEAR_WINDOW &&
    p.min <= p.normal &&
    p.normal <= p.max &&
    p.max <= 2 ** 31;
  if (!ok) throw new RangeError(`invalid chunker parameters ${JSON.stringify(p)}`);
}

/**
 * A slice we keep while the chunk is incomplete, or hand out. A small view of a big
 * buffer would keep the whole buffer alive (a caller pushing a 1 GiB buffer and keeping
 * a few chunks around must not pin the gigabyte), so such views are copied. A view that
 * covers at least half of its memory is kept as is: copying costs more than it saves.
 */
function detach(view: Buffer): Buffer {
  return view.byteLength * 2 < view.buffer.byteLength ? Buffer.from(view) : view;
}

function asBuffer(data: Uint8Array): Buffer {
  if (Buffer.isBuffer(data)) return data;
  // A stream with an encoding set yields strings: chunking those would cut characters.
  if (!(data instanceof Uint8Array)) throw new TypeError('The chunker takes bytes (Uint8Array), not strings.');
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Stateful chunker: push buffers in any sizes, get back every chunk completed so far;
 * `finish()` returns the tail. The chunks do not depend on how the input was split.
 */
export class Chunker {
  readonly params: ChunkerParams;
  /** Pieces of the current, incomplete chunk. */
  private pending: Buffer[] = [];
  /** Length of the current chunk so far (bytes consumed, hashed or skipped). */
  private length = 0;
  private hash = 0;

  constructor(params: ChunkerParams = CHUNKER_PARAMS) {
    checkParams(params);
    this.params = params;
  }

  /** Bytes pushed that are not yet part of a returned chunk. */
  get pendingBytes(): number {
    return this.length;
  }

  /**
   * Consumes `input` and returns the chunks it completed. Chunks and the pending tail may
   * be views of `input`: do not write into a buffer after pushing it (stream chunks are
   * never reused, so `chunkStream` is safe).
   */
  push(input: Uint8Array): Buffer[] {
    const data = asBuffer(input);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const out: Buffer[] = [];
    const end = data.length;
    let start = 0; // where the current chunk's bytes begin within `data`
    while (start < end) {
      const cut = this.scan(bytes, start, end);
      if (cut < 0) {
        this.pending.push(detach(data.subarray(start)));
        break;
      }
      // `cut` is the index just past the chunk's last byte.
      const piece = data.subarray(start, cut);
      if (this.pending.length === 0) {
        out.push(detach(piece));
      } else {
        this.pending.push(piece);
        out.push(Buffer.concat(this.pending, this.length + piece.length));
        this.pending = [];
      }
      this.length = 0;
      this.hash = 0;
      start = cut;
    }
    return out;
  }

  /**
   * For a caller that keeps the current chunk's bytes itself, contiguous from index 0 of
   * `data`: consumes `data[from, end)` (from = the bytes consumed so far) and returns
   * the chunk's length once it is complete, else -1. The next chunk then starts at 0 of
   * whatever `data` the caller passes. push() does the same over any pieces of input.
   */
  cut(data: Uint8Array, from: number, end: number): number {
    if (from !== this.length) throw new RangeError(`the chunk so far is ${this.length} bytes, not ${from}`);
    const cut = this.scan(data, from, end);
    if (cut >= 0) {
      this.length = 0;
      this.hash = 0;
    }
    return cut;
  }

  /** The last chunk (shorter than min, possibly), or undefined if nothing is pending. */
  finish(): Buffer | undefined {
    if (this.length === 0) return undefined;
    const last = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.length);
    this.pending = [];
    this.length = 0;
    this.hash = 0;
    return last;
  }

  /**
   * Consumes bytes of `data` from `from` on for the current chunk. Returns the index just
   * past the cut point, or -1 when `data` ran out first (state saved in this.length and
   * this.hash). Hot loops: locals only, two loads and a few int32 operations per byte
   * (`| 0` keeps h a small integer for V8; the sum of an int32 and a uint32 is exact).
   */
  private scan(data: Uint8Array, from: number, end: number): number {
    const { min, normal, max, maskS, maskL } = this.params;
    const gear = GEAR;
    // Chunk length once bytes before index i are consumed is o + i.
    const o = this.length - from;
    let h = this.hash;
    let i = from;

    // 1. Skip what cannot hold a cut point; only the last WINDOW bytes before min matter.
    const hashFrom = min - GEAR_WINDOW - o;
    if (i < hashFrom) {
      if (hashFrom >= end) {
        this.length = o + end;
        return -1;
      }
      i = hashFrom;
      h = 0;
    }
    // 2. Warm up: hash WINDOW - 1 bytes without testing.
    let stop = Math.min(end, min - 1 - o);
    for (; i < stop; i++) h = ((h << 1) + gear[data[i]!]!) | 0;
    // 3. Lengths [min, normal): hard mask.
    stop = Math.min(end, normal - 1 - o);
    for (; i < stop; i++) {
      h = ((h << 1) + gear[data[i]!]!) | 0;
      if ((h & maskS) === 0) return i + 1;
    }
    // 4. Lengths [normal, max]: easy mask, then the forced cut at max.
    stop = Math.min(end, max - o);
    for (; i < stop; i++) {
      h = ((h << 1) + gear[data[i]!]!) | 0;
      if ((h & maskL) === 0) return i + 1;
    }
    if (i === max - o) return i;
    this.length = o + end;
    this.hash = h;
    return -1;
  }
}

/** Chunks a byte stream (a file read stream, any async iterable of byte arrays). */
export async function* chunkStream(
  readable: AsyncIterable<Uint8Array>,
  params: ChunkerParams = CHUNKER_PARAMS,
): AsyncGenerator<Buffer, void, undefined> {
  const chunker = new Chunker(params);
  for await (const piece of readable) yield* chunker.push(piece);
  const last = chunker.finish();
  if (last !== undefined) yield last;
}
