import { z } from 'zod';
import type { JobDefinition } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { GFS_KINDS } from '../../shared/retention/gfs.ts';
import { healthCheckDue } from '../../shared/schedule/health-check.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { compactWithLock, describeCompaction } from '../maintenance/compact.ts';
import { forgetPoints, retentionDecisions, writeLockFor } from '../maintenance/forget.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { Clock } from '../util/clock.ts';
import { describeHealth, foundDamage, healthCheck } from '../verify/health-check.ts';
import { dateWords } from '../util/date-words.ts';
import { count } from '../../shared/format/count.ts';

const DAY = 86_400_000;

/** Per workload that left the job, since when (ISO): its points go `removeDeletedWorkloadsAfterDays` after. */
const absentState = z.record(z.string(), z.string());
/** A compaction owed: something was forgotten and the compaction did not finish (busy, failed, stopped). */
const compactionState = z.object({ since: z.string() }).nullable();
/** The last health check (or, before the first, the job's first run: a new backup is checked on the next scheduled day). */
const healthState = z.object({ at: z.string() });

export const STATE_KEYS = { absent: 'workloads-absent', compaction: 'compaction-due', health: 'health-check' } as const;

/** The workloads a job has now, or why that cannot be told this run (a source unread). */
export type PresentWorkloads = { workloads: ReadonlySet<string> } | { unknown: string };

export interface TransformOptions {
  jobId: string;
  definition: JobDefinition;
  /** The job's backup, opened with its key. */
  backup: BackupStore;
  present: PresentWorkloads;
  catalog: Catalog;
  /** "Now" for retention, deleted workloads and the health check's schedule: the engine's clock. */
  clock: Clock;
  timeZone: string;
  signal: AbortSignal;
  /** How long each step waits for the backup's other users before it is postponed to the next run. */
  waitMs: number;
  log(level: 'info' | 'warning' | 'error', message: string): void;
}

const isCode = (error: unknown, code: string) => error instanceof FerryError && error.code === code;

/**
 * The transform phase after a job's run, in its session: retention per workload (and the
 * points of workloads that left the job long enough ago) forgotten under the backup's
 * write lock → compaction when anything was forgotten (or a compaction is owed) → the
 * health check when its day has come. Each step says what it did and why. A busy backup
 * postpones a step to the next run, a failing step is a warning; neither touches the
 * run's own result. A stop ends the phase between steps (and compaction between its own).
 * Returns 'warning' when a step did not do its work, or found damage.
 */
export async function runTransform(options: TransformOptions): Promise<'success' | 'warning'> {
  const { backup, definition, signal, catalog, jobId } = options;
  let result: 'success' | 'warning' = 'success';
  const warn = (message: string) => {
    result = 'warning';
    options.log('warning', message);
  };
  const info = (message: string) => options.log('info', message);
  const nowIso = () => new Date(options.clock.now()).toISOString();
  let stopped = false;
  /** Runs one step; false once the phase is stopped. */
  const step = async (what: string, work: () => Promise<void>): Promise<boolean> => {
    if (stopped || signal.aborted) {
      if (!stopped) warn(`Stopped before ${what}: the next run does it.`);
      stopped = true;
      return false;
    }
    try {
      await work();
    } catch (error) {
      const message = (error as Error).message;
      if (signal.aborted || isCode(error, 'cancelled')) {
        stopped = true;
        warn(`Stopped during ${what} (${message}): the backup stays consistent, and the next run does it.`);
        return false;
      }
      warn(isCode(error, 'conflict') ? `${capitalize(what)} postponed to the next run: ${message}` : `${capitalize(what)} failed: ${message} The next run tries again.`);
    }
    return true;
  };

  let forgotten = 0;
  await step('retention', async () => {
    const lock = await writeLockFor(backup, { purpose: `retention of job "${definition.name}"`, waitMs: options.waitMs, signal, log: info });
    try {
      const now = nowIso();
      const { points } = await backup.listPoints();
      const workloads = new Set(points.map((point) => point.workload));
      const { remaining, removing } = deletedWorkloads(options, workloads, now, info);
      const reasons = new Map<string, string[]>();
      for (const point of points) {
        const since = removing.get(point.workload);
        if (since !== undefined) reasons.set(point.id, [`its workload left the job on ${dateWords(since)}, more than ${count(definition.removeDeletedWorkloadsAfterDays, 'day', 'days')} ago`]);
      }
      const decisions = retentionDecisions(
        points.filter((point) => !removing.has(point.workload)),
        definition.retention,
        now,
        options.timeZone,
      );
      for (const decision of decisions) if (!decision.keep) reasons.set(decision.point.id, decision.reasons);
      const removed = await forgetPoints(backup, points.filter((point) => reasons.has(point.id)), { held: true });
      catalog.setJobState(jobId, STATE_KEYS.absent, remaining);
      for (const point of removed) info(`Removed the point of ${dateWords(point.created)} of ${point.workload}: ${(reasons.get(point.id) ?? []).join('; ')}.`);
      forgotten = removed.length;
      info(`Retention (${retentionWords(definition)}): ${count(removed.length, 'point', 'points')} removed, ${points.length - removed.length} kept.`);
    } finally {
      await lock?.release();
    }
  });

  const owed = catalog.getJobState(jobId, STATE_KEYS.compaction, compactionState) ?? null;
  if (forgotten > 0 || owed !== null) {
    await step('compaction', async () => {
      if (forgotten === 0 && owed) info(`Compaction owed since ${dateWords(owed.since)} runs now.`);
      // Recorded first: whatever stops it (a busy backup, a failure, a crash), the next run compacts.
      catalog.setJobState(jobId, STATE_KEYS.compaction, { since: owed?.since ?? nowIso() });
      const report = await compactWithLock(backup, { purpose: `compaction after job "${definition.name}"`, waitMs: options.waitMs, signal, log: info });
      for (const line of describeCompaction(report)) {
        if (line.startsWith('WARNING')) warn(line);
        else info(line);
      }
      catalog.setJobState(jobId, STATE_KEYS.compaction, null);
    });
  }

  const last = catalog.getJobState(jobId, STATE_KEYS.health, healthState);
  const now = nowIso();
  if (last === undefined) {
    // A backup this job has just begun needs no check: the first is on the next scheduled day.
    catalog.setJobState(jobId, STATE_KEYS.health, { at: now });
  } else if (healthCheckDue(definition.healthCheck, last.at, now, options.timeZone)) {
    await step('the health check', async () => {
      info(`Health check due (the last: ${last.at}).`);
      const report = await healthCheck(backup, { purpose: `health check of job "${definition.name}"`, waitMs: options.waitMs, signal, log: info, clock: options.clock });
      const lines = describeHealth(report);
      const damage = foundDamage(report);
      lines.forEach((line, index) => {
        // Damage, what was set aside or lost, and the count at the end are warnings; the rest says what was done.
        if (/^(DAMAGED|LOST|QUARANTINED)/.test(line) || (damage && index === lines.length - 1)) warn(line);
        else info(line);
      });
      catalog.setJobState(jobId, STATE_KEYS.health, { at: report.at });
    });
  }
  return result;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function retentionWords(definition: JobDefinition): string {
  const gfs = definition.retention.gfs;
  const kept = [`keep ${definition.retention.keepPoints}`];
  if (gfs) for (const kind of GFS_KINDS) if (gfs[kind] > 0) kept.push(`${gfs[kind]} ${kind}`);
  return kept.join(', ');
}

/**
 * Workloads with points in the backup that are no longer in the job: recorded with the
 * time they were first seen gone, their points removed once the job's days have passed,
 * forgotten again when they come back. Nothing counts as gone when the job's workloads
 * could not all be read this run. `remaining`: the state to keep; `removing`: workload → since.
 */
function deletedWorkloads(
  options: TransformOptions,
  inBackup: ReadonlySet<string>,
  now: string,
  info: (message: string) => void,
): { remaining: Record<string, string>; removing: Map<string, string> } {
  const { catalog, jobId, definition, present } = options;
  const absent = catalog.getJobState(jobId, STATE_KEYS.absent, absentState) ?? {};
  const removing = new Map<string, string>();
  if ('unknown' in present) {
    const waiting = Object.keys(absent).filter((workload) => inBackup.has(workload));
    info(`Workloads that left the job were not looked for this run: ${present.unknown}.${waiting.length > 0 ? ` No point of ${waiting.join(', ')} is removed while so.` : ''}`);
    return { remaining: Object.fromEntries(Object.entries(absent).filter(([workload]) => inBackup.has(workload))), removing };
  }
  const days = definition.removeDeletedWorkloadsAfterDays;
  const remaining: Record<string, string> = {};
  for (const workload of [...inBackup].sort()) {
    const since = absent[workload];
    if (present.workloads.has(workload)) {
      if (since !== undefined) info(`${workload} is in the job again (it had left on ${dateWords(since)}): its points are kept.`);
      continue;
    }
    const left = since ?? now;
    const due = Date.parse(left) + days * DAY;
    if (Date.parse(now) >= due) {
      info(`${workload} left the job on ${dateWords(left)}, more than ${count(days, 'day', 'days')} ago: its points are removed.`);
      removing.set(workload, left);
      continue;
    }
    remaining[workload] = left;
    info(
      since === undefined
        ? `${workload} is no longer in the job: its points are removed after ${count(days, 'day', 'days')}, from ${dateWords(due)}, unless it comes back.`
        : `${workload} left the job on ${dateWords(since)}: its points are removed from ${dateWords(due)}, unless it comes back.`,
    );
  }
  return { remaining, removing };
}
