import type { Catalog } from '../catalog/catalog.ts';
import type { JobStatus } from '../../shared/domain/job.ts';

/**
 * What the scheduler remembers of a job across restarts. `since` is the scheduled time
 * last served (or when this schedule was first seen): written when a run ENDS, so a run
 * the engine did not finish (killed, stopped by a shutdown) is due again on restart,
 * and one that ended is never run twice.
 */
export interface JobState {
  jobId: string;
  /** The schedule this state belongs to, as JSON: a changed schedule starts afresh. */
  schedule: string;
  since: number;
  retriesLeft: number;
  retryAt: number | null;
  /** The source points a copy job last looked at (immediate mode, waiting workloads). */
  fingerprint: string | null;
  status: JobStatus;
  nextRun: number | null;
}

/** A workload of a periodic copy job in the interval being served. */
export interface WorkloadState {
  workload: string;
  intervalStart: number;
  /** The point copied in this interval; null: not copied yet, for `reason`. */
  copiedPoint: string | null;
  reason: string | null;
}

interface JobRow {
  job_id: string;
  schedule: string;
  since: string;
  retries_left: number;
  retry_at: string | null;
  fingerprint: string | null;
  status: JobStatus;
  next_run: string | null;
}

const time = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class ScheduleState {
  private readonly catalog: Catalog;

  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }

  jobs(): Map<string, JobState> {
    const rows = this.catalog.db.prepare('SELECT * FROM schedule_jobs').all() as unknown as JobRow[];
    return new Map(
      rows.map((row) => [
        row.job_id,
        {
          jobId: row.job_id,
          schedule: row.schedule,
          since: Date.parse(row.since),
          retriesLeft: row.retries_left,
          retryAt: time(row.retry_at),
          fingerprint: row.fingerprint,
          status: row.status,
          nextRun: time(row.next_run),
        },
      ]),
    );
  }

  saveJob(state: JobState): void {
    this.catalog.db
      .prepare(
        `INSERT INTO schedule_jobs (job_id, schedule, since, retries_left, retry_at, fingerprint, status, next_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET schedule = excluded.schedule, since = excluded.since, retries_left = excluded.retries_left,
           retry_at = excluded.retry_at, fingerprint = excluded.fingerprint, status = excluded.status, next_run = excluded.next_run`,
      )
      .run(state.jobId, state.schedule, iso(state.since), state.retriesLeft, iso(state.retryAt), state.fingerprint, state.status, iso(state.nextRun));
  }

  /** Only the status and next run (what `jobs.list` shows), without touching what a run wrote. */
  saveStatus(jobId: string, status: JobStatus, nextRun: number | null): void {
    this.catalog.db.prepare('UPDATE schedule_jobs SET status = ?, next_run = ? WHERE job_id = ?').run(status, iso(nextRun), jobId);
  }

  workloads(jobId: string): WorkloadState[] {
    const rows = this.catalog.db
      .prepare('SELECT workload, interval_start, copied_point, reason FROM schedule_workloads WHERE job_id = ? ORDER BY workload')
      .all(jobId) as { workload: string; interval_start: string; copied_point: string | null; reason: string | null }[];
    return rows.map((row) => ({ workload: row.workload, intervalStart: Date.parse(row.interval_start), copiedPoint: row.copied_point, reason: row.reason }));
  }

  /** Replaces a job's workloads (one interval's), with its state, in one transaction: a crash keeps the old or the new, never half. */
  saveRun(state: JobState, workloads: readonly WorkloadState[] | undefined): void {
    this.catalog.transaction(() => {
      this.saveJob(state);
      if (workloads === undefined) return;
      this.catalog.db.prepare('DELETE FROM schedule_workloads WHERE job_id = ?').run(state.jobId);
      const insert = this.catalog.db.prepare(
        'INSERT INTO schedule_workloads (job_id, workload, interval_start, copied_point, reason) VALUES (?, ?, ?, ?, ?)',
      );
      for (const w of workloads) insert.run(state.jobId, w.workload, new Date(w.intervalStart).toISOString(), w.copiedPoint, w.reason);
    });
  }
}
