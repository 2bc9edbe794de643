import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { fieldError, FerryError } from '../../shared/rpc/errors.ts';
import {
  repositoryLocation,
  type Repository,
  type RepositoryLocation,
} from '../../shared/domain/repository.ts';
import { SerialQueue } from '../../shared/util/serial.ts';
import { withTimeout } from '../../shared/util/timeout.ts';
import { prepareWritableFolder, probeFolder, resolveRealPath } from './local-folder.ts';
import { isSameOrInside, normaliseUserPath } from './paths.ts';

interface Row {
  id: string;
  name: string;
  location: string;
  is_default: number;
  created_at: string;
}

type Registered = Omit<Repository, 'status' | 'statusMessage' | 'space'>;

export const DEFAULT_REPOSITORY_NAME = 'Default repository';

/** How long a folder may take to answer before it counts as unreachable (hung NAS mounts). */
const FOLDER_TIMEOUT_MS = 15_000;
const noAnswer = (folder: string) =>
  `${folder} did not answer within ${FOLDER_TIMEOUT_MS / 1000} s. Is the network share or drive connected?`;

function fromRow(row: Row): Registered {
  return {
    id: row.id,
    name: row.name,
    location: repositoryLocation.parse(JSON.parse(row.location)),
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  };
}

/** The repositories the catalog knows, with the checks that keep them apart. */
export class RepositoryRegistry {
  private readonly catalog: Catalog;
  private readonly writes = new SerialQueue();
  private readonly changed: () => void;

  constructor(catalog: Catalog, changed: () => void) {
    this.catalog = catalog;
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
    if (!row) throw new FerryError('not_found', `No repository with id ${id} is registered.`);
    return fromRow(row);
  }

  add(input: { name: string; location: RepositoryLocation }, isDefault = false): Promise<Repository> {
    return this.writes.run(async () => {
      const name = input.name.trim();
      const clash = this.registered().find((repo) => repo.name.toLowerCase() === name.toLowerCase());
      if (clash) throw fieldError({ name: `A repository named "${clash.name}" already exists.` });
      const location = await this.checkLocation(input.location);
      const repo: Registered = {
        id: randomUUID(),
        name,
        location,
        isDefault,
        createdAt: new Date().toISOString(),
      };
      this.catalog.db
        .prepare('INSERT INTO repositories (id, name, location, is_default, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(repo.id, repo.name, JSON.stringify(repo.location), isDefault ? 1 : 0, repo.createdAt);
      this.changed();
      return this.withStatus(repo);
    });
  }

  remove(id: string): Promise<{ id: string }> {
    return this.writes.run(async () => {
      this.get(id);
      this.catalog.db.prepare('DELETE FROM repositories WHERE id = ?').run(id);
      this.changed();
      return { id };
    });
  }

  /** Registers the default repository on the first start of a data folder. */
  async ensureDefault(dataDir: string): Promise<void> {
    if (this.catalog.getSetting('default_repository_created') === 'yes') return;
    await this.add(
      { name: DEFAULT_REPOSITORY_NAME, location: { kind: 'local', path: path.join(dataDir, 'repositories', 'default') } },
      true,
    );
    this.catalog.setSetting('default_repository_created', 'yes');
  }

  private async checkLocation(location: RepositoryLocation): Promise<RepositoryLocation> {
    const folder = normaliseUserPath(location.path);
    if (!folder) {
      throw fieldError({
        'location.path': 'Enter a full path, such as /mnt/backups or D:\\Backups.',
      });
    }
    const real = await resolveRealPath(folder);
    for (const other of this.registered()) {
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
    const problem = await withTimeout(prepareWritableFolder(folder), FOLDER_TIMEOUT_MS, () => ({ message: noAnswer(folder) }));
    if (problem) throw fieldError({ 'location.path': problem.message });
    return { kind: 'local', path: folder };
  }

  private async withStatus(repo: Registered): Promise<Repository> {
    const folder = repo.location.path;
    const probe = await withTimeout(probeFolder(folder), FOLDER_TIMEOUT_MS, () => ({
      status: 'unavailable' as const,
      message: noAnswer(folder),
    }));
    return probe.status === 'available'
      ? { ...repo, status: 'available', space: probe.space }
      : { ...repo, status: 'unavailable', statusMessage: probe.message };
  }
}
