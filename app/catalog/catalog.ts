import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { z } from 'zod';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';
import { MIGRATIONS } from './migrations.ts';

/**
 * The engine's catalog: one SQLite file in the data folder. WAL mode so readers never
 * wait for a writer, with synchronous NORMAL (SQLite's advice for WAL): a commit is not
 * flushed to disk on its own, so a power loss can undo the last moments (log lines, a
 * status) but never damages the file, and a run's log line no longer costs a flush.
 * Each migration runs in its own transaction with its version recorded, so an
 * interrupted upgrade is retried from where it stopped.
 */
export class Catalog {
  readonly db: DatabaseSync;
  readonly path: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'catalog.sqlite');
    createPrivately(this.path);
    this.db = new DatabaseSync(this.path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.migrate();
  }

  get schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
      | { version: number | null }
      | undefined;
    return row?.version ?? 0;
  }

  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  deleteSetting(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** A setting stored as JSON, checked with `schema`; undefined when absent or when it no longer parses (damaged, or from another version). */
  getJsonSetting<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const raw = this.getSetting(key);
    return raw === undefined ? undefined : parseJson(raw, schema);
  }

  /** What a job's maintenance keeps between runs, as JSON checked with `schema`; undefined when absent or no longer parsing. */
  getJobState<S extends z.ZodType>(jobId: string, key: string, schema: S): z.output<S> | undefined {
    const row = this.db.prepare('SELECT value FROM job_state WHERE job_id = ? AND key = ?').get(jobId, key) as { value: string } | undefined;
    return row === undefined ? undefined : parseJson(row.value, schema);
  }

  setJobState(jobId: string, key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO job_state (job_id, key, value) VALUES (?, ?, ?) ON CONFLICT(job_id, key) DO UPDATE SET value = excluded.value')
      .run(jobId, key, JSON.stringify(value));
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const current = this.schemaVersion;
    const newest = MIGRATIONS.at(-1)?.version ?? 0;
    if (current > newest) {
      throw new Error(
        `The catalog at ${this.path} was written by a newer Ferry (schema ${current}, this one knows ${newest}).`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      this.transaction(() => {
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      });
    }
  }
}

function parseJson<S extends z.ZodType>(raw: string, schema: S): z.output<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * SQLite gives a new database file the umask's mode, and its -wal and -shm files the
 * database file's mode: made 0600 first (whatever the umask), all three are private.
 */
function createPrivately(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}
