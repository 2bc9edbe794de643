/**
 * Blob compression: zstd, or raw when compressing would not pay.
 *
 * Already-compressed files (media, archives, compressed disk images) are common in
 * backups, and compressing them is work for nothing: zstd -3 spends 0.7-2.3 ms per MiB
 * of incompressible data (1.4 GB/s on AES output on the dev VM, ~430 MB/s on other
 * data/machines). So a 64 KiB sample is compressed first (~0.1 ms per 1 MiB chunk;
 * encodeBlob runs at ~10 GB/s on random data) and the whole blob only if the sample
 * shrank by 3%. The cost on compressible data is the sample, ~6-10%
 * (bench/micro/codec.ts).
 */
import { promisify } from 'node:util';
import { constants, zstdCompress, zstdCompressSync, zstdDecompressSync, type ZstdOptions } from 'node:zlib';
import { FerryError } from '../../shared/rpc/errors.ts';

export type Codec = 'raw' | 'zstd';
export const CODECS: readonly Codec[] = ['raw', 'zstd'];

export const DEFAULT_ZSTD_LEVEL = 3;
/** Bytes compressed to decide: SAMPLE_SLICES slices spread over the blob. */
export const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_SLICES = 4;
/** The sample must shrink by at least this fraction for the whole blob to be compressed. */
export const MIN_SAMPLE_SAVING = 0.03;

export interface EncodedBlob {
  codec: Codec;
  data: Buffer;
}

export interface EncodeOptions {
  /** zstd level, -7 (fastest) to 22; default 3. */
  level?: number;
}

const zstdCompressAsync = promisify(zstdCompress);
/** zlib's smallest output chunk. */
const MIN_CHUNK_SIZE = 64;
const MAX_DECODE_CHUNK = 16 * 1024 * 1024;

function zstdOptions(data: Uint8Array, level: number, outputSize: number): ZstdOptions {
  return {
    params: {
      [constants.ZSTD_c_compressionLevel]: level,
      // Records the size in the frame, and lets zstd size its window to the blob.
      [constants.ZSTD_c_contentSizeFlag]: 1,
    },
    pledgedSrcSize: data.length,
    // One output buffer of about the expected size instead of many 16 KiB ones (~10%
    // faster); a larger result only spills into more buffers.
    chunkSize: Math.max(MIN_CHUNK_SIZE, outputSize),
  };
}

/** Compressed size is estimated from the sample's, plus this margin (10%, and some bytes). */
const estimate = (size: number, ratio: number): number => Math.ceil(size * ratio * 1.1) + 1024;

function zstd(data: Uint8Array, level: number, outputSize: number): Buffer {
  const out = zstdCompressSync(data, zstdOptions(data, level, outputSize));
  // The sync API returns a view of its whole output buffer: copy, so a 200 KiB result
  // waiting in a pack does not pin 1 MiB.
  return out.length * 2 < out.buffer.byteLength ? Buffer.from(out) : out;
}

/** Where samples are put together: sampling is synchronous, so one buffer serves every call. */
const sampleBuffer = Buffer.allocUnsafe(SAMPLE_BYTES);

/**
 * The sample: slices from the start, the end and in between, because a chunk can start
 * with a compressible file header and go on with compressed data, or the other way round.
 * Valid until the next call.
 */
function sample(data: Buffer): Buffer {
  const slice = SAMPLE_BYTES / SAMPLE_SLICES;
  const step = (data.length - slice) / (SAMPLE_SLICES - 1);
  for (let k = 0; k < SAMPLE_SLICES; k++) {
    const at = Math.round(k * step);
    data.copy(sampleBuffer, k * slice, at, at + slice);
  }
  return sampleBuffer;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Whether the blob is worth compressing as a whole (see SAMPLE_BYTES), as the size its
 * output is expected to have, or undefined. The estimate sizes zstd's output buffer:
 * one as large as the input would be mostly waste on text, and garbage to collect.
 */
function expectedSize(data: Buffer, level: number): number | undefined {
  if (data.length === 0) return undefined;
  if (data.length <= 2 * SAMPLE_BYTES) return data.length;
  const probe = sample(data);
  const ratio = zstdCompressSync(probe, zstdOptions(probe, level, probe.length)).length / probe.length;
  return ratio <= 1 - MIN_SAMPLE_SAVING ? Math.min(data.length, estimate(data.length, ratio)) : undefined;
}

function choose(data: Buffer, compressed: Buffer): EncodedBlob {
  return compressed.length < data.length ? { codec: 'zstd', data: compressed } : { codec: 'raw', data };
}

function levelOf(options: EncodeOptions): number {
  const level = options.level ?? DEFAULT_ZSTD_LEVEL;
  // zstd silently clamps out-of-range levels; a typo should not silently mean level 22.
  if (!Number.isInteger(level) || level < -7 || level > 22) throw new RangeError(`invalid zstd level ${level}`);
  return level;
}

/** Compresses when it pays; a raw result is `plaintext` itself (not a copy). */
export function encodeBlob(plaintext: Uint8Array, options: EncodeOptions = {}): EncodedBlob {
  const level = levelOf(options);
  const data = asBuffer(plaintext);
  const outputSize = expectedSize(data, level);
  if (outputSize === undefined) return { codec: 'raw', data };
  return choose(data, zstd(data, level, outputSize));
}

/**
 * Below this size encodeBlobAsync compresses on the calling thread: the async call's
 * stream and trip to the pool cost half as much CPU as compressing 64 KiB of text, and
 * doubled the CPU of an 8 KiB blob.
 */
const ASYNC_ENCODE_MIN = 64 * 1024;

/**
 * Same result as encodeBlob, but the whole-blob compression runs on the libuv thread
 * pool: several in flight use every core while the main thread chunks and hashes
 * (zstd -3 on source code: ~250 MB/s on one core; bench/micro/codec.ts). Small blobs
 * are compressed here and now (ASYNC_ENCODE_MIN).
 */
export async function encodeBlobAsync(plaintext: Uint8Array, options: EncodeOptions = {}): Promise<EncodedBlob> {
  const level = levelOf(options);
  const data = asBuffer(plaintext);
  const outputSize = expectedSize(data, level);
  if (outputSize === undefined) return { codec: 'raw', data };
  if (data.length < ASYNC_ENCODE_MIN) return choose(data, zstd(data, level, outputSize));
  return choose(data, await zstdCompressAsync(data, zstdOptions(data, level, outputSize)));
}

/** The plaintext of an encoded blob; anything but exactly `expectedLength` bytes is corrupt. */
export function decodeBlob(codec: Codec, data: Uint8Array, expectedLength: number): Buffer {
  let plaintext: Buffer;
  if (codec === 'raw') {
    plaintext = asBuffer(data);
  } else if (codec === 'zstd') {
    try {
      // The limit stops a corrupt (or hostile) frame from inflating without bound.
      plaintext = zstdDecompressSync(data, {
        maxOutputLength: Math.max(1, expectedLength),
        // Exactly the expected size (no copies, no waste), capped: the length comes from
        // storage and a damaged one must not allocate gigabytes up front.
        chunkSize: Math.max(MIN_CHUNK_SIZE, Math.min(expectedLength, MAX_DECODE_CHUNK)),
      });
    } catch (error) {
      throw new FerryError('corrupt_data', `A compressed blob is damaged: ${(error as Error).message}.`);
    }
  } else {
    throw new FerryError('corrupt_data', `Unknown blob codec "${String(codec)}".`);
  }
  if (plaintext.length !== expectedLength) {
    throw new FerryError('corrupt_data', `A blob decoded to ${plaintext.length} bytes instead of ${expectedLength}.`);
  }
  return plaintext;
}
