import { randomUUID } from 'node:crypto';
import type { SessionDetail, SessionResult, SessionSummary } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { processAliveSince } from '../util/process-alive.ts';
import { rateOf } from './run-progress.ts';

interface SessionRow {
  id: string;
  job_id: string | null;
  job_name: string;
  kind: string;
  started_at: string;
  ended_at: string | null;
  result: SessionResult | null;
  bytes_read: number;
  bytes_new: number;
  bytes_stored: number;
}

function summary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    jobId: row.job_id,
    jobName: row.job_name,
    kind: row.kind,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    result: row.result,
    bytesRead: row.bytes_read,
    bytesNew: row.bytes_new,
    bytesStored: row.bytes_stored,
  };
}

export interface TaskRecord {
  workload: string;
  result: SessionResult;
  reason?: string | undefined;
  pointId?: string | undefined;
  bytesRead: number;
  bytesNew: number;
  bytesStored: number;
  durationMs: number;
}

/** The worst result wins: one failed workload makes a failed session; a stop outranks warnings, never a failure. */
export function overallResult(results: readonly SessionResult[]): SessionResult {
  if (results.includes('failed') || results.length === 0) return 'failed';
  if (results.includes('stopped')) return 'stopped';
  return results.includes('warning') ? 'warning' : 'success';
}

/** One run of a job, recorded as it goes: a row, a task per workload, and its log. */
export class SessionRecorder {
  readonly id = randomUUID();
  private readonly catalog: Catalog;

  constructor(catalog: Catalog, job: { id: string | null; name: string; kind: string }) {
    this.catalog = catalog;
    catalog.db
      .prepare('INSERT INTO sessions (id, job_id, job_name, kind, started_at, engine_pid) VALUES (?, ?, ?, ?, ?, ?)')
      .run(this.id, job.id, job.name, job.kind, new Date().toISOString(), process.pid);
  }

  log(level: 'info' | 'warning' | 'error', message: string): void {
    this.catalog.db
      .prepare('INSERT INTO session_log (session_id, at, level, message) VALUES (?, ?, ?, ?)')
      .run(this.id, new Date().toISOString(), level, message);
  }

  task(task: TaskRecord): void {
    this.catalog.db
      .prepare(
        'INSERT OR REPLACE INTO session_tasks (session_id, workload, result, reason, point_id, bytes_read, bytes_new, bytes_stored, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(this.id, task.workload, task.result, task.reason ?? null, task.pointId ?? null, task.bytesRead, task.bytesNew, task.bytesStored, task.durationMs);
  }

  finish(result: SessionResult): void {
    this.catalog.db
      .prepare(
        `UPDATE sessions SET ended_at = ?, result = ?,
           bytes_read = (SELECT COALESCE(SUM(bytes_read), 0) FROM session_tasks WHERE session_id = ?),
           bytes_new = (SELECT COALESCE(SUM(bytes_new), 0) FROM session_tasks WHERE session_id = ?),
           bytes_stored = (SELECT COALESCE(SUM(bytes_stored), 0) FROM session_tasks WHERE session_id = ?)
         WHERE id = ?`,
      )
      .run(new Date().toISOString(), result, this.id, this.id, this.id, this.id);
  }
}

/**
 * Sessions left open by an engine that stopped without ending them (crash, power loss):
 * marked failed with a line saying so, so History never shows a run as forever running.
 * Another live engine on the same data folder (the CLI beside the app) keeps its own; a
 * session begun before this boot has no live engine, whatever process has its pid now.
 */
export function closeInterrupted(catalog: Catalog): number {
  const open = (catalog.db.prepare('SELECT id, engine_pid, started_at FROM sessions WHERE ended_at IS NULL').all() as { id: string; engine_pid: number | null; started_at: string }[]).filter(
    (row) => row.engine_pid === null || row.engine_pid === process.pid || !processAliveSince(row.engine_pid, Date.parse(row.started_at)),
  );
  const now = new Date().toISOString();
  catalog.transaction(() => {
    for (const { id } of open) {
      catalog.db
        .prepare('INSERT INTO session_log (session_id, at, level, message) VALUES (?, ?, ?, ?)')
        .run(id, now, 'error', 'The engine stopped during this session. The repository stays consistent: the next run reuses what was stored.');
      catalog.db.prepare("UPDATE sessions SET ended_at = ?, result = 'failed' WHERE id = ?").run(now, id);
    }
  });
  return open.length;
}

export interface SessionFilter {
  jobId?: string | undefined;
  results?: readonly SessionResult[] | undefined;
  /** ISO bounds on startedAt, both included. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

/** Sessions newest first, by job, result and the time they started. */
export function listSessions(catalog: Catalog, filter: SessionFilter): SessionSummary[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.jobId !== undefined) {
    where.push('job_id = ?');
    values.push(filter.jobId);
  }
  if (filter.results !== undefined) {
    where.push(`result IN (${filter.results.map(() => '?').join(', ')})`);
    values.push(...filter.results);
  }
  // startedAt is stored as UTC ISO text (Date#toISOString): bounds in any offset compare once made the same.
  if (filter.from !== undefined) {
    where.push('started_at >= ?');
    values.push(new Date(filter.from).toISOString());
  }
  if (filter.to !== undefined) {
    where.push('started_at <= ?');
    values.push(new Date(filter.to).toISOString());
  }
  const rows = catalog.db
    .prepare(`SELECT * FROM sessions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC LIMIT ?`)
    .all(...values, filter.limit) as unknown as SessionRow[];
  return rows.map(summary);
}

export function getSession(catalog: Catalog, id: string): SessionDetail {
  const row = catalog.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
  if (!row) throw new FerryError('not_found', 'This session does not exist (any more).', { id });
  const tasks = catalog.db.prepare('SELECT * FROM session_tasks WHERE session_id = ? ORDER BY rowid').all(id) as unknown as {
    workload: string;
    result: SessionResult;
    reason: string | null;
    point_id: string | null;
    bytes_read: number;
    bytes_new: number;
    bytes_stored: number;
    duration_ms: number;
  }[];
  const log = catalog.db.prepare('SELECT at, level, message FROM session_log WHERE session_id = ? ORDER BY rowid').all(id) as unknown as SessionDetail['log'];
  return {
    ...summary(row),
    tasks: tasks.map((t) => ({
      workload: t.workload,
      result: t.result,
      reason: t.reason,
      pointId: t.point_id,
      bytesRead: t.bytes_read,
      bytesNew: t.bytes_new,
      bytesStored: t.bytes_stored,
      durationMs: t.duration_ms,
    })),
    log,
    rate: rateOf(catalog, id),
  };
}
