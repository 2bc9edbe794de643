/**
 * One blob, from plaintext to the bytes stored in a pack and back: codec + crypto + the
 * id check. Layout of a stored blob:
 *   unencrypted backup: encoded bytes (raw plaintext, or one zstd frame)
 *   encrypted backup:   seal(master key, encoded bytes, AAD = the 32-byte blob id)
 *                       = nonce(12) || AES-256-GCM(encoded) || tag(16)
 * The codec and both lengths live in the pack header and the index, not in the blob.
 */
import { promisify } from 'node:util';
import { zstdDecompress } from 'node:zlib';
import { FerryError } from '../../shared/rpc/errors.ts';
import { type Codec, decodeBlob, encodeBlob, encodeBlobAsync, type EncodedBlob } from './codec.ts';
import { type CipherKey, open, reseal, SEAL_OVERHEAD, seal } from './crypto.ts';
import { blobId, blobIdAsync, idsEqual, idToHex } from './hash.ts';
import { releaseNow } from '../util/release.ts';

export interface StoredBlob {
  codec: Codec;
  stored: Buffer;
  plaintextLength: number;
}

/** What loading a blob needs to know about it (a PackEntry or an index entry fits). */
export interface BlobRef {
  id: Uint8Array;
  codec: Codec;
  plaintextLength: number;
}

export interface StoreOptions {
  /** The backup's master key; absent for unencrypted backups. */
  key?: CipherKey | undefined;
  /** zstd level. */
  level?: number;
}

function sealed(id: Uint8Array, plaintext: Uint8Array, encoded: EncodedBlob, key: CipherKey | undefined): StoredBlob {
  const stored = key ? seal(key, encoded.data, id) : encoded.data;
  return { codec: encoded.codec, stored, plaintextLength: plaintext.length };
}

/** Encodes (and seals, with a key) a blob whose id the caller computed with blobId. */
export function storeBlob(id: Uint8Array, plaintext: Uint8Array, options: StoreOptions = {}): StoredBlob {
  const encoded = encodeBlob(plaintext, options.level === undefined ? {} : { level: options.level });
  return sealed(id, plaintext, encoded, options.key);
}

/**
 * storeBlob with the compression on the libuv thread pool (encodeBlobAsync): keep a few
 * in flight and other cores compress. Sealing stays on the calling thread: WebCrypto's
 * AES-GCM on the pool measured no faster overall than node:crypto's here.
 */
export async function storeBlobAsync(id: Uint8Array, plaintext: Uint8Array, options: StoreOptions = {}): Promise<StoredBlob> {
  const encoded = await encodeBlobAsync(plaintext, options.level === undefined ? {} : { level: options.level });
  return sealed(id, plaintext, encoded, options.key);
}

/**
 * A blob encoded for storing but not sealed yet: `write` puts its `storedLength` stored
 * bytes into the caller's buffer, so a writer seals straight into its pack instead of
 * into a buffer of the blob's own that it would copy and throw away. A resealed blob's
 * `write` may throw (see resealBlob).
 */
export interface UnsealedBlob {
  codec: Codec;
  plaintextLength: number;
  storedLength: number;
  write(into: Buffer): void;
}

/** storeBlobAsync up to the sealing (see UnsealedBlob). */
export async function encodeForStoreAsync(id: Uint8Array, plaintext: Uint8Array, options: StoreOptions = {}): Promise<UnsealedBlob> {
  const { codec, data } = await encodeBlobAsync(plaintext, options.level === undefined ? {} : { level: options.level });
  const { key } = options;
  return {
    codec,
    plaintextLength: plaintext.length,
    storedLength: data.length + (key ? SEAL_OVERHEAD : 0),
    write: (into) => {
      if (key) seal(key, data, id, into);
      else into.set(data);
      // Compression's output is this blob's alone and is copied now (see releaseNow).
      if (codec === 'zstd') releaseNow(data);
    },
  };
}

function corrupt(id: Uint8Array, why: string): FerryError {
  const hex = idToHex(id);
  return new FerryError('corrupt_data', `Blob ${hex} is damaged: ${why}.`, { blobId: hex });
}

/** Runs `decrypt`, naming the blob when it fails authentication. */
function authenticated<T>(ref: BlobRef, decrypt: () => T): T {
  try {
    return decrypt();
  } catch (error) {
    if (error instanceof FerryError && error.code === 'corrupt_data') {
      throw corrupt(ref.id, 'it failed authentication (altered, moved from another id, or another key)');
    }
    throw error;
  }
}

/** Authenticated decryption of a stored blob (identity without a key). */
function unseal(ref: BlobRef, stored: Uint8Array, key: CipherKey | undefined, into?: Buffer): Buffer {
  if (!key) return Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return authenticated(ref, () => open(key, stored, ref.id, undefined, into));
}

function decodeChecked(ref: BlobRef, encoded: Uint8Array): Buffer {
  let plaintext: Buffer;
  try {
    plaintext = decodeBlob(ref.codec, encoded, ref.plaintextLength);
  } catch (error) {
    if (error instanceof FerryError && error.code === 'corrupt_data') throw corrupt(ref.id, error.message);
    throw error;
  }
  // Integrity even without encryption, and a last line of defence against bugs with it.
  if (!idsEqual(blobId(plaintext), ref.id)) throw corrupt(ref.id, 'its content does not match its id');
  return plaintext;
}

/**
 * The plaintext of a stored blob, verified: the SHA-256 of what comes out must be the
 * id, else FerryError('corrupt_data', …, { details: { blobId } }). For a raw blob of an
 * unencrypted backup the result is a view of `stored`. `scratch`: where to decrypt to
 * (reused by the caller): a raw blob's result is then a view of it, valid until its next use.
 */
export function loadBlob(ref: BlobRef, stored: Uint8Array, key?: CipherKey, scratch?: Buffer): Buffer {
  return decodeChecked(ref, unseal(ref, stored, key, scratch));
}

/**
 * Checks an encrypted blob as stored without decoding it: GCM authentication, bound to its
 * id, proves every byte is what was sealed for that id (as copies trust it, see
 * ResealOptions). FerryError('corrupt_data') naming the blob otherwise.
 */
export function authenticateBlob(ref: BlobRef, stored: Uint8Array, key: CipherKey): void {
  unseal(ref, stored, key);
}

const zstdDecompressAsync = promisify(zstdDecompress);
/** The largest output buffer a decompression allocates up front (lengths come from storage). */
const MAX_DECOMPRESS_CHUNK = 16 * 1024 * 1024;

/** Decompresses a zstd blob on the thread pool; the caller checks codec and length. */
async function inflateAsync(ref: BlobRef, encoded: Buffer): Promise<Buffer> {
  if (ref.codec !== 'zstd') return encoded;
  try {
    // As decodeBlob: the limit stops a damaged frame from inflating without bound.
    return await zstdDecompressAsync(encoded, {
      maxOutputLength: Math.max(1, ref.plaintextLength),
      chunkSize: Math.max(64, Math.min(ref.plaintextLength, MAX_DECOMPRESS_CHUNK)),
    });
  } catch (error) {
    throw corrupt(ref.id, `A compressed blob is damaged: ${(error as Error).message}`);
  }
}

/**
 * loadBlob with decompression and hashing on the libuv thread pool, so a restore or a
 * verify keeps several blobs in flight and uses every core. Decryption stays on the
 * calling thread: node:crypto's AES-GCM there costs less CPU than WebCrypto's on the pool.
 */
export async function loadBlobAsync(ref: BlobRef, stored: Uint8Array, key?: CipherKey): Promise<Buffer> {
  const inflated = await inflateAsync(ref, unseal(ref, stored, key));
  let plaintext: Buffer;
  try {
    // Inflated already: what is left of decodeBlob is the codec and length checks.
    plaintext = decodeBlob(ref.codec === 'zstd' ? 'raw' : ref.codec, inflated, ref.plaintextLength);
  } catch (error) {
    if (error instanceof FerryError && error.code === 'corrupt_data') throw corrupt(ref.id, error.message);
    throw error;
  }
  if (!idsEqual(await blobIdAsync(plaintext), ref.id)) throw corrupt(ref.id, 'its content does not match its id');
  return plaintext;
}

export interface ResealOptions {
  /**
   * 'auth' (default): an encrypted source is trusted once GCM authenticates it (it was
   * sealed with this key for this id); no decompression. 'full': also decode and hash.
   * Unencrypted sources are always decoded and hashed: nothing else proves them intact.
   */
  verify?: 'auth' | 'full';
}

/**
 * Re-seals a stored blob for another backup without re-compressing it, as it is written
 * into its place in the target's pack: this is how a copy job moves chunks between
 * backups with different keys. Codec and plaintext length are unchanged.
 * An encrypted source ('auth') is decrypted and re-encrypted in that one pass (crypto.ts
 * `reseal`) and authenticated as it is written: `write` throws FerryError('corrupt_data')
 * for a damaged blob, and what it wrote must be dropped. Other sources are checked here,
 * before anything is written, and then sealed with `toKey` (or left unsealed).
 */
export function resealBlob(
  ref: BlobRef,
  stored: Uint8Array,
  fromKey: CipherKey | undefined,
  toKey: CipherKey | undefined,
  options: ResealOptions = {},
): UnsealedBlob {
  const blob = { codec: ref.codec, plaintextLength: ref.plaintextLength };
  if (fromKey && options.verify !== 'full') {
    return {
      ...blob,
      storedLength: stored.length - (toKey ? 0 : SEAL_OVERHEAD),
      write: (into) => authenticated(ref, () => (toKey ? reseal(fromKey, toKey, stored, ref.id, into) : open(fromKey, stored, ref.id, undefined, into))),
    };
  }
  const encoded = unseal(ref, stored, fromKey);
  const plaintext = decodeChecked(ref, encoded);
  // Only checked: decompression's output goes at once (a raw blob's is a view of `encoded`).
  if (ref.codec === 'zstd') releaseNow(plaintext);
  return {
    ...blob,
    storedLength: encoded.length + (toKey ? SEAL_OVERHEAD : 0),
    write: (into) => (toKey ? seal(toKey, encoded, ref.id, into) : into.set(encoded)),
  };
}
