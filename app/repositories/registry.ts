import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { makePrivateFolder } from '../config/private-data-dir.ts';
import { FerryError, fieldError } from '../../shared/rpc/errors.ts';
import {
  type CheckedLocationInput,
  describeLocation,
  repositoryLocation,
  type Repository,
  type RepositoryLocation,
} from '../../shared/domain/repository.ts';
import { SerialQueue } from '../../shared/util/serial.ts';
import { withTimeout } from '../../shared/util/timeout.ts';
import { PasswordKeys } from '../repository/password-keys.ts';
import { Repository as RepositoryFormat } from '../repository/repository.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { S3Store } from '../storage/s3-store.ts';
import { prepareWritableFolder, probeFolder, resolveRealPath } from './local-folder.ts';
import { isSameOrInside, normaliseUserPath } from './paths.ts';
import { openStore, s3SecretName, splitLocationInput } from './stores.ts';

interface Row {
  id: string;
  name: string;
  location: string;
  is_default: number;
  created_at: string;
}

/** A repository as it was when removed: adding its place again gives its id back. */
interface RemovedRow {
  id: string;
  location: string;
  marker_id: string | null;
  is_default: number;
}

type Registered = Omit<Repository, 'status' | 'statusMessage' | 'space' | 'usedBytes' | 'backupCount'>;

export const DEFAULT_REPOSITORY_NAME = 'Default repository';

/** How long storage may take to answer before it counts as unreachable (hung NAS mounts, dead endpoints). */
const STORAGE_TIMEOUT_MS = 15_000;
const noAnswer = (where: string) =>
  `${where} did not answer within ${STORAGE_TIMEOUT_MS / 1000} s. Is the network share, drive or server reachable?`;

function fromRow(row: Row): Registered {
  return {
    id: row.id,
    name: row.name,
    location: repositoryLocation.parse(JSON.parse(row.location)),
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  };
}

const trimmedPrefix = (prefix: string) => prefix.replace(/^\/+|\/+$/g, '');

/** Whether two locations are the same place (folders by their real paths, so an alias counts). */
async function samePlace(a: RepositoryLocation, b: RepositoryLocation): Promise<boolean> {
  if (a.kind === 'local' && b.kind === 'local') return (await resolveRealPath(a.path)) === (await resolveRealPath(b.path));
  if (a.kind === 's3' && b.kind === 's3') return a.endpoint === b.endpoint && a.bucket === b.bucket && trimmedPrefix(a.prefix) === trimmedPrefix(b.prefix);
  return false;
}

function sameS3Place(a: Extract<RepositoryLocation, { kind: 's3' }>, b: Extract<RepositoryLocation, { kind: 's3' }>): boolean {
  const prefix = (p: string) => `${trimmedPrefix(p)}/`;
  const [pa, pb] = [prefix(a.prefix), prefix(b.prefix)];
  return a.endpoint === b.endpoint && a.bucket === b.bucket && (pa.startsWith(pb) || pb.startsWith(pa) || pa === '/' || pb === '/');
}

/** The repositories the catalog knows, the checks that keep them apart, and their stores. */
export class RepositoryRegistry {
  private readonly catalog: Catalog;
  private readonly secrets: SecretStore;
  private readonly writes = new SerialQueue();
  private readonly changed: () => void;
  private readonly stores = new Map<string, ObjectStore>();
  /** What passwords derived for the repositories' key files: a job's next run derives nothing again. */
  private readonly passwordKeys = new PasswordKeys();

  constructor(catalog: Catalog, secrets: SecretStore, changed: () => void) {
    this.catalog = catalog;
    this.secrets = secrets;
    this.changed = changed;
  }

  registered(): Registered[] {
    const rows = this.catalog.db
      .prepare('SELECT * FROM repositories ORDER BY is_default DESC, name COLLATE NOCASE')
      .all() as unknown as Row[];
    return rows.map(fromRow);
  }

  /** Every repository with its reachability and space, probed now. */
  async list(): Promise<Repository[]> {
    return Promise.all(this.registered().map((repo) => this.withStatus(repo)));
  }

  get(id: string): Registered {
    const row = this.catalog.db.prepare('SELECT * FROM repositories WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new FerryError('not_found', 'This repository is not registered (it was removed, or never added).');
    return fromRow(row);
  }

  /** The repository's object store (S3 stores are kept open and reused). */
  async store(id: string): Promise<ObjectStore> {
    const cached = this.stores.get(id);
    if (cached) return cached;
    const repo = this.get(id);
    const secret = repo.location.kind === 's3' ? await this.secrets.get(s3SecretName(id)) : undefined;
    if (repo.location.kind === 's3' && secret === undefined) {
      throw new FerryError('repo_unavailable', `The secret key of "${repo.name}" is not stored on this engine. Remove the repository and add it again.`);
    }
    const store = await openStore(repo.location, secret);
    this.stores.set(id, store);
    return store;
  }

  /** Opens the repository format in it; a registered folder without a marker is initialised (it is ours). */
  async open(id: string): Promise<RepositoryFormat> {
    const repository = await RepositoryFormat.openOrInit(await this.store(id), this.passwordKeys);
    // Remembered for its removal: its marker recognises it when added again, wherever it is then.
    this.rememberMarker(id, repository.marker.id);
    return repository;
  }

  /**
   * Registers a repository. A place registered before (the same folder or bucket + prefix,
   * or the same repository marker anywhere) gets its former id back, so its jobs and copy
   * sources work again; so does one holding backups of jobs whose repository is gone.
   */
  add(input: { name: string; location: CheckedLocationInput }, isDefault = false): Promise<Repository> {
    return this.writes.run(async () => {
      const name = input.name.trim();
      const clash = this.registered().find((repo) => repo.name.toLowerCase() === name.toLowerCase());
      if (clash) throw fieldError({ name: `A repository named "${clash.name}" already exists.` });
      const { location: typed, secret } = splitLocationInput(input.location);
      const location = await this.checkLocation(typed);
      const store = await openStore(location, secret);
      await this.checkReachable(store, location);
      let format: RepositoryFormat;
      try {
        format = await RepositoryFormat.openOrInit(store, this.passwordKeys);
      } catch (error) {
        store.close?.();
        throw error instanceof FerryError && error.code !== 'internal' ? fieldError({ [fieldOf(location)]: error.message }) : error;
      }
      const before = await this.recognise(location, format);
      const id = before?.id ?? randomUUID();
      if (secret !== undefined) await this.secrets.set(s3SecretName(id), secret);
      const repo: Registered = { id, name, location, isDefault: isDefault || before?.isDefault === true, createdAt: new Date().toISOString() };
      this.catalog.transaction(() => {
        this.catalog.db.prepare('DELETE FROM removed_repositories WHERE id = ?').run(id);
        this.catalog.db
          .prepare('INSERT INTO repositories (id, name, location, is_default, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(repo.id, repo.name, JSON.stringify(repo.location), repo.isDefault ? 1 : 0, repo.createdAt);
        this.rememberMarker(id, format.marker.id);
      });
      this.stores.set(id, store);
      // Announced by the engine once it has listed the backups in it.
      return this.withStatus(repo);
    });
  }

  /** Unregisters a repository (its data stays), remembering its place and marker. `guard` runs first, in turn with adds and removes, and may refuse. */
  remove(id: string, guard: () => void = () => undefined): Promise<{ id: string }> {
    return this.writes.run(async () => {
      const repo = this.get(id);
      guard();
      const marker = this.catalog.db.prepare('SELECT marker_id FROM repository_markers WHERE repository_id = ?').get(id) as { marker_id: string } | undefined;
      this.catalog.transaction(() => {
        this.catalog.db
          .prepare('INSERT OR REPLACE INTO removed_repositories (id, location, marker_id, is_default, removed_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, JSON.stringify(repo.location), marker?.marker_id ?? null, repo.isDefault ? 1 : 0, new Date().toISOString());
        // Its marker and inventory go with it (ON DELETE CASCADE); added again, it is scanned anew.
        this.catalog.db.prepare('DELETE FROM repositories WHERE id = ?').run(id);
        this.catalog.deleteSetting(`scanned/${id}`);
      });
      const store = this.stores.get(id);
      store?.close?.();
      this.stores.delete(id);
      if (repo.location.kind === 's3') await this.secrets.delete(s3SecretName(id));
      this.changed();
      return { id };
    });
  }

  private rememberMarker(id: string, markerId: string): void {
    this.catalog.db
      .prepare(
        `INSERT INTO repository_markers (repository_id, marker_id) SELECT id, ? FROM repositories WHERE id = ?
         ON CONFLICT(repository_id) DO UPDATE SET marker_id = excluded.marker_id WHERE marker_id IS NOT excluded.marker_id`,
      )
      .run(markerId, id);
  }

  /** Whether a repository of this id is registered now. */
  has(id: string): boolean {
    return this.catalog.db.prepare('SELECT 1 FROM repositories WHERE id = ?').get(id) !== undefined;
  }

  /**
   * The former id of a place being added: a removed repository with its marker (moved or
   * mounted elsewhere), else one removed from this place that had no marker known (a
   * different marker there is another repository), else the one repository id that the
   * jobs whose backups are here still name although it is gone (removed before Ferry
   * remembered removals).
   */
  private async recognise(location: RepositoryLocation, format: RepositoryFormat): Promise<{ id: string; isDefault: boolean } | undefined> {
    const removed = this.catalog.db.prepare('SELECT * FROM removed_repositories ORDER BY removed_at DESC').all() as unknown as RemovedRow[];
    const byMarker = removed.find((row) => row.marker_id === format.marker.id);
    if (byMarker) return { id: byMarker.id, isDefault: byMarker.is_default === 1 };
    for (const row of removed) {
      if (row.marker_id === null && (await samePlace(repositoryLocation.parse(JSON.parse(row.location)), location))) {
        return { id: row.id, isDefault: row.is_default === 1 };
      }
    }
    const jobIds = new Set((await format.listBackups()).flatMap(({ config }) => (config.jobId ? [config.jobId] : [])));
    const orphaned = new Set<string>();
    const jobs = this.catalog.db.prepare("SELECT id, json_extract(definition, '$.repositoryId') AS repository_id FROM jobs").all() as {
      id: string;
      repository_id: string;
    }[];
    for (const job of jobs) if (jobIds.has(job.id) && !this.has(job.repository_id)) orphaned.add(job.repository_id);
    const [only] = orphaned;
    return orphaned.size === 1 && only !== undefined ? { id: only, isDefault: false } : undefined;
  }

  /** Checks a location as `add` would, without registering it: the console's "Test connection". */
  async test(input: CheckedLocationInput): Promise<{ message: string }> {
    const { location: typed, secret } = splitLocationInput(input);
    const location = typed.kind === 'local' ? await this.checkLocation(typed) : typed;
    const store = await openStore(location, secret);
    try {
      await this.checkReachable(store, location);
      const existing = await RepositoryFormat.open(store).then(
        () => true,
        () => false,
      );
      return {
        message: `${describeLocation(location)} is reachable and writable${existing ? ' and already holds a Ferry repository' : ''}.`,
      };
    } finally {
      store.close?.();
    }
  }

  /** Registers the default repository on the first start of a data folder. */
  async ensureDefault(dataDir: string): Promise<void> {
    if (this.catalog.getSetting('default_repository_created') === 'yes') return;
    const folder = path.join(dataDir, 'repositories');
    makePrivateFolder(folder);
    await this.add(
      { name: DEFAULT_REPOSITORY_NAME, location: { kind: 'local', path: path.join(folder, 'default') } },
      true,
    );
    this.catalog.setSetting('default_repository_created', 'yes');
  }

  private async checkLocation(location: RepositoryLocation): Promise<RepositoryLocation> {
    if (location.kind === 's3') {
      for (const other of this.registered()) {
        if (other.location.kind === 's3' && sameS3Place(other.location, location)) {
          throw fieldError({ 'location.prefix': `This bucket and prefix overlap the repository "${other.name}" (${describeLocation(other.location)}).` });
        }
      }
      return location;
    }
    const folder = normaliseUserPath(location.path);
    if (!folder) {
      throw fieldError({ 'location.path': 'Enter a full path, such as /mnt/backups or D:\\Backups.' });
    }
    const real = await resolveRealPath(folder);
    for (const other of this.registered()) {
      if (other.location.kind !== 'local') continue;
      const otherPath = await resolveRealPath(other.location.path);
      if (isSameOrInside(otherPath, real)) {
        const where = isSameOrInside(real, otherPath) ? 'is already' : 'is inside';
        throw fieldError({ 'location.path': `This folder ${where} the repository "${other.name}" (${other.location.path}).` });
      }
      if (isSameOrInside(real, otherPath)) {
        throw fieldError({
          'location.path': `This folder contains the repository "${other.name}" (${other.location.path}). Repositories cannot be nested.`,
        });
      }
    }
    const problem = await withTimeout(prepareWritableFolder(folder), STORAGE_TIMEOUT_MS, () => ({ message: noAnswer(folder) }));
    if (problem) throw fieldError({ 'location.path': problem.message });
    return { kind: 'local', path: folder };
  }

  /** S3: a real write, read and delete under the prefix (folders were probed by checkLocation). */
  private async checkReachable(store: ObjectStore, location: RepositoryLocation): Promise<void> {
    if (location.kind !== 's3') return;
    const failed = await withTimeout(
      (store as S3Store).testConnection().then(() => undefined, (error: unknown) => (error as Error).message),
      STORAGE_TIMEOUT_MS * 4,
      () => noAnswer(describeLocation(location)),
    );
    if (failed !== undefined) throw fieldError({ [fieldOf(location)]: failed });
  }

  private async withStatus(repo: Registered): Promise<Repository> {
    const where = describeLocation(repo.location);
    const inventory = this.catalog.db
      .prepare('SELECT COUNT(*) AS count, COALESCE(SUM(size_bytes), 0) AS used FROM backups WHERE repository_id = ?')
      .get(repo.id) as { count: number; used: number };
    const scanned = this.catalog.getSetting(`scanned/${repo.id}`) !== undefined;
    const usage = scanned ? { usedBytes: inventory.used, backupCount: inventory.count } : {};
    if (repo.location.kind === 'local') {
      const probe = await withTimeout(probeFolder(repo.location.path), STORAGE_TIMEOUT_MS, () => ({
        status: 'unavailable' as const,
        message: noAnswer(where),
      }));
      return probe.status === 'available'
        ? { ...repo, ...usage, status: 'available', space: probe.space }
        : { ...repo, ...usage, status: 'unavailable', statusMessage: probe.message };
    }
    const problem = await withTimeout(
      this.store(repo.id)
        .then((store) => store.stat('ferry-repository.json'))
        .then(() => undefined, (error: unknown) => (error as Error).message),
      STORAGE_TIMEOUT_MS,
      () => noAnswer(where),
    );
    return problem === undefined
      ? { ...repo, ...usage, status: 'available' }
      : { ...repo, ...usage, status: 'unavailable', statusMessage: problem };
  }
}

function fieldOf(location: RepositoryLocation): string {
  // An S3 failure may be the endpoint, the keys or the bucket: the form shows it as a whole.
  return location.kind === 'local' ? 'location.path' : 'location';
}
