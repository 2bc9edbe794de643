import { randomUUID } from 'node:crypto';
import { FerryError } from '../../shared/rpc/errors.ts';
import { createKeyFile, createKeyFileWith, derivePasswordKey, type KdfParams, type NewKey, parseKeyFile, type PasswordKey, rewrapCost, wrapKey } from '../format/crypto.ts';
import { mapBounded } from '../storage/bounded.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { StoreError } from '../storage/object-store.ts';
import { BackupStore, type NewBackupSettings, readBackupConfig } from './backup-store.ts';
import { PasswordKeys } from './password-keys.ts';
import { BACKUP_CONFIG, REPOSITORY_LOCKS, REPOSITORY_MARKER, safeFolderName, uniqueFolderName } from './layout.ts';
import { acquireLock } from './locks.ts';
import { type BackupConfig, type RepositoryMarker, repositoryMarker } from './schemas.ts';

/** Backup configs read at once when listing a repository's backups. */
const CONFIG_READS = 8;

export interface CreateBackupOptions extends Omit<NewBackupSettings, 'key'> {
  /** Encrypts the backup when given: in an encrypted repository, the repository's password. */
  password?: string;
  /** The key, made beforehand with newBackupKey(password) (to derive it beside other work). */
  key?: NewKey;
  /** scrypt cost of a new key in an unencrypted repository (an encrypted one's follows its key file). */
  kdf?: KdfParams;
}

/** Tries at the repository's lock: its holders keep it for a few store round trips, so takers wait (~10 s at most) rather than fail. */
const REPOSITORY_LOCK_ATTEMPTS = 12;

/**
 * Runs `work` holding the repository's lock, so what runs share (the marker, a new
 * backup's folder and config, the key files at a password change) is created by one
 * run at a time. It is taken as backups' locks are (write, then list: locks.ts), which
 * works alike on a folder and on S3 and needs no conditional write (s3rver ignores them).
 */
async function withRepositoryLock<T>(store: ObjectStore, purpose: string, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(store, REPOSITORY_LOCKS, 'exclusive', {
    purpose,
    attempts: REPOSITORY_LOCK_ATTEMPTS,
    subject: `The repository at ${store.location}`,
  });
  try {
    return await work();
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** A repository: a marker at its root and one folder per backup. */
export class Repository {
  readonly store: ObjectStore;
  readonly marker: RepositoryMarker;
  /** What passwords derive for its key files (the repository's and its backups'), each a scrypt derivation made once. */
  private readonly keys: PasswordKeys;

  private constructor(store: ObjectStore, marker: RepositoryMarker, keys = new PasswordKeys()) {
    this.store = store;
    this.marker = marker;
    this.keys = keys;
  }

  get encrypted(): boolean {
    return this.marker.encryption !== null;
  }

  /** `keys`: derivations to share with other openings (the engine keeps one for all its runs). */
  static async init(store: ObjectStore, options: { password?: string; kdf?: KdfParams; keys?: PasswordKeys } = {}): Promise<Repository> {
    const already = () => new FerryError('conflict', `${store.location} is already a Ferry repository.`);
    if (await store.stat(REPOSITORY_MARKER)) throw already();
    // The key is derived before the lock: others would wait the ~0.1 s for nothing.
    const encryption =
      options.password === undefined
        ? null
        : { key: (await createKeyFile(options.password, options.kdf ? { kdf: options.kdf } : {})).keyFile };
    const marker: RepositoryMarker = {
      format: 'ferry-repository',
      version: 1,
      id: randomUUID(),
      created: new Date().toISOString(),
      encryption,
    };
    // Two inits at once: the second finds the first's marker instead of replacing its key.
    return withRepositoryLock(store, 'creating the repository', async () => {
      if (await store.stat(REPOSITORY_MARKER)) throw already();
      await store.put(REPOSITORY_MARKER, Buffer.from(JSON.stringify(marker, null, 2)));
      return new Repository(store, marker, options.keys);
    });
  }

  /**
   * Opens the repository, making it first where there is none (a registered folder is
   * ours). Another run making it at the same time is not an error: its marker is opened.
   */
  static async openOrInit(store: ObjectStore, keys?: PasswordKeys): Promise<Repository> {
    const isCode = (error: unknown, code: string) => error instanceof FerryError && error.code === code;
    try {
      return await Repository.open(store, keys);
    } catch (error) {
      if (!isCode(error, 'not_found')) throw error;
    }
    try {
      return await Repository.init(store, keys ? { keys } : {});
    } catch (error) {
      if (!isCode(error, 'conflict')) throw error;
      return Repository.open(store, keys);
    }
  }

  static async open(store: ObjectStore, keys?: PasswordKeys): Promise<Repository> {
    let raw: unknown;
    try {
      raw = JSON.parse((await store.get(REPOSITORY_MARKER)).toString('utf8'));
    } catch (error) {
      if (error instanceof StoreError && error.kind === 'not_found') {
        throw new FerryError('not_found', `${store.location} is not a Ferry repository (no ${REPOSITORY_MARKER}). Create one with: ferry repo init ${store.location}`);
      }
      if (error instanceof SyntaxError) throw new FerryError('corrupt_data', `The marker of the repository at ${store.location} is damaged.`);
      throw error;
    }
    const parsed = repositoryMarker.safeParse(raw);
    if (!parsed.success) {
      throw new FerryError('corrupt_data', `${store.location} holds a repository marker this Ferry does not understand (format version 1 expected).`);
    }
    return new Repository(store, parsed.data, keys);
  }

  /** Checks the password of an encrypted repository before anything is written. */
  async checkPassword(password: string | undefined): Promise<void> {
    if (!this.marker.encryption) return;
    if (password === undefined) throw new FerryError('wrong_password', `The repository at ${this.store.location} is encrypted: a password is needed.`);
    await this.passwordKey(this.marker.encryption.key, password);
  }

  private async passwordKey(key: unknown, password: string): Promise<PasswordKey> {
    return (await this.keys.unlock(parseKeyFile(key, this.store.location), password, this.store.location)).passwordKey;
  }

  /**
   * The key of a new backup, wrapped with `password`. In an encrypted repository the
   * password must be the repository's, and the key is wrapped with what it derives for
   * the repository's key file: a new backup costs no scrypt derivation of its own.
   */
  async newBackupKey(password: string, kdf?: KdfParams): Promise<NewKey> {
    if (!this.marker.encryption) return createKeyFile(password, kdf ? { kdf } : {});
    return createKeyFileWith(await this.passwordKey(this.marker.encryption.key, password));
  }

  /**
   * Changes the password of an encrypted repository and of every backup in it: each key
   * file is rewrapped, no data is re-encrypted. All key files are opened with the old
   * password before the first is rewritten, so a wrong password changes nothing. They are
   * all wrapped with one new password key, as new backups are (see newBackupKey).
   */
  async changePassword(oldPassword: string, newPassword: string, options: { kdf?: KdfParams } = {}): Promise<number> {
    if (!this.marker.encryption) throw new FerryError('invalid_input', `The repository at ${this.store.location} is not encrypted.`);
    // Under the lock backups are created with: one made meanwhile would keep the old password.
    return withRepositoryLock(this.store, 'changing the password', () => this.rewrapAll(this.marker.encryption!.key, oldPassword, newPassword, options));
  }

  private async rewrapAll(markerKeyFile: unknown, oldPassword: string, newPassword: string, options: { kdf?: KdfParams }): Promise<number> {
    const markerKey = parseKeyFile(markerKeyFile, this.store.location);
    const { masterKey } = await this.keys.unlock(markerKey, oldPassword, this.store.location);
    const backups: { folder: string; config: Record<string, unknown> & { encryption: { key: unknown } }; masterKey: Buffer }[] = [];
    for (const folder of await this.listBackupFolders()) {
      const config = JSON.parse((await this.store.get(`${folder}/${BACKUP_CONFIG}`)).toString('utf8'));
      if (!config.encryption) continue;
      const where = `${this.store.location}/${folder}`;
      backups.push({ folder, config, masterKey: (await this.keys.unlock(parseKeyFile(config.encryption.key, where), oldPassword, where)).masterKey });
    }
    const newKey = await derivePasswordKey(newPassword, options.kdf ?? rewrapCost(markerKey));
    for (const { folder, config, masterKey: backupKey } of backups) {
      config.encryption = { ...config.encryption, key: wrapKey(backupKey, newKey) };
      await this.store.put(`${folder}/${BACKUP_CONFIG}`, Buffer.from(JSON.stringify(config, null, 2)));
    }
    const marker: RepositoryMarker = { ...this.marker, encryption: { key: wrapKey(masterKey, newKey) } };
    await this.store.put(REPOSITORY_MARKER, Buffer.from(JSON.stringify(marker, null, 2)));
    return backups.length;
  }

  /** The backup folders found in the repository (a folder copied in by hand included). */
  async listBackupFolders(): Promise<string[]> {
    const folders = await this.store.folders('');
    const found = await Promise.all(folders.map(async (folder) => ((await this.store.stat(`${folder}/${BACKUP_CONFIG}`)) ? folder : undefined)));
    return found.filter((folder) => folder !== undefined).sort();
  }

  /**
   * The backups with their configs, each backup.json read once (a few at once: on S3, a
   * round trip each). A folder without one is not a backup; one whose config is damaged
   * is left out as unreadable. Other failures (the store gone) are thrown.
   */
  async listBackups(): Promise<{ folder: string; config: BackupConfig }[]> {
    const folders = (await this.store.folders('')).sort();
    const found = await mapBounded(folders, CONFIG_READS, async (folder) => {
      try {
        return { folder, config: await this.readBackupConfig(folder) };
      } catch (error) {
        if (error instanceof FerryError && (error.code === 'not_found' || error.code === 'corrupt_data')) return undefined;
        throw error;
      }
    });
    return found.filter((backup) => backup !== undefined);
  }

  /** `index: false`: for its points alone (see BackupStore.open). */
  async openBackup(folder: string, password?: string, options: { index?: boolean } = {}): Promise<BackupStore> {
    return BackupStore.open(this.store, folder, password, { ...options, keys: this.keys });
  }

  /**
   * Opens the backup a job writes to, creating it on first use. In an encrypted
   * repository new backups are encrypted with the same password. An existing one's index
   * is not read here: the job reads it under the backup's write lock (refreshIndex).
   */
  async openOrCreateBackup(
    name: string,
    options: Omit<CreateBackupOptions, 'name'>,
  ): Promise<BackupStore> {
    const find = () => this.findBackup(name, options.kind);
    const folder = await find();
    if (folder !== undefined) return this.openBackup(folder, options.password, { index: false });
    return this.createBackup(name, find, options);
  }

  /** The folder of the backup named `name` of this kind, if there is one. */
  private async findBackup(name: string, kind: BackupConfig['kind']): Promise<string | undefined> {
    const base = safeFolderName(name);
    // Different names can fold to one folder name ("A B", "A_B"): the config says whose it is.
    for (const folder of (await this.listBackupFolders()).filter((f) => f === base || f.startsWith(`${base}-`))) {
      const config = await this.readBackupConfig(folder);
      if (config.name === name && config.kind === kind) return folder;
    }
    return undefined;
  }

  /**
   * A new backup in a folder named after `name` (encrypted in an encrypted repository),
   * unless `find`, asked again under the repository's lock, finds the one another run made
   * meanwhile. Either way the backup is then opened from what is stored: a run writes with
   * the key that is committed, never with one it made that another run's replaced.
   */
  async createBackup(name: string, find: () => Promise<string | undefined>, options: Omit<CreateBackupOptions, 'name'>): Promise<BackupStore> {
    const { password, kdf, key: made, ...settings } = options;
    await this.checkPassword(password);
    const key = made ?? (password === undefined ? undefined : await this.newBackupKey(password, kdf));
    const { folder, created } = await withRepositoryLock(this.store, `creating the backup "${name}"`, async () => {
      const existing = await find();
      if (existing !== undefined) return { folder: existing, created: false };
      await this.checkMarkerUnchanged();
      const folder = uniqueFolderName(safeFolderName(name), await this.listBackupFolders());
      await BackupStore.create(this.store, folder, { ...settings, name, ...(key ? { key } : {}) });
      return { folder, created: true };
    });
    // A backup just made has an empty index, read at once; another run's is read by the job, under its lock.
    return BackupStore.open(this.store, folder, password, { keys: this.keys, index: created, ...(key ? { made: key } : {}) });
  }

  /**
   * Under the repository's lock, before a backup is made with a key derived from the marker
   * this opening read: the stored marker is still that one. A password changed meanwhile
   * would leave the new backup on the old password.
   */
  private async checkMarkerUnchanged(): Promise<void> {
    const stored = (await Repository.open(this.store)).marker;
    if (stored.id !== this.marker.id || JSON.stringify(stored.encryption) !== JSON.stringify(this.marker.encryption)) {
      throw new FerryError('conflict', `The repository at ${this.store.location} was changed (its password or its marker) after this run opened it: nothing was made. Run it again.`);
    }
  }

  /** A backup's config, read without its password (to find a job's backup among the folders). */
  readBackupConfig(folder: string): Promise<BackupConfig> {
    return readBackupConfig(this.store, folder);
  }
}
