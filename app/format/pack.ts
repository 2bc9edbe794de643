/**
 * Packs: many blobs in one object (few large objects keep object-store request counts
 * and costs down). A pack describes itself, so a lost index can be rebuilt from packs.
 *
 * Pack layout:
 *   [blob 0 stored bytes][blob 1 stored bytes]…   back to back from offset 0, header order
 *   [header]                                      plain, or seal(key, header, PACK_HEADER_AAD)
 *   [u32 LE: byte length of the header as stored]
 *
 * Header (plaintext), little endian:
 *   0   4  magic "FRPK"
 *   4   1  version = 1
 *   5   3  reserved, zero
 *   8   4  entry count n
 *   12  42 × n entries:
 *        0  32  blob id (SHA-256 of the plaintext)
 *        32  1  type: 0 = data (file chunk), 1 = tree
 *        33  1  codec: 0 = raw, 1 = zstd
 *        34  4  stored length (bytes in the pack: compressed and, if encrypted, sealed)
 *        38  4  plaintext length
 *   12 + 42n  4  CRC-32 (zlib's, IEEE) of the header bytes before it: unencrypted packs
 *                have no other check of their header short of re-hashing the pack
 * Offsets are not stored: blob k starts at the sum of the stored lengths before it, and
 * the stored lengths must add up to exactly the space before the header. That leaves
 * no way to describe overlapping or out-of-bounds blobs.
 *
 * The pack id is the SHA-256 of all its bytes (`packId`): storage names it so, and a
 * re-hash proves the whole pack intact.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { FerryError } from '../../shared/rpc/errors.ts';
import { CODECS, type Codec } from './codec.ts';
import { type CipherKey, open, SEAL_OVERHEAD, seal } from './crypto.ts';
import { ID_LENGTH, idToHex } from './hash.ts';

export { packId, packIdAsync } from './hash.ts';

export type BlobType = 'data' | 'tree';
export const BLOB_TYPES: readonly BlobType[] = ['data', 'tree'];

/** A pack is closed once its blobs reach this size (one blob may overshoot it). */
export const PACK_TARGET_SIZE = 32 * 1024 * 1024;
/** Hard limit: lengths are u32 and a pack is built in memory. */
export const PACK_MAX_SIZE = 1024 * 1024 * 1024;
export const PACK_HEADER_MAGIC = 'FRPK';
export const PACK_HEADER_VERSION = 1;
/** Header bytes before the entries. */
export const PACK_HEADER_PREFIX = 12;
/** Header bytes besides the entries: prefix and CRC-32. */
export const PACK_HEADER_FIXED = PACK_HEADER_PREFIX + 4;
export const PACK_ENTRY_LENGTH = 42;
export const PACK_TRAILER_LENGTH = 4;
/** AAD of a sealed pack header: a header can never be opened as a blob, nor a blob as one. */
export const PACK_HEADER_AAD = Buffer.from('ferry/pack-header/v1', 'utf8');
/** How much of a pack's tail `readPackHeader` fetches first (most headers fit). */
export const PACK_TAIL_GUESS = 64 * 1024;

export interface PackBlob {
  id: Uint8Array;
  type: BlobType;
  codec: Codec;
  plaintextLength: number;
  /** The blob as stored: encoded and, for encrypted backups, sealed. */
  stored: Uint8Array;
}

export interface PackEntry {
  id: Buffer;
  type: BlobType;
  codec: Codec;
  offset: number;
  storedLength: number;
  plaintextLength: number;
}

export type SealHeader = (header: Buffer) => Buffer;
export type OpenHeader = (stored: Buffer) => Buffer;

export const packHeaderSealer =
  (key: CipherKey): SealHeader =>
  (header) =>
    seal(key, header, PACK_HEADER_AAD);

export const packHeaderOpener =
  (key: CipherKey): OpenHeader =>
  (stored) =>
    open(key, stored, PACK_HEADER_AAD, 'A pack header');

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/**
 * Lays out one pack in memory. Single use: `finish` closes it. Blobs are copied into
 * one buffer as they are added (or sealed straight into it, see `write`), so finishing
 * copies nothing, and a writer that passes each stored pack's `buffer` to the next pack
 * allocates nothing per pack: no 16 MiB of page faults and garbage every 16 MiB stored.
 */
export class PackWriter {
  readonly targetSize: number;
  private bytes: Buffer;
  private readonly entries: PackEntry[] = [];
  private readonly ids = new Set<string>();
  private blobBytes = 0;
  private finished = false;

  /** `buffer`: where to lay the pack out (grown, that is replaced, when a blob does not fit). */
  constructor(options: { targetSize?: number; buffer?: Buffer } = {}) {
    this.targetSize = options.targetSize ?? PACK_TARGET_SIZE;
    this.bytes = options.buffer ?? Buffer.alloc(0);
  }

  get count(): number {
    return this.entries.length;
  }

  /** Bytes of blobs so far (the header adds 16 + 42 per blob, plus 28 if sealed, + 4). */
  get size(): number {
    return this.blobBytes;
  }

  get full(): boolean {
    return this.blobBytes >= this.targetSize;
  }

  /** The buffer the pack is laid out in: once the finished pack is stored, the next pack can use it. */
  get buffer(): Buffer {
    return this.bytes;
  }

  has(id: Uint8Array): boolean {
    return this.ids.has(idToHex(id));
  }

  add(blob: PackBlob): PackEntry {
    return this.write(blob, blob.stored.length, (space) => space.set(blob.stored));
  }

  /**
   * Adds a blob of `storedLength` bytes that `fill` writes into `space`, its place in the
   * pack: sealing straight into the pack spares a buffer per blob. When `fill` throws
   * (a resealed source that fails authentication as it is written), the blob is taken
   * out again and the pack is as it was.
   */
  write(blob: Omit<PackBlob, 'stored'>, storedLength: number, fill: (space: Buffer) => void): PackEntry {
    if (this.finished) throw new FerryError('internal', 'This pack is already finished.');
    const hex = idToHex(blob.id);
    if (this.ids.has(hex)) throw new FerryError('internal', `Blob ${hex} is already in this pack.`);
    if (!BLOB_TYPES.includes(blob.type) || !CODECS.includes(blob.codec)) {
      throw new FerryError('internal', `Blob ${hex} has an unknown type or codec.`);
    }
    if (!isU32(blob.plaintextLength) || !isU32(storedLength)) {
      throw new FerryError('internal', `Blob ${hex} is too large for a pack.`);
    }
    if (this.blobBytes + storedLength > PACK_MAX_SIZE) {
      throw new FerryError('internal', `Blob ${hex} would make the pack larger than ${PACK_MAX_SIZE} bytes.`);
    }
    const entry: PackEntry = {
      id: Buffer.from(blob.id), // a copy: the caller may reuse its id buffer
      type: blob.type,
      codec: blob.codec,
      offset: this.blobBytes,
      storedLength,
      plaintextLength: blob.plaintextLength,
    };
    this.makeRoom(this.blobBytes + storedLength, this.blobBytes);
    fill(this.bytes.subarray(entry.offset, entry.offset + storedLength));
    this.ids.add(hex);
    this.entries.push(entry);
    this.blobBytes += storedLength;
    return entry;
  }

  /** Grows the buffer to hold `end` bytes, keeping the `used` bytes before. */
  private makeRoom(end: number, used: number): void {
    if (end <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(end, Math.min(2 * this.bytes.length, PACK_MAX_SIZE), this.targetSize));
    this.bytes.copy(grown, 0, 0, used);
    this.bytes = grown;
  }

  /**
   * The pack as the list of its parts (the blobs, the header, the trailer), for storage
   * that writes them as they are (writev, a streamed upload) and for packIdOfParts.
   */
  finishParts(sealHeader?: SealHeader): { parts: Buffer[]; size: number; entries: PackEntry[] } {
    if (this.finished) throw new FerryError('internal', 'This pack is already finished.');
    this.finished = true;
    const plain = encodePackHeader(this.entries);
    const header = sealHeader ? sealHeader(plain) : plain;
    const trailer = Buffer.alloc(PACK_TRAILER_LENGTH);
    trailer.writeUInt32LE(header.length, 0);
    const parts = [this.bytes.subarray(0, this.blobBytes), header, trailer];
    return { parts, size: this.blobBytes + header.length + PACK_TRAILER_LENGTH, entries: this.entries.slice() };
  }

  /** The pack's bytes (a view of `buffer`) and entries; `sealHeader` for encrypted backups (see packHeaderSealer). */
  finish(sealHeader?: SealHeader): { bytes: Buffer; entries: PackEntry[] } {
    const { parts, size, entries } = this.finishParts(sealHeader);
    this.makeRoom(size, this.blobBytes);
    let at = this.blobBytes;
    for (const part of parts.slice(1)) at += part.copy(this.bytes, at);
    return { bytes: this.bytes.subarray(0, size), entries };
  }
}

/** What a pack of `count` blobs holds beyond them: its header (sealed or not) and trailer. */
export function packOverhead(count: number, sealed: boolean): number {
  return PACK_HEADER_FIXED + PACK_ENTRY_LENGTH * count + (sealed ? SEAL_OVERHEAD : 0) + PACK_TRAILER_LENGTH;
}

/** packId of a pack given as parts (finishParts), without joining them. */
export function packIdOfParts(parts: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function encodePackHeader(entries: readonly PackEntry[]): Buffer {
  const header = Buffer.alloc(PACK_HEADER_FIXED + PACK_ENTRY_LENGTH * entries.length);
  header.write(PACK_HEADER_MAGIC, 0, 'latin1');
  header.writeUInt8(PACK_HEADER_VERSION, 4);
  header.writeUInt32LE(entries.length, 8);
  let at = PACK_HEADER_PREFIX;
  for (const entry of entries) {
    entry.id.copy(header, at);
    header.writeUInt8(BLOB_TYPES.indexOf(entry.type), at + 32);
    header.writeUInt8(CODECS.indexOf(entry.codec), at + 33);
    header.writeUInt32LE(entry.storedLength, at + 34);
    header.writeUInt32LE(entry.plaintextLength, at + 38);
    at += PACK_ENTRY_LENGTH;
  }
  header.writeUInt32LE(crc32(header.subarray(0, at)), at);
  return header;
}

export interface ReadPackHeaderOptions {
  /** Names the pack in errors (its id, usually). */
  name: string;
  /** For encrypted backups (see packHeaderOpener). */
  openHeader?: OpenHeader;
}

/** Random access to a stored pack, e.g. ranged GETs on an object store. */
export interface PackSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

const damaged = (name: string, why: string): FerryError =>
  new FerryError('corrupt_data', `The pack ${name} is damaged: ${why}.`, { pack: name });

/**
 * Parses the header from the pack's last bytes. `tail` is the end of a pack of
 * `packSize` bytes (the whole pack when tail.length == packSize).
 * Returns `{ needed }` if `tail` is too short to hold the header: call again with that
 * many bytes of tail.
 */
export function parsePackTail(
  tail: Uint8Array,
  packSize: number,
  options: ReadPackHeaderOptions,
): { entries: PackEntry[] } | { needed: number } {
  const { name } = options;
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  if (packSize < PACK_TRAILER_LENGTH || bytes.length < PACK_TRAILER_LENGTH || bytes.length > packSize) {
    throw damaged(name, `it is too short (${packSize} bytes)`);
  }
  const headerLength = bytes.readUInt32LE(bytes.length - PACK_TRAILER_LENGTH);
  const minimum = PACK_HEADER_FIXED + (options.openHeader ? SEAL_OVERHEAD : 0);
  if (headerLength < minimum || headerLength > packSize - PACK_TRAILER_LENGTH) {
    throw damaged(name, `the header length ${headerLength} does not fit (truncated?)`);
  }
  if (headerLength + PACK_TRAILER_LENGTH > bytes.length) return { needed: headerLength + PACK_TRAILER_LENGTH };
  const stored = bytes.subarray(bytes.length - PACK_TRAILER_LENGTH - headerLength, bytes.length - PACK_TRAILER_LENGTH);
  let header: Buffer;
  if (options.openHeader) {
    try {
      header = options.openHeader(Buffer.from(stored));
    } catch (error) {
      if (error instanceof FerryError && error.code === 'corrupt_data') {
        throw damaged(name, 'its header failed authentication (damaged, or another key)');
      }
      throw error;
    }
  } else {
    header = stored;
  }
  const entries = decodePackHeader(header, name);
  const blobArea = packSize - PACK_TRAILER_LENGTH - headerLength;
  const sum = entries.reduce((total, entry) => total + entry.storedLength, 0);
  if (sum !== blobArea) throw damaged(name, `its header describes ${sum} bytes of blobs, the pack holds ${blobArea}`);
  return { entries };
}

function decodePackHeader(header: Buffer, name: string): PackEntry[] {
  if (header.length < PACK_HEADER_FIXED || header.toString('latin1', 0, 4) !== PACK_HEADER_MAGIC) {
    throw damaged(name, 'its header is not a Ferry pack header (encrypted, or not a pack?)');
  }
  const version = header.readUInt8(4);
  if (version !== PACK_HEADER_VERSION) throw damaged(name, `unknown pack version ${version}`);
  if (header.readUIntLE(5, 3) !== 0) throw damaged(name, 'reserved header bytes are set');
  const count = header.readUInt32LE(8);
  if (header.length !== PACK_HEADER_FIXED + PACK_ENTRY_LENGTH * count) {
    throw damaged(name, `its header length does not match ${count} entries`);
  }
  const checked = header.length - 4;
  if (crc32(header.subarray(0, checked)) !== header.readUInt32LE(checked)) throw damaged(name, 'its header checksum is wrong');
  const entries: PackEntry[] = [];
  let offset = 0;
  for (let k = 0, at = PACK_HEADER_PREFIX; k < count; k++, at += PACK_ENTRY_LENGTH) {
    const type = BLOB_TYPES[header.readUInt8(at + 32)];
    const codec = CODECS[header.readUInt8(at + 33)];
    if (type === undefined || codec === undefined) throw damaged(name, `entry ${k} has an unknown type or codec`);
    const storedLength = header.readUInt32LE(at + 34);
    entries.push({
      id: Buffer.from(header.subarray(at, at + ID_LENGTH)),
      type,
      codec,
      offset,
      storedLength,
      plaintextLength: header.readUInt32LE(at + 38),
    });
    offset += storedLength;
  }
  return entries;
}

/** The entries of a whole pack in memory. */
export function parsePackHeader(pack: Uint8Array, options: ReadPackHeaderOptions): PackEntry[] {
  const result = parsePackTail(pack, pack.length, options);
  if ('needed' in result) throw damaged(options.name, 'the header is longer than the pack');
  return result.entries;
}

/** The entries of a stored pack, reading only its tail (one read, two for huge headers). */
export async function readPackHeader(source: Uint8Array | PackSource, options: ReadPackHeaderOptions): Promise<PackEntry[]> {
  if (source instanceof Uint8Array) return parsePackHeader(source, options);
  const { size } = source;
  let want = Math.min(size, PACK_TAIL_GUESS);
  for (let attempt = 0; attempt < 2; attempt++) {
    const tail = await source.read(size - want, want);
    if (tail.length !== want) throw damaged(options.name, `read ${tail.length} of ${want} bytes at its end (truncated?)`);
    const result = parsePackTail(tail, size, options);
    if ('entries' in result) return result.entries;
    want = result.needed;
  }
  throw damaged(options.name, 'its header could not be read');
}
