import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, lstat, open as openFile, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import { KEYCHAIN_KEY_FILE, PLAIN_KEY_FILE, parseHexKey, SECRETS_FILE } from '../../shared/security/secret-files.ts';
import { SerialQueue } from '../../shared/util/serial.ts';
import { MASTER_KEY_LENGTH, open, seal } from '../format/crypto.ts';
import { tempPathFor, writeFileAtomically } from '../storage/atomic-write.ts';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';

/** Where the engine keeps secrets it must use itself (S3 keys, backup passwords of jobs). */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** The key of the secrets file and where it came from (named in errors). */
export interface SecretKey {
  readonly key: Buffer;
  readonly source: string;
}

const LEGACY_AAD = Buffer.from('ferry/secrets/v1', 'utf8');
/** "FRYSEC02", then the 16-byte key id, then the sealed JSON (AAD: label + key id). */
const MAGIC = Buffer.from('FRYSEC02', 'ascii');
const KEY_ID_LENGTH = 16;

/** A fingerprint of a key that reveals nothing of it: it tells a wrong key from damage. */
export function secretKeyId(key: Uint8Array): Buffer {
  return createHmac('sha256', key).update('ferry/secrets/key-id').digest().subarray(0, KEY_ID_LENGTH);
}

/**
 * All secrets in one file, sealed (AES-256-GCM) as a whole, never in the catalog. The
 * file records the id of its key, so a wrong key is reported as such and not as damage.
 * The key comes from the host (docs/architecture.md, "Secrets"): headlessSecretKey for
 * `serve` and the CLI, main through the utility process in the desktop app.
 */
export class SealedFileSecretStore implements SecretStore {
  private readonly file: string;
  private readonly key: () => Promise<SecretKey>;
  private readonly queue = new SerialQueue();

  constructor(file: string, key: () => Promise<SecretKey>) {
    this.file = file;
    this.key = key;
  }

  get(name: string): Promise<string | undefined> {
    return this.queue.run(async () => (await this.read()).get(name));
  }

  set(name: string, value: string): Promise<void> {
    return this.queue.run(async () => {
      const secrets = await this.read();
      secrets.set(name, value);
      await this.write(secrets);
    });
  }

  delete(name: string): Promise<void> {
    return this.queue.run(async () => {
      const secrets = await this.read();
      if (secrets.delete(name)) await this.write(secrets);
    });
  }

  private async read(): Promise<Map<string, string>> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const { key, source } = await this.key();
    let plain: Buffer;
    if (sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
      const recorded = sealed.subarray(MAGIC.length, MAGIC.length + KEY_ID_LENGTH);
      const ours = secretKeyId(key);
      if (recorded.length !== KEY_ID_LENGTH || !timingSafeEqual(recorded, ours)) {
        throw new FerryError(
          'wrong_password',
          `The secrets file ${this.file} was sealed with another key (key id ${recorded.toString('hex')}) than the one from ${source} (key id ${ours.toString('hex')}). Use the key it was made with (docs/architecture.md, "Secrets"); nothing was changed.`,
          { file: this.file, keyId: recorded.toString('hex'), givenKeyId: ours.toString('hex') },
        );
      }
      plain = this.openOrDamaged(() => open(key, sealed.subarray(MAGIC.length + KEY_ID_LENGTH), aadFor(ours), this.file), 'is damaged');
    } else {
      // Written before key ids: a wrong key and damage cannot be told apart.
      plain = this.openOrDamaged(
        () => open(key, sealed, LEGACY_AAD, this.file),
        `cannot be opened with the key from ${source}: it records no key id, so either that is not its key or the file is damaged`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(plain.toString('utf8'));
    } catch {
      throw new FerryError('corrupt_data', `The secrets file ${this.file} is damaged (its content is not readable).`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new FerryError('corrupt_data', `The secrets file ${this.file} is damaged (its content is not readable).`);
    }
    return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  private openOrDamaged(opener: () => Buffer, what: string): Buffer {
    try {
      return opener();
    } catch (error) {
      throw new FerryError(
        'corrupt_data',
        `The secrets file ${this.file} ${what} (${(error as Error).message}). Restore it from a backup of the data folder, or move it away and enter the S3 keys and job passwords again.`,
      );
    }
  }

  private async write(secrets: Map<string, string>): Promise<void> {
    const { key } = await this.key();
    const id = secretKeyId(key);
    const plain = Buffer.from(JSON.stringify(Object.fromEntries(secrets)), 'utf8');
    await writeFileAtomically(this.file, Buffer.concat([MAGIC, id, seal(key, plain, aadFor(id))]), { mode: PRIVATE_FILE_MODE });
  }
}

function aadFor(keyId: Buffer): Buffer {
  return Buffer.concat([Buffer.from('ferry/secrets/v2', 'utf8'), keyId]);
}

/**
 * Creates `file` with `data` only if it does not exist (written whole and synced first,
 * then linked into place): of two processes making a key at once, one wins and the
 * other reads the winner's. False when the file already existed.
 */
export async function createFileExclusively(file: string, data: Uint8Array, mode: number): Promise<boolean> {
  const temp = tempPathFor(file);
  const handle = await openFile(temp, 'wx', mode);
  try {
    await handle.chmod(mode); // whatever the umask
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** True unless `file` certainly does not exist (any other error counts as there). */
async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * The headless hosts' key (`serve`, the CLI): FERRY_SECRET_KEY, else `secret.key` in the
 * data folder, else a new one there (0600) — but never a new key beside an existing
 * secrets file (its secrets would all become unreadable) nor beside the desktop app's
 * keychain-sealed key: both fail saying why and what to do. Only a found key is kept.
 */
export function headlessSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): () => Promise<SecretKey> {
  let found: SecretKey | undefined;
  const plainFile = path.join(dataDir, PLAIN_KEY_FILE);
  const parse = (text: string, source: string): SecretKey => {
    const key = parseHexKey(text);
    if (!key) throw new FerryError('invalid_input', `${source} is not a valid key: 64 hexadecimal digits expected.`);
    return { key: Buffer.from(key), source };
  };
  const resolve = async (): Promise<SecretKey> => {
    const fromEnv = env['FERRY_SECRET_KEY'];
    if (fromEnv) return parse(fromEnv, 'FERRY_SECRET_KEY');
    for (;;) {
      try {
        return parse(await readFile(plainFile, 'utf8'), plainFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      const keychainFile = path.join(dataDir, KEYCHAIN_KEY_FILE);
      if (await exists(keychainFile)) {
        throw new FerryError(
          'not_found',
          `The key of the secrets in ${dataDir} is kept by the Ferry desktop app with the OS keychain (${keychainFile}), which this process cannot open. To use them here, start the desktop app once with --export-secret-key --data-dir "${dataDir}" (it writes ${plainFile}, readable only by you), or set FERRY_SECRET_KEY.`,
        );
      }
      const secretsFile = path.join(dataDir, SECRETS_FILE);
      if (await exists(secretsFile)) {
        throw new FerryError(
          'not_found',
          `The secrets file ${secretsFile} exists but its key ${plainFile} is missing, and a new key would leave every stored secret unreadable. Put the key back (from a backup of the data folder) or set FERRY_SECRET_KEY; to start afresh instead, move ${secretsFile} away and enter the S3 keys and job passwords again.`,
        );
      }
      const key = randomBytes(MASTER_KEY_LENGTH);
      // Lost a race with another process: loop to read its key.
      if (await createFileExclusively(plainFile, Buffer.from(key.toString('hex')), PRIVATE_FILE_MODE)) return { key, source: plainFile };
    }
  };
  return async () => (found ??= await resolve());
}
