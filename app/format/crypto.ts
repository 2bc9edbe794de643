/**
 * Encryption: one random master key per backup, wrapped by a key derived from the
 * password. Changing the password rewraps the master key and never touches data.
 *
 * Master key: 32 random bytes, the AES-256-GCM key of every blob and pack header. There
 * is no second (MAC or id) key: blob ids must be the same in every backup whatever its
 * key (copies match chunks by id), so they are unkeyed SHA-256, and GCM already
 * authenticates every sealed byte.
 *
 * Sealed layout (`seal`): nonce (12 random bytes) || ciphertext (same length as the
 * plaintext) || GCM tag (16 bytes): 28 bytes of overhead. Random 96-bit nonces stay
 * safe for 2^32 seals per key (NIST SP 800-38D), i.e. ~4 PiB of 1 MiB chunks.
 */
import {
  type CipherGCM,
  createCipheriv,
  createHash,
  createDecipheriv,
  type DecipherGCM,
  KeyObject,
  randomBytes,
  randomFillSync,
  scrypt as scryptCallback,
  type ScryptOptions,
} from 'node:crypto';
import { FerryError } from '../../shared/rpc/errors.ts';
import { releaseNow } from '../util/release.ts';

export const MASTER_KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const SEAL_OVERHEAD = NONCE_LENGTH + TAG_LENGTH;
const CIPHER = 'aes-256-gcm';

export const KEY_FILE_VERSION = 1;
/** AAD of the wrapped master key: a key file's ciphertext is only ever a master key. */
const KEY_FILE_AAD = Buffer.from('ferry/key-file/v1', 'utf8');
const SALT_LENGTH = 32;

export interface KdfParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** scrypt N=2^15, r=8, p=1: 32 MiB and ~0.1 s per attempt (the RFC 7914 interactive level). */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });
/**
 * What a key file may ask for: bounds the memory (1 GiB) and time (N·r·p ≤ 2^24, ~5 s
 * here; the default is 2^18) of opening a hostile or damaged key file.
 */
const KDF_LIMITS = { maxLogN: 22, maxR: 32, maxP: 16, maxMemory: 1024 * 1024 * 1024, maxCost: 2 ** 24 };

/** A backup's key file, as stored (JSON). */
export interface KeyFile {
  version: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64, 32 random bytes. */
  salt: string;
  /** base64 of seal(derived key, master key, KEY_FILE_AAD): 12 + 32 + 16 = 60 bytes. */
  wrapped: string;
  /** ISO 8601 time the key file was written. */
  created: string;
  /**
   * base64 of the first 16 bytes of SHA-256 over the fields that derive and open the key
   * (keyFileCheck). Not a secret and no protection against forgery (GCM is that): it
   * tells damage from a wrong password, which GCM alone cannot. Absent in older key files.
   */
  check?: string;
}

/**
 * The check of a key file's fields. When it matches and the wrapped key still fails
 * authentication, the file is as it was written: the password is wrong.
 */
export function keyFileCheck(keyFile: Pick<KeyFile, 'version' | 'kdf' | 'N' | 'r' | 'p' | 'salt' | 'wrapped'>): string {
  const fields = ['ferry/key-file-check/v1', keyFile.version, keyFile.kdf, keyFile.N, keyFile.r, keyFile.p, keyFile.salt, keyFile.wrapped];
  return createHash('sha256').update(fields.join('\n')).digest().subarray(0, 16).toString('base64');
}

const scryptCost = ({ N, r, p }: KdfParams): number => N * r * p;
const scryptMemory = ({ N, r, p }: KdfParams): number => 128 * N * r + 128 * r * p;

function checkKdf(kdf: KdfParams, what: string, code: 'corrupt_data' | 'invalid_input'): void {
  const { N, r, p } = kdf;
  const ok =
    Number.isInteger(N) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    N >= 2 &&
    N <= 2 ** KDF_LIMITS.maxLogN &&
    (N & (N - 1)) === 0 &&
    r >= 1 &&
    r <= KDF_LIMITS.maxR &&
    p >= 1 &&
    p <= KDF_LIMITS.maxP &&
    scryptMemory(kdf) <= KDF_LIMITS.maxMemory &&
    scryptCost(kdf) <= KDF_LIMITS.maxCost;
  if (!ok) throw new FerryError(code, `${what} has unusable scrypt parameters (N=${N}, r=${r}, p=${p}).`);
}

function deriveKey(password: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: scryptMemory(kdf) + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // Async: runs on the libuv pool, so the engine keeps serving while it derives.
    scryptCallback(password.normalize('NFC'), salt, MASTER_KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * A key as raw bytes, or as a KeyObject made once with createSecretKey: given raw bytes,
 * node:crypto builds a KeyObject for every seal and open (~0.3 s per GiB of 1 MiB blobs).
 */
export type CipherKey = Uint8Array | KeyObject;

/**
 * Nonces are cut from random bytes drawn 6 KiB at a time: a randomFillSync per blob
 * cost ~25 µs (0.17 s per GiB copied). Each slice is used once.
 */
const noncePool = Buffer.allocUnsafe(NONCE_LENGTH * 512);
let nonceAt = noncePool.length;

function fillNonce(into: Buffer): void {
  if (nonceAt === noncePool.length) {
    randomFillSync(noncePool);
    nonceAt = 0;
  }
  noncePool.copy(into, 0, nonceAt, nonceAt + NONCE_LENGTH);
  nonceAt += NONCE_LENGTH;
}

/**
 * How much is passed to a cipher at once: `update` returns a new buffer, and a 1 MiB one
 * is fresh memory from the OS (a page fault per 4 KiB) where a small one is reused heap.
 */
const CIPHER_PIECE = 64 * 1024;

/** Runs `input` through `transform` piece by piece into `out` from `at`; returns where it ended. */
function throughPieces(input: Uint8Array, transform: (piece: Uint8Array) => Buffer, out: Buffer, at: number): number {
  for (let from = 0; from < input.length; from += CIPHER_PIECE) {
    const piece = transform(input.subarray(from, from + CIPHER_PIECE));
    at += piece.copy(out, at);
    releaseNow(piece);
  }
  return at;
}

/** A cipher for sealing into `out`, whose first bytes get a fresh nonce. */
function startSeal(key: CipherKey, aad: Uint8Array, out: Buffer): CipherGCM {
  checkKey(key);
  const nonce = out.subarray(0, NONCE_LENGTH);
  fillNonce(nonce);
  return createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_LENGTH }).setAAD(aad);
}

/** Ends a seal whose ciphertext reaches `at` in `out`: the tag follows. */
function endSeal(cipher: CipherGCM, out: Buffer, at: number): Buffer {
  at += cipher.final().copy(out, at); // empty for GCM, kept for correctness
  cipher.getAuthTag().copy(out, at);
  return out;
}

/** A decipher for `sealed` (checked to be long enough), and the ciphertext in it. */
function startOpen(key: CipherKey, sealed: Uint8Array, aad: Uint8Array, what: string): { decipher: DecipherGCM; body: Uint8Array } {
  checkKey(key);
  if (sealed.length < SEAL_OVERHEAD) throw new FerryError('corrupt_data', `${what} is truncated (${sealed.length} bytes).`);
  const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, NONCE_LENGTH), { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad).setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  return { decipher, body: sealed.subarray(NONCE_LENGTH, sealed.length - TAG_LENGTH) };
}

/** Throws FerryError('corrupt_data') unless what the decipher read was authentic. */
function endOpen(decipher: DecipherGCM, what: string): void {
  try {
    decipher.final();
  } catch {
    throw new FerryError('corrupt_data', `${what} failed authentication: it is damaged or was not written with this key.`);
  }
}

/**
 * Encrypts and authenticates `plaintext`, binding `aad` (a blob id, a label). Writes into
 * `out` when given (exactly SEAL_OVERHEAD + plaintext.length bytes: a blob's place in a pack).
 */
export function seal(key: CipherKey, plaintext: Uint8Array, aad: Uint8Array, out: Buffer = Buffer.allocUnsafe(SEAL_OVERHEAD + plaintext.length)): Buffer {
  if (out.length !== SEAL_OVERHEAD + plaintext.length) throw new FerryError('internal', 'The space for a sealed blob has the wrong size.');
  const cipher = startSeal(key, aad, out);
  return endSeal(cipher, out, throughPieces(plaintext, (piece) => cipher.update(piece), out, NONCE_LENGTH));
}

/**
 * The plaintext of `sealed`, or FerryError('corrupt_data') when any byte (nonce, data,
 * tag) or the AAD differs from what was sealed, or the key is not the sealing key.
 * Decrypts into `into` when it is large enough (a caller's reused buffer; see seal) and
 * returns a view of it; nothing is returned before authentication.
 */
export function open(key: CipherKey, sealed: Uint8Array, aad: Uint8Array, what = 'A sealed blob', into?: Buffer): Buffer {
  const { decipher, body } = startOpen(key, sealed, aad, what);
  const out = into && into.length >= body.length ? into.subarray(0, body.length) : Buffer.allocUnsafe(body.length);
  throughPieces(body, (piece) => decipher.update(piece), out, 0);
  endOpen(decipher, what);
  return out;
}

/**
 * `open` under `fromKey` and `seal` under `toKey` in one pass, piece by piece, without
 * the plaintext ever being whole: the re-encryption a copy does. Writes into `out`
 * (exactly sealed.length bytes) before the source is authenticated: on FerryError
 * ('corrupt_data') `out` holds garbage and must be dropped.
 */
export function reseal(fromKey: CipherKey, toKey: CipherKey, sealed: Uint8Array, aad: Uint8Array, out: Buffer, what = 'A sealed blob'): void {
  const { decipher, body } = startOpen(fromKey, sealed, aad, what);
  if (out.length !== sealed.length) throw new FerryError('internal', 'The space for a resealed blob has the wrong size.');
  const cipher = startSeal(toKey, aad, out);
  const at = throughPieces(
    body,
    (piece) => {
      const plaintext = decipher.update(piece);
      const sealedPiece = cipher.update(plaintext);
      releaseNow(plaintext);
      return sealedPiece;
    },
    out,
    NONCE_LENGTH,
  );
  endOpen(decipher, what);
  endSeal(cipher, out, at);
}

function checkKey(key: CipherKey): void {
  const length = key instanceof KeyObject ? key.symmetricKeySize : key.length;
  if (length !== MASTER_KEY_LENGTH) throw new FerryError('internal', `A key must be ${MASTER_KEY_LENGTH} bytes.`);
}

export function createMasterKey(): Buffer {
  return randomBytes(MASTER_KEY_LENGTH);
}

/**
 * What a password derives for a key file (scrypt with the file's salt and parameters): it
 * opens that key file and wraps further keys with no new derivation. Key files wrapped
 * with one PasswordKey share its salt, so they tell that they share a password (as the
 * keys of one restic repository do); nothing else about the password is easier to find.
 */
export interface PasswordKey {
  kdf: KdfParams;
  salt: Buffer;
  derived: Buffer;
}

export async function derivePasswordKey(password: string, kdf: KdfParams = DEFAULT_KDF): Promise<PasswordKey> {
  checkKdf(kdf, 'The requested key file', 'invalid_input');
  const salt = randomBytes(SALT_LENGTH);
  return { kdf, salt, derived: await deriveKey(password, salt, kdf) };
}

/** A master key wrapped with a password key: a key file (a new one for the same data, on a password change). */
export function wrapKey(masterKey: Buffer, { kdf, salt, derived }: PasswordKey): KeyFile {
  const fields = {
    version: KEY_FILE_VERSION,
    kdf: 'scrypt',
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    salt: salt.toString('base64'),
    wrapped: seal(derived, masterKey, KEY_FILE_AAD).toString('base64'),
  } as const;
  return { ...fields, created: new Date().toISOString(), check: keyFileCheck(fields) };
}

export interface NewKey {
  keyFile: KeyFile;
  masterKey: Buffer;
}

/** A new random master key, wrapped with a password key (see PasswordKeys, derivePasswordKey). */
export function createKeyFileWith(passwordKey: PasswordKey): NewKey {
  const masterKey = createMasterKey();
  return { keyFile: wrapKey(masterKey, passwordKey), masterKey };
}

/** A new random master key and its key file (wrapped with `password`). */
export async function createKeyFile(password: string, options: { kdf?: KdfParams } = {}): Promise<NewKey> {
  return createKeyFileWith(await derivePasswordKey(password, options.kdf));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks the shape of a parsed key file (it comes from storage: anything can be in it). */
export function parseKeyFile(value: unknown, name = 'the backup'): KeyFile {
  const damaged = (why: string): FerryError => new FerryError('corrupt_data', `The key file of ${name} is damaged: ${why}.`);
  if (typeof value !== 'object' || value === null) throw damaged('not an object');
  const v = value as Record<string, unknown>;
  if (v.version !== KEY_FILE_VERSION) throw damaged(`unsupported version ${JSON.stringify(v.version)}`);
  if (v.kdf !== 'scrypt') throw damaged(`unknown key derivation ${JSON.stringify(v.kdf)}`);
  for (const field of ['N', 'r', 'p'] as const) {
    if (typeof v[field] !== 'number') throw damaged(`${field} is not a number`);
  }
  for (const field of ['salt', 'wrapped'] as const) {
    const text = v[field];
    if (typeof text !== 'string' || !BASE64.test(text)) throw damaged(`${field} is not base64`);
  }
  if (typeof v.created !== 'string') throw damaged('created is not a string');
  const keyFile = value as KeyFile;
  if (v.check !== undefined && v.check !== keyFileCheck(keyFile)) throw damaged('its fields do not match its check (a byte of it changed)');
  if (Buffer.from(keyFile.salt, 'base64').length < 16) throw damaged('the salt is too short');
  if (Buffer.from(keyFile.wrapped, 'base64').length !== SEAL_OVERHEAD + MASTER_KEY_LENGTH) throw damaged('the wrapped key has the wrong length');
  checkKdf(keyFile, `The key file of ${name}`, 'corrupt_data');
  return keyFile;
}

/** What `password` derives for a (parsed) key file, with its salt and scrypt cost; not yet checked against it. */
export async function passwordKeyFor(keyFile: KeyFile, password: string): Promise<PasswordKey> {
  const salt = Buffer.from(keyFile.salt, 'base64');
  const kdf: KdfParams = { N: keyFile.N, r: keyFile.r, p: keyFile.p };
  return { kdf, salt, derived: await deriveKey(password, salt, kdf) };
}

/** The master key of a (parsed) key file, opened with what a password derived for it, or FerryError('wrong_password'). */
export function openKeyFileWith(keyFile: KeyFile, passwordKey: PasswordKey, name = 'the backup'): Buffer {
  try {
    return open(passwordKey.derived, Buffer.from(keyFile.wrapped, 'base64'), KEY_FILE_AAD);
  } catch {
    // GCM cannot tell a wrong password from a damaged key file. A key file with its check
    // (parseKeyFile compared it) is as written: the password is wrong. An older one
    // without may also be damaged; PasswordKeys tells when the same password opened
    // another key file of the same salt.
    throw new FerryError('wrong_password', `The password is wrong for ${name}${keyFile.check === undefined ? ' (or its key file, which has no check, is damaged)' : ''}.`);
  }
}

/** The scrypt cost of a key file wrapped anew (a password change): its own, unless below today's default, then the default. */
export function rewrapCost(keyFile: KeyFile): KdfParams {
  const old: KdfParams = { N: keyFile.N, r: keyFile.r, p: keyFile.p };
  return scryptCost(old) >= scryptCost(DEFAULT_KDF) ? old : DEFAULT_KDF;
}
