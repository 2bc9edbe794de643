import type { RpoStatus } from '../../shared/domain/after-run.ts';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import { type BackupCopyJob, type JobDefinition, jobDefinition } from '../../shared/domain/job.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Clock } from '../util/clock.ts';
import { previewCopy } from './copy-preview.ts';

const HOUR_MS = 3_600_000;

export interface CopyJobRecord {
  id: string;
  definition: BackupCopyJob;
  /** When the job was made: a workload never copied is late this long after it. */
  createdAt: string;
}

/**
 * Which workloads of a copy job are past its RPO at `now`: the workloads of its backup
 * in the target whose newest point is older than the RPO, and the workloads its sources
 * bring that it has never copied once the job is older than the RPO. `nextLate` is when
 * the next one falls behind if nothing is copied (null: none can).
 */
export function rpoLate(
  job: CopyJobRecord,
  backups: readonly BackupSummary[],
  jobOf: (id: string) => JobDefinition | undefined,
  now: number,
): { status: RpoStatus; nextLate: number | null } {
  const limit = job.definition.rpoHours * HOUR_MS;
  const newest = new Map<string, string | null>();
  for (const row of previewCopy({ ...job.definition }, backups, jobOf)) {
    if (row.skipped === null && row.workload !== '') newest.set(row.workload, null);
  }
  for (const backup of backups) {
    if (backup.jobId !== job.id || backup.repositoryId !== job.definition.repositoryId) continue;
    for (const workload of backup.workloads) {
      const before = newest.get(workload.name) ?? null;
      const at = workload.newest ?? null;
      newest.set(workload.name, at !== null && (before === null || at > before) ? at : before);
    }
  }
  const late: RpoStatus['late'] = [];
  let nextLate: number | null = null;
  for (const [workload, newestCopy] of [...newest].sort(([a], [b]) => a.localeCompare(b))) {
    const due = Date.parse(newestCopy ?? job.createdAt) + limit;
    if (due <= now) late.push({ workload, newestCopy });
    else nextLate = nextLate === null ? due : Math.min(nextLate, due);
  }
  return { status: { hours: job.definition.rpoHours, late }, nextLate };
}

/**
 * Keeps the RPO status of every enabled copy job. `check()` after a run (and when jobs
 * or backups change) recomputes it; between checks one timer waits for the moment the
 * next workload would fall behind, so an idle engine does not poll.
 */
export class RpoMonitor {
  private readonly catalog: Catalog;
  private readonly backups: () => readonly BackupSummary[];
  private readonly clock: Clock;
  private readonly onLate: (job: { id: string; name: string }, status: RpoStatus) => void;
  private readonly onChange: () => void;
  private readonly log: (message: string) => void;
  private statuses = new Map<string, RpoStatus>();
  private timer: AbortController | undefined;
  private stopped = false;

  constructor(options: {
    catalog: Catalog;
    backups: () => readonly BackupSummary[];
    clock: Clock;
    /** A workload fell behind (each once, until a copy brings it back). */
    onLate: (job: { id: string; name: string }, status: RpoStatus) => void;
    /** Some job's status changed (the job list should be sent again). */
    onChange: () => void;
    log: (message: string) => void;
  }) {
    this.log = options.log;
    this.catalog = options.catalog;
    this.backups = options.backups;
    this.clock = options.clock;
    this.onLate = options.onLate;
    this.onChange = options.onChange;
  }

  /** The job's status; null for a job that is not an enabled copy job. */
  status(jobId: string): RpoStatus | null {
    return this.statuses.get(jobId) ?? null;
  }

  private copyJobs(): CopyJobRecord[] {
    const rows = this.catalog.db.prepare("SELECT id, definition, created_at FROM jobs WHERE kind = 'backup-copy'").all() as {
      id: string;
      definition: string;
      created_at: string;
    }[];
    return rows.flatMap((row) => {
      const definition = jobDefinition.parse(JSON.parse(row.definition));
      return definition.kind === 'backup-copy' && definition.enabled ? [{ id: row.id, definition, createdAt: row.created_at }] : [];
    });
  }

  check(): void {
    if (this.stopped || !this.catalog.db.isOpen) return;
    const now = this.clock.now();
    const backups = this.backups();
    const definitions = new Map<string, JobDefinition>();
    for (const row of this.catalog.db.prepare('SELECT id, definition FROM jobs').all() as { id: string; definition: string }[]) {
      definitions.set(row.id, jobDefinition.parse(JSON.parse(row.definition)));
    }
    const next = new Map<string, RpoStatus>();
    let wake: number | null = null;
    let changed = false;
    for (const job of this.copyJobs()) {
      const { status, nextLate } = rpoLate(job, backups, (id) => definitions.get(id), now);
      next.set(job.id, status);
      if (nextLate !== null) wake = wake === null ? nextLate : Math.min(wake, nextLate);
      const before = new Set(this.statuses.get(job.id)?.late.map((entry) => entry.workload));
      if (status.late.some((entry) => !before.has(entry.workload))) this.onLate({ id: job.id, name: job.definition.name }, status);
      if (JSON.stringify(status) !== JSON.stringify(this.statuses.get(job.id))) changed = true;
    }
    if (next.size !== this.statuses.size) changed = true;
    this.statuses = next;
    this.arm(wake, now);
    if (changed) this.onChange();
  }

  private arm(wake: number | null, now: number): void {
    this.timer?.abort();
    this.timer = undefined;
    if (wake === null) return;
    const controller = new AbortController();
    this.timer = controller;
    this.clock
      .sleep(Math.max(0, wake - now), controller.signal, { background: true })
      .then(
        () => this.check(),
        () => undefined, // re-armed or stopped
      )
      .catch((error: unknown) => this.log(`RPO check failed: ${(error as Error).message}`));
  }

  /** For good (engine shutdown): later checks do nothing. */
  stop(): void {
    this.stopped = true;
    this.timer?.abort();
    this.timer = undefined;
  }
}
