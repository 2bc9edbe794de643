import type { BackupSummary, RestorePointList, RestorePointSummary } from '../../shared/domain/backup.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { compareCodeUnits } from '../../shared/util/compare.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { keys } from '../repository/layout.ts';
import type { Repository as RepositoryFormat } from '../repository/repository.ts';
import type { BackupConfig, PointManifest } from '../repository/schemas.ts';
import type { RepositoryRegistry } from './registry.ts';

interface BackupRow {
  repository_id: string;
  folder: string;
  backup_id: string;
  name: string;
  kind: BackupSummary['kind'];
  job_id: string | null;
  encrypted: number;
  created: string;
  size_bytes: number;
  readable: number;
  damaged: string;
  workloads: string;
}

/** Passwords the engine knows for encrypted backups: those of its own jobs. */
export type PasswordLookup = (config: { id: string; jobId?: string | undefined }) => Promise<string | undefined>;

export function pointSummary(point: PointManifest): RestorePointSummary {
  return {
    id: point.id,
    workload: point.workload,
    created: point.created,
    completed: point.completed,
    lineage: point.lineage
      ? { backupId: point.lineage.backupId, pointId: point.lineage.pointId, ...(point.lineage.repository ? { repository: point.lineage.repository } : {}) }
      : null,
    gfs: point.gfs,
    files: point.stats.files,
    bytes: point.stats.bytes,
    bytesNew: point.stats.bytesNew,
    bytesStored: point.stats.bytesStored,
  };
}

/**
 * What the catalog knows of the backups inside repositories: found by scanning (a
 * backup folder copied in by hand appears at the next rescan), kept so lists do not
 * walk every repository.
 */
export class Inventory {
  private readonly catalog: Catalog;
  private readonly registry: RepositoryRegistry;
  private readonly passwordFor: PasswordLookup;

  constructor(catalog: Catalog, registry: RepositoryRegistry, passwordFor: PasswordLookup) {
    this.catalog = catalog;
    this.registry = registry;
    this.passwordFor = passwordFor;
  }

  /** Scans every backup of the repository: the catalog's list of them is replaced. */
  async rescan(repositoryId: string): Promise<BackupSummary[]> {
    const repository = await this.registry.open(repositoryId);
    const summaries: BackupSummary[] = [];
    for (const { folder, config } of await repository.listBackups()) summaries.push(await this.summarize(repositoryId, repository, folder, config));
    this.catalog.transaction(() => {
      this.catalog.db.prepare('DELETE FROM backups WHERE repository_id = ?').run(repositoryId);
      this.insert(summaries);
      this.catalog.setSetting(`scanned/${repositoryId}`, new Date().toISOString());
    });
    return summaries;
  }

  /**
   * Scans the one backup a job has just written: the others of its repository stay as the
   * catalog has them (on a shared repository, a rescan after every run would list every
   * pack of every backup in it). A repository never scanned is scanned whole.
   */
  async rescanBackup(repositoryId: string, folder: string): Promise<BackupSummary[]> {
    if (this.catalog.getSetting(`scanned/${repositoryId}`) === undefined) return this.rescan(repositoryId);
    const repository = await this.registry.open(repositoryId);
    const summary = await this.summarize(repositoryId, repository, folder, await repository.readBackupConfig(folder));
    this.catalog.transaction(() => {
      this.catalog.db.prepare('DELETE FROM backups WHERE repository_id = ? AND folder = ?').run(repositoryId, folder);
      this.insert([summary]);
    });
    return [summary];
  }

  /** A backup as the catalog lists it: its size (its packs), workloads and points; points stay unknown without its password. */
  private async summarize(repositoryId: string, repository: RepositoryFormat, folder: string, config: BackupConfig): Promise<BackupSummary> {
    let sizeBytes = 0;
    for await (const object of repository.store.list(keys.packs(folder))) sizeBytes += object.size;
    const workloads = new Map<string, { points: number; newest?: string }>();
    let readable = true;
    let damaged: BackupSummary['damaged'] = [];
    try {
      const backup = await repository.openBackup(folder, config.encryption ? await this.passwordFor(config) : undefined, { index: false });
      const listing = await backup.listPoints();
      damaged = listing.damaged;
      for (const point of listing.points) {
        const entry = workloads.get(point.workload) ?? { points: 0 };
        entry.points++;
        if (!entry.newest || point.created > entry.newest) entry.newest = point.created;
        workloads.set(point.workload, entry);
      }
    } catch (error) {
      // A damaged key file hides this backup's points, not the other backups of the repository.
      if (!(error instanceof FerryError) || (error.code !== 'wrong_password' && error.code !== 'corrupt_data')) throw error;
      readable = false;
      if (error.code === 'corrupt_data') damaged = [{ key: keys.backupConfig(folder), message: error.message }];
    }
    return {
      repositoryId,
      folder,
      backupId: config.id,
      name: config.name,
      kind: config.kind,
      jobId: config.jobId ?? null,
      encrypted: config.encryption !== null,
      created: config.created,
      sizeBytes,
      readable,
      damaged,
      // By name: points of one run share their creation time, so their order says nothing.
      workloads: [...workloads].sort(([a], [b]) => compareCodeUnits(a, b)).map(([name, w]) => ({ name, points: w.points, ...(w.newest ? { newest: w.newest } : {}) })),
    };
  }

  private insert(summaries: readonly BackupSummary[]): void {
    const insert = this.catalog.db.prepare(
      'INSERT INTO backups (repository_id, folder, backup_id, name, kind, job_id, encrypted, created, size_bytes, readable, damaged, workloads, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    for (const b of summaries) {
      insert.run(b.repositoryId, b.folder, b.backupId, b.name, b.kind, b.jobId, b.encrypted ? 1 : 0, b.created, b.sizeBytes, b.readable ? 1 : 0, JSON.stringify(b.damaged), JSON.stringify(b.workloads), now);
    }
  }

  list(repositoryId?: string): BackupSummary[] {
    const rows = (
      repositoryId === undefined
        ? this.catalog.db.prepare('SELECT * FROM backups ORDER BY name COLLATE NOCASE').all()
        : this.catalog.db.prepare('SELECT * FROM backups WHERE repository_id = ? ORDER BY name COLLATE NOCASE').all(repositoryId)
    ) as unknown as BackupRow[];
    return rows.map((row) => ({
      repositoryId: row.repository_id,
      folder: row.folder,
      backupId: row.backup_id,
      name: row.name,
      kind: row.kind,
      jobId: row.job_id,
      encrypted: row.encrypted === 1,
      created: row.created,
      sizeBytes: row.size_bytes,
      readable: row.readable === 1,
      damaged: JSON.parse(row.damaged) as BackupSummary['damaged'],
      workloads: JSON.parse(row.workloads) as BackupSummary['workloads'],
    }));
  }

  async points(repositoryId: string, folder: string, workload?: string): Promise<RestorePointList> {
    const repository = await this.registry.open(repositoryId);
    const config = await repository.readBackupConfig(folder);
    const backup = await repository.openBackup(folder, config.encryption ? await this.passwordFor(config) : undefined, { index: false });
    const { points, damaged } = await backup.listPoints();
    return { points: points.filter((p) => workload === undefined || p.workload === workload).map(pointSummary), damaged };
  }
}
