import type { StorageSpace, UsageSample } from '../../shared/domain/repository.ts';
import { USAGE_HISTORY_DAYS } from '../../shared/domain/repository.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Clock } from '../util/clock.ts';

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Samples of the last week are kept one an hour (the newest of each), older ones one a day. */
const HOURLY_DAYS = 7;

interface UsageRow {
  at: string;
  stored_bytes: number;
  free_bytes: number | null;
  total_bytes: number | null;
}

/**
 * Each repository's size over time, for the growth chart: what its backups store (the
 * inventory's sizes, so only once it was scanned) and the free and total space where the
 * storage tells. A sample each hour (of the clock, UTC) at most, plus one after each run
 * (in place of its hour's earlier one); old samples are thinned so a repository keeps at
 * most about 170 + 400 of them.
 */
export class UsageHistory {
  private readonly catalog: Catalog;
  private readonly clock: Clock;

  constructor(catalog: Catalog, clock: Clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  /** Records a sample now; unless `always`, only when there is none of this hour yet. Nothing before the repository's first scan. */
  record(repositoryId: string, space: StorageSpace | undefined, always: boolean): void {
    if (!this.catalog.db.isOpen || this.catalog.getSetting(`scanned/${repositoryId}`) === undefined) return;
    const now = this.clock.now();
    if (!always) {
      const newest = this.catalog.db.prepare('SELECT MAX(at) AS at FROM repository_usage WHERE repository_id = ?').get(repositoryId) as { at: string | null };
      if (newest.at !== null && newest.at.slice(0, 13) === new Date(now).toISOString().slice(0, 13)) return;
    }
    const { stored } = this.catalog.db
      .prepare('SELECT COALESCE(SUM(size_bytes), 0) AS stored FROM backups WHERE repository_id = ?')
      .get(repositoryId) as { stored: number };
    this.catalog.transaction(() => {
      this.catalog.db
        .prepare('INSERT OR REPLACE INTO repository_usage (repository_id, at, stored_bytes, free_bytes, total_bytes) VALUES (?, ?, ?, ?, ?)')
        .run(repositoryId, new Date(now).toISOString(), stored, space?.freeBytes ?? null, space?.totalBytes ?? null);
      this.thin(repositoryId, now);
    });
  }

  /** The samples of the last `days` days, oldest first. */
  samples(repositoryId: string, days: number): UsageSample[] {
    const since = new Date(this.clock.now() - days * DAY_MS).toISOString();
    const rows = this.catalog.db
      .prepare('SELECT at, stored_bytes, free_bytes, total_bytes FROM repository_usage WHERE repository_id = ? AND at >= ? ORDER BY at')
      .all(repositoryId, since) as unknown as UsageRow[];
    return rows.map((row) => ({ at: row.at, storedBytes: row.stored_bytes, freeBytes: row.free_bytes, totalBytes: row.total_bytes }));
  }

  /** Drops what the history no longer needs: beyond its length, and all but the newest sample of each hour (last week) or day (before). */
  private thin(repositoryId: string, now: number): void {
    const iso = (ms: number) => new Date(ms).toISOString();
    const db = this.catalog.db;
    db.prepare('DELETE FROM repository_usage WHERE repository_id = ? AND at < ?').run(repositoryId, iso(now - USAGE_HISTORY_DAYS * DAY_MS));
    // ISO times in UTC: the first 13 characters name the hour, the first 10 the day; a newer
    // sample of the same one lies between the sample and the bucket's end (its prefix + '~').
    const thinBy = (length: number, from: string, to: string) =>
      db
        .prepare(
          `DELETE FROM repository_usage AS old WHERE repository_id = ? AND at >= ? AND at < ? AND EXISTS (
             SELECT 1 FROM repository_usage AS newer
             WHERE newer.repository_id = old.repository_id AND newer.at > old.at AND newer.at < substr(old.at, 1, ${length}) || '~')`,
        )
        .run(repositoryId, from, to);
    const weekAgo = iso(now - HOURLY_DAYS * DAY_MS);
    thinBy(13, weekAgo, iso(now + DAY_MS));
    thinBy(10, '', weekAgo);
  }
}
