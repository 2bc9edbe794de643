import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../shared/rpc/errors.ts';
import { SerialQueue } from '../shared/util/serial.ts';

/**
 * Encryption with the OS keychain (Electron's safeStorage in the app; a fake in tests).
 * Nothing is ever stored unencrypted: when no keychain is usable, secrets are refused.
 */
export interface SecretCipher {
  /** undefined when encryption is usable; else a sentence for the user saying why not. */
  unavailableReason(): Promise<string | undefined>;
  encrypt(plainText: string): Promise<Buffer>;
  /** `reEncrypt`: the keychain rotated its key; store the value encrypted again. */
  decrypt(data: Buffer): Promise<{ value: string; reEncrypt: boolean }>;
}

interface SecretsFileV1 {
  version: 1;
  /** key → base64 of the encrypted value */
  secrets: Record<string, string>;
}

const FILE_VERSION = 1;

/**
 * Secrets in `secrets.json` (userData), each value encrypted with the OS keychain and
 * stored as base64. Every change rewrites the file atomically (temp file, fsync,
 * rename) and changes run one at a time.
 */
export class SecretStore {
  private readonly file: string;
  private readonly cipher: SecretCipher;
  private readonly queue = new SerialQueue();

  constructor(file: string, cipher: SecretCipher) {
    this.file = file;
    this.cipher = cipher;
  }

  get path(): string {
    return this.file;
  }

  set(key: string, value: string): Promise<void> {
    return this.queue.run(async () => {
      await this.requireCipher();
      const secrets = await this.read();
      const encrypted = await this.cipher.encrypt(value);
      secrets.set(key, encrypted.toString('base64'));
      await this.write(secrets);
    });
  }

  get(key: string): Promise<string | null> {
    return this.queue.run(async () => {
      const secrets = await this.read();
      const stored = secrets.get(key);
      if (stored === undefined) return null;
      await this.requireCipher();
      let decrypted: { value: string; reEncrypt: boolean };
      try {
        decrypted = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
      } catch (error) {
        throw new FerryError(
          'corrupt_data',
          `The secret "${key}" cannot be decrypted with this user's keychain (was it stored by another user or machine?). Set it again.`,
          { cause: error instanceof Error ? error.message : String(error) },
        );
      }
      if (decrypted.reEncrypt) {
        const again = await this.cipher.encrypt(decrypted.value);
        secrets.set(key, again.toString('base64'));
        await this.write(secrets);
      }
      return decrypted.value;
    });
  }

  delete(key: string): Promise<void> {
    return this.queue.run(async () => {
      const secrets = await this.read();
      if (!secrets.delete(key)) return;
      await this.write(secrets);
    });
  }

  private async requireCipher(): Promise<void> {
    const reason = await this.cipher.unavailableReason();
    if (reason !== undefined) throw new FerryError('internal', reason);
  }

  private async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const damaged = () =>
      new FerryError('corrupt_data', `The secrets file ${this.file} is damaged; move it away to start afresh.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw damaged();
    }
    if (typeof parsed !== 'object' || parsed === null) throw damaged();
    const { version, secrets } = parsed as { version?: unknown; secrets?: unknown };
    if (typeof version === 'number' && version > FILE_VERSION) {
      throw new FerryError('conflict', `The secrets file ${this.file} was written by a newer Ferry.`);
    }
    if (version !== FILE_VERSION || typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
      throw damaged();
    }
    const map = new Map<string, string>();
    for (const [key, value] of Object.entries(secrets)) {
      if (typeof value !== 'string') throw damaged();
      map.set(key, value);
    }
    return map;
  }

  private async write(secrets: Map<string, string>): Promise<void> {
    // Object.fromEntries defines own properties: a key like "__proto__" stays data.
    const content: SecretsFileV1 = { version: FILE_VERSION, secrets: Object.fromEntries(secrets) };
    const dir = path.dirname(this.file);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}
