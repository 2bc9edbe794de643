import type { SessionProgress } from '../../shared/domain/job.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Clock } from '../util/clock.ts';

/** The bytes a workload has moved in a run, whatever point it is on. */
export interface Moved {
  bytesRead: number;
  bytesNew: number;
  bytesStored: number;
}

const KEYS = ['bytesRead', 'bytesNew', 'bytesStored'] as const;

/** At most one sample this often at first; the interval doubles each time the samples are thinned. */
export const RATE_SAMPLE_MS = 2_000;
/** Samples kept per session: at this many every other one goes, so a long run is covered whole at a coarser step. */
export const MAX_RATE_SAMPLES = 600;

/**
 * What a run has moved, from its progress events: per workload (a stop reports the bytes
 * moved by the point it interrupted), and in total as samples of the session's transfer
 * rate. A sample stores the total moved at its time: the rate between two samples is
 * their difference, so dropping every other sample keeps exact averages.
 */
export class RunProgress {
  private readonly catalog: Catalog;
  private readonly sessionId: string;
  private readonly clock: Clock;
  /** Per workload: what finished points moved (a counter that went back began a new point), and the current point's counters. */
  private readonly workloads = new Map<string, { done: Moved; current: Moved }>();
  private samples = 0;
  private intervalMs = RATE_SAMPLE_MS;
  private lastSampleAt: number;
  private lastTotal = 0;
  /** Copy jobs count what reached the target (bytesStored); folder backups what was read from the folders. */
  private readonly measure: keyof Moved;

  constructor(catalog: Catalog, sessionId: string, clock: Clock, measure: keyof Moved) {
    this.catalog = catalog;
    this.measure = measure;
    this.sessionId = sessionId;
    this.clock = clock;
    this.lastSampleAt = clock.now();
    this.store(this.lastSampleAt, 0);
  }

  update(progress: SessionProgress): void {
    const counters: Moved = { bytesRead: progress.bytesRead, bytesNew: progress.bytesNew, bytesStored: progress.copy?.bytesTransferred ?? 0 };
    const entry = this.workloads.get(progress.workload) ?? { done: { bytesRead: 0, bytesNew: 0, bytesStored: 0 }, current: counters };
    if (KEYS.some((key) => counters[key] < entry.current[key])) for (const key of KEYS) entry.done[key] += entry.current[key];
    entry.current = counters;
    this.workloads.set(progress.workload, entry);
    const now = this.clock.now();
    if (now - this.lastSampleAt >= this.intervalMs) this.sample(now);
  }

  /** What the workload moved in this run (0 when it reported nothing). */
  moved(workload: string): Moved {
    const entry = this.workloads.get(workload);
    if (!entry) return { bytesRead: 0, bytesNew: 0, bytesStored: 0 };
    return { bytesRead: entry.done.bytesRead + entry.current.bytesRead, bytesNew: entry.done.bytesNew + entry.current.bytesNew, bytesStored: entry.done.bytesStored + entry.current.bytesStored };
  }

  /** The last sample, at the run's end. */
  finish(): void {
    const now = this.clock.now();
    if (now > this.lastSampleAt || this.total() !== this.lastTotal) this.sample(now);
  }

  private total(): number {
    let total = 0;
    for (const workload of this.workloads.keys()) total += this.moved(workload)[this.measure];
    return total;
  }

  private sample(now: number): void {
    this.lastSampleAt = now;
    this.lastTotal = this.total();
    this.store(now, this.lastTotal);
    if (this.samples < MAX_RATE_SAMPLES) return;
    // Every other sample goes (the first stays): the rest cover the same run at twice the step.
    this.catalog.db
      .prepare(
        `DELETE FROM session_rate WHERE rowid IN (
           SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER (ORDER BY at, rowid) AS n FROM session_rate WHERE session_id = ?) WHERE n % 2 = 0)`,
      )
      .run(this.sessionId);
    this.samples = Number((this.catalog.db.prepare('SELECT COUNT(*) AS n FROM session_rate WHERE session_id = ?').get(this.sessionId) as { n: number }).n);
    this.intervalMs *= 2;
  }

  private store(at: number, bytes: number): void {
    this.catalog.db.prepare('INSERT INTO session_rate (session_id, at, bytes) VALUES (?, ?, ?)').run(this.sessionId, at, bytes);
    this.samples++;
  }
}

/** A session's transfer rate over its run, from its samples: the average between each sample and the one before. */
export function rateOf(catalog: Catalog, sessionId: string): { at: string; bytesPerSecond: number }[] {
  const rows = catalog.db.prepare('SELECT at, bytes FROM session_rate WHERE session_id = ? ORDER BY at, rowid').all(sessionId) as { at: number; bytes: number }[];
  const rate: { at: string; bytesPerSecond: number }[] = [];
  for (let i = 1; i < rows.length; i++) {
    const span = rows[i]!.at - rows[i - 1]!.at;
    if (span <= 0) continue;
    rate.push({ at: new Date(rows[i]!.at).toISOString(), bytesPerSecond: Math.max(0, ((rows[i]!.bytes - rows[i - 1]!.bytes) * 1000) / span) });
  }
  return rate;
}
