import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import { SerialQueue } from '../../shared/util/serial.ts';
import { MASTER_KEY_LENGTH, open, seal } from '../format/crypto.ts';
import { writeFileAtomically } from '../storage/atomic-write.ts';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';

/** Where the engine keeps secrets it must use itself (S3 keys, backup passwords of jobs). */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

const AAD = Buffer.from('ferry/secrets/v1', 'utf8');

/**
 * All secrets in one file, sealed (AES-256-GCM) as a whole, never in the catalog. The
 * key comes from the host: in the desktop app from the OS keychain through main; for
 * `serve` and the CLI from FERRY_SECRET_KEY (64 hex digits) or a key file beside the
 * data readable only by its owner — which protects copies of the catalog and of the
 * secrets file, not an attacker who can read the whole data folder as that user.
 */
export class SealedFileSecretStore implements SecretStore {
  private readonly file: string;
  private readonly key: () => Promise<Buffer>;
  private readonly queue = new SerialQueue();

  constructor(file: string, key: () => Promise<Buffer>) {
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(open(await this.key(), sealed, AAD, `The secrets file ${this.file}`).toString('utf8'));
    } catch (error) {
      throw new FerryError(
        'corrupt_data',
        `The secrets file ${this.file} cannot be opened with this engine's key (${(error as Error).message}). Enter the secrets again after moving the file away.`,
      );
    }
    return new Map(Object.entries(parsed as Record<string, string>).filter(([, v]) => typeof v === 'string'));
  }

  private async write(secrets: Map<string, string>): Promise<void> {
    const plain = Buffer.from(JSON.stringify(Object.fromEntries(secrets)), 'utf8');
    await writeFileAtomically(this.file, seal(await this.key(), plain, AAD), { mode: PRIVATE_FILE_MODE });
  }
}

/** The headless hosts' key: FERRY_SECRET_KEY, else `secret.key` in the data folder (created 0600). */
export function headlessSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  return () => {
    cached ??= (async () => {
      const fromEnv = env['FERRY_SECRET_KEY'];
      if (fromEnv) {
        if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new FerryError('invalid_input', 'FERRY_SECRET_KEY must be 64 hexadecimal digits.');
        return Buffer.from(fromEnv, 'hex');
      }
      const file = path.join(dataDir, 'secret.key');
      try {
        const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
        if (key.length === MASTER_KEY_LENGTH) return key;
        throw new FerryError('corrupt_data', `${file} is not a valid key (64 hexadecimal digits expected).`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      const key = randomBytes(MASTER_KEY_LENGTH);
      await writeFileAtomically(file, Buffer.from(key.toString('hex')), { mode: PRIVATE_FILE_MODE });
      return key;
    })();
    return cached;
  };
}
