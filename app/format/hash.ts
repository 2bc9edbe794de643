/**
 * Blob and pack ids: SHA-256. Ids are of the plaintext, unkeyed, so the same chunk has
 * the same id in every backup whatever its key: that is what lets a copy job skip the
 * chunks a target already holds without reading them. (The price, as in restic: someone
 * who can list an encrypted backup can test whether it holds a chunk they already know.)
 *
 * Why SHA-256 and not BLAKE3: node:crypto has no BLAKE3, and with SHA-NI OpenSSL's
 * SHA-256 (1.58 GB/s on the dev machine) beats every alternative it offers: blake2b512
 * 0.79 GB/s, sha512-256 0.76 GB/s, sha3-256 0.43 GB/s (bench/micro/hash.ts). A BLAKE3 in
 * JS or WASM runs one thread without the native SIMD/multithreading that makes BLAKE3
 * fast, so it would not beat 1.58 GB/s either.
 */
import { hash, webcrypto } from 'node:crypto';
import { FerryError } from '../../shared/rpc/errors.ts';

export const ID_LENGTH = 32;
/** A blob or pack id as written in names and documents: 64 lowercase hex digits. */
export const HEX_ID = /^[0-9a-f]{64}$/;

/** SHA-256 of the plaintext of a blob (chunk or tree). */
export function blobId(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/**
 * Below this size blobIdAsync hashes on the calling thread: WebCrypto copies its input
 * and the trip to the pool costs ~13 µs, so an 8 KiB blob took 2.5 times the CPU.
 */
const ASYNC_HASH_MIN = 64 * 1024;

/**
 * blobId on the libuv thread pool (WebCrypto digest): with several in flight, hashing
 * uses the other cores while the main thread chunks (2 CPUs: 1.9 GB/s with 2 in flight,
 * 2.5 GB/s with 4, vs 1.58 GB/s sync; bench/micro/hash.ts). Small blobs are hashed
 * here and now (ASYNC_HASH_MIN).
 */
export async function blobIdAsync(data: Uint8Array): Promise<Buffer> {
  if (data.length < ASYNC_HASH_MIN) return blobId(data);
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data));
}

/** A pack is named after the SHA-256 of its bytes, so any damage shows in a re-hash. */
export const packId = blobId;
export const packIdAsync = blobIdAsync;

export function idToHex(id: Uint8Array): string {
  if (id.length !== ID_LENGTH) throw new FerryError('internal', `An id must be ${ID_LENGTH} bytes, not ${id.length}.`);
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}

/** Parses a 64-digit lowercase hex id (as used in object names and index entries). */
export function idFromHex(hex: string): Buffer {
  if (!HEX_ID.test(hex)) throw new FerryError('invalid_input', `"${hex.slice(0, 80)}" is not a 64-digit hex id.`);
  return Buffer.from(hex, 'hex');
}

export function isHexId(text: string): boolean {
  return HEX_ID.test(text);
}

export function idsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
