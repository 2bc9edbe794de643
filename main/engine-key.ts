import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { KEYCHAIN_KEY_FILE, parseHexKey, PLAIN_KEY_FILE, SECRETS_FILE } from '../shared/security/secret-files.ts';
import type { Keychain } from './keychain.ts';
import type { Logger } from './log.ts';

/**
 * The desktop app's side of the one key strategy (docs/architecture.md, "Secrets"): the
 * key of the engine's secrets file lives in the data folder beside that file, sealed
 * with the OS keychain (`secret.key.safe`), or plain and private (`secret.key`) when
 * `ferry serve` made it or no keychain exists. Main finds or makes it and hands it to
 * the utility process; the page never sees it.
 */
export interface EngineKeyOptions {
  readonly dataDir: string;
  /** userData/secrets.json of earlier versions, which kept the key under LEGACY_ENTRY. */
  readonly legacyStore: string;
  readonly keychain: Keychain;
  readonly log: Logger;
}

export interface EngineKey {
  /** 64 hex digits. */
  readonly key: string;
  /** Where it came from, named in the engine's errors. */
  readonly source: string;
}

const LEGACY_ENTRY = 'engine/secrets-file-key';

/**
 * The key, in this order: `secret.key.safe` (opened with the keychain), `secret.key`,
 * the key an earlier version kept in userData (moved beside the secrets), else a new one
 * — but never a new one beside an existing secrets file. Throws an Error saying why and
 * what to do when there is no usable key.
 */
export async function engineSecretKey(options: EngineKeyOptions): Promise<EngineKey> {
  const { dataDir, keychain } = options;
  const keychainFile = path.join(dataDir, KEYCHAIN_KEY_FILE);
  const plainFile = path.join(dataDir, PLAIN_KEY_FILE);
  const sealed = await readIfExists(keychainFile);
  if (sealed) return { key: await openWithKeychain(sealed, keychainFile, keychain), source: `the OS keychain (${keychainFile})` };
  const plain = await readIfExists(plainFile);
  if (plain) return { key: checkedKey(plain.toString('utf8'), plainFile), source: plainFile };

  const legacy = await legacyKey(options.legacyStore);
  if (legacy) {
    const key = await openWithKeychain(legacy, options.legacyStore, keychain);
    await createExclusively(keychainFile, legacy);
    await rm(options.legacyStore, { force: true });
    options.log.info(`secrets: moved the key of the engine's secrets from ${options.legacyStore} to ${keychainFile}`);
    return { key, source: `the OS keychain (${keychainFile})` };
  }

  const secretsFile = path.join(dataDir, SECRETS_FILE);
  if ((await readIfExists(secretsFile)) !== undefined) {
    throw new Error(
      `the secrets file ${secretsFile} exists but its key (${keychainFile} or ${plainFile}) is missing, and a new key would leave every stored secret unreadable. Put the key file back (from a backup of the data folder) and restart Ferry; to start afresh instead, move ${secretsFile} away and enter the S3 keys and job passwords again.`,
    );
  }
  const key = randomBytes(32).toString('hex');
  const unavailable = await keychain.unavailableReason();
  if (unavailable === undefined) {
    if (await createExclusively(keychainFile, await keychain.encrypt(key))) return { key, source: `the OS keychain (${keychainFile})` };
  } else {
    options.log.warn(
      `secrets: ${unavailable}, so the key of the engine's secrets is kept in ${plainFile}, readable only by you, as \`ferry serve\` keeps it. Start a keyring (GNOME Keyring or KWallet) before Ferry to have it sealed with the OS keychain instead.`,
    );
    if (await createExclusively(plainFile, Buffer.from(key), 0o600)) return { key, source: plainFile };
  }
  // Another process made the key meanwhile: use that one.
  return engineSecretKey(options);
}

/**
 * `--export-secret-key`: writes the key as `secret.key` (0600) beside the secrets, so
 * `ferry serve` and the CLI on this data folder read the same secrets. Returns its path.
 */
export async function exportPlainKey(options: EngineKeyOptions): Promise<string> {
  const { key } = await engineSecretKey(options);
  const plainFile = path.join(options.dataDir, PLAIN_KEY_FILE);
  if (await createExclusively(plainFile, Buffer.from(key), 0o600)) return plainFile;
  const existing = parseHexKey((await readFile(plainFile)).toString('utf8'));
  if (existing && Buffer.from(existing).toString('hex') === key.toLowerCase()) return plainFile;
  throw new Error(`${plainFile} already holds another key; move it away first (check which key the secrets file was sealed with).`);
}

async function openWithKeychain(sealed: Buffer, file: string, keychain: Keychain): Promise<string> {
  const unavailable = await keychain.unavailableReason();
  if (unavailable !== undefined) {
    throw new Error(`the key of the engine's secrets in ${file} is sealed with the OS keychain, but ${unavailable}. Start it and restart Ferry.`);
  }
  let text: string;
  try {
    text = await keychain.decrypt(sealed);
  } catch (error) {
    throw new Error(
      `${file} cannot be opened with this user's OS keychain (${(error as Error).message}): was the data folder made by another user or on another machine? Use Ferry there, or put back that machine's ${PLAIN_KEY_FILE}.`,
      { cause: error },
    );
  }
  return checkedKey(text, file);
}

function checkedKey(text: string, file: string): string {
  const key = parseHexKey(text);
  if (!key) throw new Error(`${file} does not hold a valid key (64 hexadecimal digits).`);
  return Buffer.from(key).toString('hex');
}

/** The keychain-sealed key an earlier version kept in userData/secrets.json, if any. */
async function legacyKey(file: string): Promise<Buffer | undefined> {
  const text = await readIfExists(file);
  if (!text) return undefined;
  try {
    const value = (JSON.parse(text.toString('utf8')) as { secrets?: Record<string, unknown> }).secrets?.[LEGACY_ENTRY];
    return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
  } catch {
    throw new Error(`${file} (where an earlier Ferry kept the key of the engine's secrets) is damaged; restore it from a backup.`);
  }
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `file` with `data` (synced: the secrets it unlocks outlive a crash), only if
 * absent; false when it existed. Written whole to a temporary file and linked into place,
 * so a crash never leaves a cut key that would block every start. (The engine has the
 * same helper; main may not import it.)
 */
async function createExclusively(file: string, data: Uint8Array, mode = 0o600): Promise<boolean> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const handle: FileHandle = await open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode); // whatever the umask
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
