import type { GfsSpec } from '../../shared/domain/job.ts';
import { gfsFlagsFor } from '../../shared/retention/gfs.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { Limiter } from '../../shared/util/limiter.ts';
import type { TaskResult } from '../backup/run-backup.ts';
import type { BackupStore, BlobWriter, DamagedItem } from '../repository/backup-store.ts';
import { clearLeftovers } from '../repository/leftovers.ts';
import { acquireLock, acquireReadLock, type HeldLock, RUN_LOCK_WAIT_MS } from '../repository/locks.ts';
import type { HealList, PointManifest } from '../repository/schemas.ts';
import { healListChanged, readHealList, remainingHealList, writeHealList } from '../repository/heal-list.ts';
import { copyPoint, type CopyProgress } from './copy-point.ts';
import { healPoints, type HealOutcome, type SourcePoint } from './heal.ts';
import { originKey, originOf, type PickMode, pointsToCopy } from './plan.ts';
import type { PreparedCopyTarget } from './target.ts';
import { allOf, type Throttle } from './throttle.ts';
import { type TransferGate, WindowClosedError } from './transfer-window.ts';
import type { Clock } from '../util/clock.ts';
import { dateWords } from '../util/date-words.ts';
import { count } from '../../shared/format/count.ts';

/** A backup restore points are copied from, opened (with its password) by the caller. */
export interface SourceBackup {
  backup: BackupStore;
  /** The repository it is in: its catalog id, or its location (CLI). Recorded in lineage. */
  repository: string;
  /** Only these workloads; absent: every workload. */
  workloads?: readonly string[] | undefined;
  /** Traffic rules between its repository and the target, on top of the job's own limit. */
  throttle?: Throttle | undefined;
}

/** A source that could not be opened (gone, wrong password): its workloads are unknown. */
export interface UnavailableSource {
  label: string;
  reason: string;
  /** Not an error (a source job that has not run yet): reported as a warning. */
  warning?: boolean;
}

export interface CopyTask {
  workload: string;
  result: TaskResult;
  reason?: string | undefined;
  /** The points this run wrote (several when catching up). */
  points: PointManifest[];
  bytesRead: number;
  bytesNew: number;
  bytesStored: number;
  durationMs: number;
}

export interface RunCopyOptions {
  /** The job's backup on the target, found or still to be made (see prepareCopyTarget). */
  target: PreparedCopyTarget;
  sources: readonly SourceBackup[];
  unavailable?: readonly UnavailableSource[];
  /** Workload names never copied. */
  exclusions?: readonly string[];
  mode: PickMode;
  /** Only points created at or after this ISO time are candidates (a periodic copy that looks forward). */
  notBefore?: string;
  /** How a workload a source names but no backup has is reported (default: warning). */
  missingWorkload?: 'warning' | 'failed';
  /** Workloads the run itself names (`ferry copy --workload`): reported like a source's when no source has them, even with no source at all. */
  workloads?: readonly string[];
  parallelWorkloads: number;
  /**
   * The plaintext rule: a point of an encrypted source is never stored unencrypted (a
   * target backup without encryption) unless this allows it; its workload fails, saying
   * `howToAllow`.
   */
  plaintext?: { allowed: boolean; howToAllow: string } | undefined;
  throttle: Throttle;
  /**
   * The job's transfer window: while it is closed no index, tree or chunk is read and
   * nothing is written to the target; the run pauses at a chunk boundary, or ends its
   * unfinished workloads as warnings when the gate terminates.
   */
  window?: TransferGate | undefined;
  purpose: string;
  signal?: AbortSignal | undefined;
  /** How long to wait for another run of the job that holds its backup (default RUN_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  onProgress?: ((workload: string, progress: CopyProgress) => void) | undefined;
  log?: ((level: 'info' | 'warning' | 'error', message: string) => void) | undefined;
  /** What dates the point (created, completed): the system's time, or a test's virtual one. */
  clock?: Clock | undefined;
  /** The job's GFS settings: each point written gets its flags (see gfsFlagsFor); absent: none. */
  gfs?: { spec: GfsSpec | undefined; timeZone: string } | undefined;
}

export interface CopyRun {
  /** The job's backup; undefined when it had none and no workload had a point to put in a new one. */
  target: BackupStore | undefined;
  tasks: CopyTask[];
}

interface Candidate {
  source: SourceBackup;
  point: PointManifest;
}

/** The job's backup under its write lock, and the points it holds (its index is read only when a point is to be copied). */
interface LockedTarget {
  backup: BackupStore;
  lock: HeldLock;
  points: PointManifest[];
  damaged: DamagedItem[];
}

async function lockTarget(backup: BackupStore, options: RunCopyOptions, log: (message: string) => void): Promise<LockedTarget> {
  const lock = await acquireLock(backup.store, backup.folder, 'write', {
    purpose: options.purpose,
    log,
    waitMs: options.lockWaitMs ?? RUN_LOCK_WAIT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    await backup.checkUnchanged();
    await clearLeftovers(backup, log);
    const { points, damaged } = await backup.listPoints();
    return { backup, lock, points, damaged };
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw error;
  }
}

/** The workloads with points in encrypted backups, and those backups: copied into an unencrypted one, their data would be stored in plaintext. */
function encryptedSources(candidates: ReadonlyMap<string, readonly Candidate[]>): [string, string[]][] {
  return [...candidates]
    .map(([workload, list]): [string, string[]] => [workload, [...new Set(list.filter((c) => c.source.backup.config.encryption !== null).map((c) => c.source.backup.where))]])
    .filter(([, sources]) => sources.length > 0);
}

const LOG_LEVEL = { success: 'info', warning: 'warning', failed: 'error', stopped: 'warning' } as const;

/** A workload's progress before it has anything to move. */
const idle: CopyProgress = { phase: 'planning', bytesRead: 0, bytesTransferred: 0, chunksDone: 0, chunksTotal: 0, bytesTotal: 0, currentPath: '' };

/** Work started now and awaited later: its failure is reported where it is awaited, never as unhandled. */
function inBackground<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined);
  return work;
}

/**
 * What is left of the heal list once the run's workloads are done: points healed, gone,
 * or whose chunks came back with the points this run copied leave it (said in the log).
 */
async function updateHealList(
  into: LockedTarget,
  list: HealList,
  outcomes: readonly HealOutcome[],
  indexOf: (backup: BackupStore) => Promise<void>,
  log: (level: 'info' | 'warning', message: string) => void,
): Promise<void> {
  const present = new Map(into.points.map((point) => [point.id, point]));
  try {
    if (list.points.some((entry) => present.has(entry.id))) await indexOf(into.backup);
    const healed = new Set(outcomes.filter((outcome) => outcome.healed).map((outcome) => outcome.point));
    const left = remainingHealList(list, new Set(present.keys()), healed, (id) => into.backup.has(id));
    const still = new Set(left.points.map((entry) => entry.id));
    for (const entry of list.points) {
      if (present.has(entry.id) && !healed.has(entry.id) && !still.has(entry.id)) {
        log('info', `healed the point of ${dateWords(present.get(entry.id)!.created)} of ${entry.workload}: the ${count(entry.chunks.length, 'chunk', 'chunks')} it lacked ${entry.chunks.length === 1 ? 'was' : 'were'} stored again by this run's copies.`);
      }
    }
    if (healListChanged(list, left)) await writeHealList(into.backup, left);
  } catch (error) {
    log('warning', `The heal list of ${into.backup.where} could not be brought up to date (${(error as Error).message}): the next run tries again.`);
  }
}

/**
 * One run of a copy job: under read locks on the sources and the target backup's write
 * lock, picks for every workload the points to copy (newest complete one not copied
 * yet, or all of them in order when catching up) and copies them, a few workloads at
 * once. A workload that fails leaves no point and does not stop the others. A job
 * without a backup on the target gets one only once a workload has a point to copy.
 * Indexes are read (under the locks) only of the backups a copy reads or writes: a run
 * with nothing to copy reads none (a 1 TB backup's index: ~1.7 s and ~90 MiB).
 */
export async function runCopy(options: RunCopyOptions): Promise<CopyRun> {
  const { signal, gfs } = options;
  const existing = options.target.existing;
  const log = options.log ?? (() => undefined);
  const excluded = new Set((options.exclusions ?? []).map((name) => name.toLowerCase()));
  const tasks: CopyTask[] = (options.unavailable ?? []).map((source) => ({
    workload: source.label,
    result: source.warning ? 'warning' : 'failed',
    reason: source.reason,
    points: [],
    bytesRead: 0,
    bytesNew: 0,
    bytesStored: 0,
    durationMs: 0,
  }));
  // Like every workload's result, a source that cannot be read is in the session log.
  for (const task of tasks) log(task.result === 'failed' ? 'error' : 'warning', `${task.workload}: ${task.result} — ${task.reason}`);
  const lockLog = (message: string) => log('warning', message);
  /** A damaged point file is a warning task naming it: it hides nothing else, its point alone is not copied (or, on the target, not known). */
  const damagedPoint = (item: DamagedItem, what: string) => {
    const reason = `the point file cannot be read, ${what}: ${item.message}`;
    log('warning', `${item.key}: warning — ${reason}`);
    tasks.push({ workload: item.key, result: 'warning', reason, points: [], bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 });
  };
  // An existing target is locked and read while the sources are.
  let locking = existing && inBackground(lockTarget(existing, options, lockLog));
  const sourceLocks: HeldLock[] = [];
  let writer: BlobWriter | undefined;
  /** The index reads started (at most one a backup), awaited by the copies that need them. */
  const indexes = new Map<BackupStore, Promise<void>>();
  const indexOf = (backup: BackupStore): Promise<void> => {
    let reading = indexes.get(backup);
    if (!reading) {
      reading = inBackground(backup.refreshIndex());
      indexes.set(backup, reading);
    }
    return reading;
  };
  try {
    const candidates = new Map<string, Candidate[]>();
    const waiting = new Map<string, { started: string; where: string }>();
    /** Workloads a source names explicitly: one with no point anywhere is reported. */
    const named = new Set<string>(options.workloads?.filter((workload) => !excluded.has(workload.toLowerCase())));
    /** Workloads whose points are all older than notBefore: reported, not copied. */
    const older = new Set<string>();
    /** Every point of the sources, whatever the job takes: what damaged points of the target are healed from. */
    const sourcePoints: SourcePoint[] = [];
    for (const source of options.sources) {
      if (source.backup.config.id === existing?.config.id) {
        log('warning', `${source.backup.where} is this job's own backup: it is not copied into itself.`);
        continue;
      }
      // A source on a read-only drive is copied from without a lock (said in the log).
      sourceLocks.push(await acquireReadLock(source.backup.store, source.backup.folder, { purpose: options.purpose, log: lockLog }));
      const wanted = source.workloads ? new Set(source.workloads) : undefined;
      const take = (workload: string) => (!wanted || wanted.has(workload)) && !excluded.has(workload.toLowerCase());
      for (const marker of await source.backup.listWriting()) {
        if (take(marker.workload)) waiting.set(marker.workload, { started: marker.started, where: source.backup.where });
      }
      const listing = await source.backup.listPoints();
      for (const item of listing.damaged) damagedPoint(item, 'so its point is not copied');
      const notBefore = options.notBefore === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.notBefore);
      for (const point of listing.points) {
        sourcePoints.push({ source, point });
        if (!take(point.workload)) continue;
        if (Date.parse(point.created) < notBefore) {
          older.add(point.workload);
          continue;
        }
        const list = candidates.get(point.workload) ?? [];
        list.push({ source, point });
        candidates.set(point.workload, list);
      }
      for (const workload of wanted ?? []) if (!excluded.has(workload.toLowerCase())) named.add(workload);
    }
    const refused = new Set<string>();
    for (const [workload, sources] of options.target.encrypted ? [] : encryptedSources(candidates)) {
      const which = sources.length === 1 ? `its source ${sources[0]} is encrypted` : `its sources ${sources.join(', ')} are encrypted`;
      if (options.plaintext?.allowed) {
        log('warning', `${workload}: ${which} and the target backup is not: its data is stored there unencrypted, as this copy allows.`);
        continue;
      }
      const howToAllow = options.plaintext?.howToAllow ?? 'Encrypt the target backup, or allow plaintext copies explicitly.';
      const reason = `not copied: ${which} and the target backup is not, so its data would be stored there unencrypted. ${howToAllow}`;
      log('error', `${workload}: failed — ${reason}`);
      tasks.push({ workload, result: 'failed', reason, points: [], bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 });
      candidates.delete(workload);
      waiting.delete(workload);
      refused.add(workload);
    }
    for (const workload of named) {
      if (candidates.has(workload) || waiting.has(workload) || refused.has(workload)) continue;
      const where = options.sources.map((s) => s.backup.where).join(', ') || 'any source: none holds a backup';
      const result = options.missingWorkload ?? 'warning';
      const reason = `no restore point of this workload in ${where}`;
      log(result === 'failed' ? 'error' : 'warning', `${workload}: ${result} — ${reason}`);
      tasks.push({ workload, result, reason, points: [], bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 });
    }
    for (const workload of older) {
      if (candidates.has(workload) || waiting.has(workload) || refused.has(workload)) continue;
      const reason = `no point created since ${dateWords(options.notBefore ?? 0)} (the job takes only points made in its interval)`;
      log('info', `${workload}: success — ${reason}`);
      tasks.push({ workload, result: 'success', reason, points: [], bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 });
    }
    for (const [workload, list] of candidates) {
      const backups = new Set(list.map((c) => c.source.backup.where));
      if (backups.size > 1) log('info', `${workload}: found in ${[...backups].join(', ')}; the newest point is copied.`);
    }
    if (!locking && candidates.size > 0) {
      locking = inBackground(options.target.open().then((backup) => lockTarget(backup, options, lockLog)));
    }
    const into = await locking;
    for (const item of into?.damaged ?? []) damagedPoint(item, 'so the point it held may be copied again');

    writer = into?.backup.writer();
    const copied = new Set((into?.points ?? []).map((point) => originKey(originOf(point))));
    // Points a health check found short of chunks: healed in their workload's turn (one GET when there are none).
    const healing = into && (await readHealList(into.backup).catch((error: unknown) => {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      log('warning', `${error.message} The next health check writes it again.`);
      return undefined;
    }));
    const listed = new Map(healing?.points.map((entry) => [entry.id, entry.chunks]));
    const toHeal = Map.groupBy((into?.points ?? []).filter((point) => listed.has(point.id)), (point) => point.workload);
    /** Whether what a listed point lacked is all in the target again (a copied point brought it). */
    const whole = (point: string) => into !== undefined && (listed.get(point) ?? []).every((id) => into.backup.has(id));
    /** A point of the target by its date (never its id). */
    const pointWords = (id: string) => {
      const created = into?.points.find((point) => point.id === id)?.created;
      return created === undefined ? 'a point' : `the point of ${dateWords(created)}`;
    };
    const healed: HealOutcome[] = [];
    const throttleOf = (source: SourceBackup) => (source.throttle ? allOf([options.throttle, source.throttle]) : options.throttle);
    const workloads = [...new Set([...candidates.keys(), ...waiting.keys(), ...toHeal.keys()])].sort();
    // A point is of one workload: what one workload copies never changes another's choice.
    const plans = workloads.map((workload) => {
      const newest = into?.points.filter((point) => point.workload === workload).at(-1);
      return { workload, newest, chosen: pointsToCopy(candidates.get(workload) ?? [], { copied, newest }, options.mode) };
    });
    // The indexes the copies need load at once, each backup's once.
    const reads = plans.flatMap((plan) => plan.chosen.map(({ source }) => source.backup));
    // Outside the transfer window nothing is read ahead: each copy reads its indexes once it may.
    const readAhead = !options.window || options.window.open;
    if (readAhead && into && reads.length > 0) void indexOf(into.backup);
    for (const backup of readAhead ? reads : []) void indexOf(backup);
    const slots = new Limiter(Math.max(1, options.parallelWorkloads));
    const results = await Promise.all(
      plans.map(({ workload, newest, chosen }) =>
        slots.run(async (): Promise<CopyTask> => {
          const started = Date.now();
          const task: CopyTask = { workload, result: 'success', points: [], bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 };
          let unhealed: HealOutcome[] = [];
          // Flags go to the first point of each period: the workload's points already there count.
          const targetPoints = into?.points.filter((point) => point.workload === workload) ?? [];
          try {
            if (signal?.aborted) throw new FerryError('cancelled', 'stopped before it started');
            const damaged = toHeal.get(workload);
            if (damaged && into && writer) {
              await options.window?.pass(signal, () => options.onProgress?.(workload, { ...idle, phase: 'waiting-for-window' }));
              await indexOf(into.backup);
              const outcomes = await healPoints({
                target: into.backup,
                writer,
                points: damaged,
                sourcePoints,
                readIndex: indexOf,
                throttle: throttleOf,
                window: options.window,
                signal,
                log,
              });
              healed.push(...outcomes);
              unhealed = outcomes.filter((outcome) => !outcome.healed);
            }
            for (const { source, point } of chosen) {
              // A workload with a candidate has a target: it was made above.
              if (!into || !writer) throw new FerryError('internal', 'The copy has no target backup.');
              await options.window?.pass(signal, () => options.onProgress?.(workload, { ...idle, phase: 'waiting-for-window' }));
              await Promise.all([indexOf(into.backup), indexOf(source.backup)]);
              log('info', `${workload}: copying the point of ${dateWords(point.created)} from ${source.backup.where}.`);
              const done = await copyPoint({
                source: source.backup,
                target: into.backup,
                writer,
                point,
                lineage: { backupId: source.backup.config.id, pointId: point.id, repository: source.repository, origin: originOf(point) },
                throttle: throttleOf(source),
                window: options.window,
                signal,
                onProgress: (progress) => options.onProgress?.(workload, progress),
                clock: options.clock,
                ...(gfs ? { flags: (completed: string) => gfsFlagsFor(completed, [...targetPoints, ...task.points], gfs.spec, gfs.timeZone) } : {}),
              });
              task.points.push(done);
              task.bytesRead += done.stats.bytesRead;
              task.bytesNew += done.stats.bytesNew;
              task.bytesStored += done.stats.bytesStored;
            }
            const wait = waiting.get(workload);
            const writing = wait && `a point started ${dateWords(wait.started)} is still being written in ${wait.where}`;
            if (chosen.length === 0) {
              task.reason = writing ? `waiting: ${writing}` : newest ? `up to date: the newest point (${dateWords(newest.created)}) is already copied` : 'nothing to copy';
              if (writing) options.onProgress?.(workload, { ...idle, phase: 'waiting' });
            } else if (writing) {
              task.reason = `${writing}: a later run copies it`;
            }
            unhealed = unhealed.filter((outcome) => !whole(outcome.point));
            for (const outcome of unhealed) {
              log('warning', `${pointWords(outcome.point)} of ${workload} is DAMAGED: chunks it needs are not in the backup any more and were not healed: ${outcome.reason}. Restoring it fails for the files that need them.`);
            }
            if (unhealed.length > 0) {
              // Never reported as good: a damaged point stays a warning every run until healed.
              task.result = 'warning';
              const points = unhealed.map((outcome) => pointWords(outcome.point)).join(', ');
              task.reason = `${task.reason ? `${task.reason}; ` : ''}DAMAGED: ${points}: chunks ${unhealed.length === 1 ? 'it needs' : 'they need'} are not in the backup and no source could give them`;
            }
          } catch (error) {
            // However a stop reached it (between reads, waiting for the throttle), it means the same.
            const stopped = !(error instanceof WindowClosedError) && error instanceof FerryError && error.code === 'cancelled';
            task.result = error instanceof WindowClosedError ? error.result : stopped && signal?.aborted ? 'stopped' : 'failed';
            task.reason =
              error instanceof WindowClosedError
                ? error.message
                : stopped
                ? 'stopped before its point was complete: the target shows no part of it, and the next run reuses what was transferred'
                : (error as Error).message;
          }
          task.durationMs = Date.now() - started;
          log(LOG_LEVEL[task.result], `${workload}: ${task.result}${task.reason ? ` — ${task.reason}` : ''}`);
          return task;
        }),
      ),
    );
    tasks.push(...results);
    if (into && healing) await updateHealList(into, healing, healed, indexOf, log);
    const ended = options.window?.endedBy;
    if (ended) {
      const unfinished = results.filter((task) => task.result === ended.result).map((task) => task.workload);
      if (unfinished.length > 0) log(LOG_LEVEL[ended.result], `Not copied because of the transfer window: ${unfinished.join(', ')}.`);
      // The packs already sent become part of the backup, so the next run does not send them again.
      if (ended.result === 'warning') await writer?.checkpoint().catch((error: unknown) => log('warning', `What was sent could not be recorded for the next run: ${(error as Error).message}`));
    }
    return { target: into?.backup, tasks };
  } finally {
    // Nothing is released while still being read or written.
    await writer?.close();
    await Promise.allSettled(indexes.values());
    for (const lock of sourceLocks) await lock.release().catch(() => undefined);
    const held = await locking?.catch(() => undefined);
    await held?.lock.release().catch(() => undefined);
  }
}
