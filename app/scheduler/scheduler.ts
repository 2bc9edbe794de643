import type { BackupCopyJob, JobDefinition, JobStatus, SessionResult } from '../../shared/domain/job.ts';
import { dueRun, intervalAt, nextRuns } from '../../shared/schedule/calendar.ts';
import { nextWindowChange, windowOpenAt } from '../../shared/schedule/window.ts';
import { type SchedulerSettings, schedulerSettings } from '../../shared/contract/settings.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { JobService, RunEnd, RunRequest } from '../jobs/job-service.ts';
import { SessionRecorder } from '../jobs/sessions.ts';
import type { Inventory } from '../repositories/inventory.ts';
import type { Clock } from '../util/clock.ts';
import { sourceFingerprint, sourceRepositories } from './fingerprint.ts';
import { RunQueue, type QueuedRun } from './slots.ts';
import { type JobState, ScheduleState, type WorkloadState } from './state.ts';
import { dateWords } from '../util/date-words.ts';

const MINUTE = 60_000;
/**
 * The longest the loop sleeps. Timers count elapsed time, not the wall clock: a clock set
 * forward (or a machine that slept) is noticed within this, at the cost of one
 * comparison a minute.
 */
const MAX_SLEEP_MS = MINUTE;
const SETTINGS_KEY = 'scheduler.settings';
const DEFAULT_SETTINGS: SchedulerSettings = { slotsPerRepository: 4, rescanMinutes: 5 };

/** The scheduler's settings; a stored value that no longer parses falls back to the defaults. */
export function readSchedulerSettings(catalog: Catalog): SchedulerSettings {
  return catalog.getJsonSetting(SETTINGS_KEY, schedulerSettings) ?? DEFAULT_SETTINGS;
}

export function writeSchedulerSettings(catalog: Catalog, settings: SchedulerSettings): void {
  catalog.setSetting(SETTINGS_KEY, JSON.stringify(settings));
}

export interface SchedulerOptions {
  catalog: Catalog;
  jobs: JobService;
  inventory: Inventory;
  clock: Clock;
  log(message: string): void;
  /** Statuses or next runs changed (the engine publishes `jobs.changed`). */
  changed(): void;
  /** A session the scheduler itself recorded ended (an interval's warning). */
  finished(finished: { sessionId: string; jobId: string; result: SessionResult }): void;
}

type RunKind = 'schedule' | 'retry' | 'point';

interface Pending extends QueuedRun {
  kind: RunKind;
  /** The scheduled time it serves (schedule runs). */
  slot: number | null;
  note: string;
}

interface Entry {
  id: string;
  definition: JobDefinition;
  state: JobState;
  status: JobStatus;
  nextRun: number | null;
  /** A copy run reported a workload waiting for a point still being written. */
  waitingForPoint: boolean;
  /** Its sources changed since its last run: kept until a run starts (the window may be closed when it is noticed). */
  newPoints: boolean;
}

interface Decision {
  status: JobStatus;
  nextRun: number | null;
  /** When this job next needs a look (undefined: only when something happens). */
  wakeAt?: number | undefined;
  run?: Omit<Pending, 'jobId' | 'repositoryId'> | undefined;
}

const isPeriodic = (definition: JobDefinition) => definition.schedule.mode !== 'manual' && definition.schedule.mode !== 'immediate';
const windowOf = (definition: JobDefinition) => (definition.kind === 'backup-copy' ? definition.window : undefined);
const at = (ms: number) => new Date(ms);
const earliest = (...times: (number | null | undefined)[]) =>
  times.reduce<number | undefined>((a, b) => (b === null || b === undefined ? a : a === undefined ? b : Math.min(a, b)), undefined);

/**
 * The engine's scheduler: starts jobs by their schedule through the same path as Start
 * (JobService.launch: a session like a manual run). It sleeps until the next thing due
 * (at most a minute, see MAX_SLEEP_MS), never polls jobs; its state is in the catalog
 * (state.ts), so a restart neither doubles nor loses a run. Runs wait for a slot of
 * their repository (slots.ts); a periodic copy job serves one point per workload per
 * interval, retrying failed ones; an immediate one runs whenever its sources change.
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly clock: Clock;
  private readonly state: ScheduleState;
  private readonly queue = new RunQueue<Pending>();
  private entries = new Map<string, Entry>();
  private jobsVersion = '';
  private stopping = false;
  private waking = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Jobs whose run it started and has not recorded yet (JobService forgets a run a moment before). */
  private readonly active = new Set<string>();
  /** Sources may hold new points: copy jobs waiting for one compare their fingerprints. */
  private sourcesChanged = true;
  private nextRescan: number;
  private expected: { now: number; wakeAt: number } | undefined;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.clock = options.clock;
    this.state = new ScheduleState(options.catalog);
    this.nextRescan = this.clock.now() + this.rescanMs();
  }

  /** Starts the loop once the engine's start has finished (its hosts attach first). */
  start(): void {
    this.loop = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  /** Stops scheduling; runs it started and are still going are not recorded as served: they are due again after a restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waking.abort();
    await this.loop;
  }

  /** Something changed (a job edited, a run ended, backups rescanned): look again now. */
  poke(options: { sources?: boolean } = {}): void {
    if (options.sources) this.sourcesChanged = true;
    this.expected = undefined;
    this.waking.abort();
  }

  /** A job's status and next run, as `jobs.list` shows them. */
  view(jobId: string, definition: JobDefinition, running: boolean): { status: JobStatus; nextRun: string | null } {
    const entry = this.entries.get(jobId);
    if (running) return { status: 'working', nextRun: entry?.nextRun ? at(entry.nextRun).toISOString() : null };
    if (!entry) return { status: definition.enabled ? 'idle' : 'disabled', nextRun: null };
    return { status: entry.status, nextRun: entry.nextRun === null ? null : at(entry.nextRun).toISOString() };
  }

  /** Tests and benchmarks: resolves once no run it started is going and nothing is left to start. */
  async settled(): Promise<void> {
    for (;;) {
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight.size === 0) return;
      await Promise.race(this.inFlight);
    }
  }

  private slots(): number {
    return readSchedulerSettings(this.options.catalog).slotsPerRepository;
  }

  private rescanMs(): number {
    return readSchedulerSettings(this.options.catalog).rescanMinutes * MINUTE;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const now = this.clock.now();
      let wakeAt: number;
      // Between expected wake-ups with the wall clock where it should be, nothing can be due.
      const onTime = this.expected && now < this.expected.wakeAt && Math.abs(now - this.expected.now) < 1000;
      if (onTime && this.expected) wakeAt = this.expected.wakeAt;
      else {
        try {
          wakeAt = this.evaluate(now);
        } catch (error) {
          this.options.log(`scheduler: ${(error as Error).message}`);
          wakeAt = now + MAX_SLEEP_MS;
        }
      }
      const delay = Math.min(Math.max(wakeAt - now, 0), MAX_SLEEP_MS);
      this.expected = { now: now + delay, wakeAt };
      this.waking = new AbortController();
      if (this.stopping) break;
      await this.clock.sleep(delay, this.waking.signal, { background: true }).catch(() => undefined);
    }
  }

  /** Reads the jobs again when one was added, edited or deleted. */
  private reload(now: number): void {
    const version = this.options.catalog.db.prepare('SELECT COUNT(*) AS n, MAX(updated_at) AS at, SUM(length(id)) AS ids FROM jobs').get() as Record<string, unknown>;
    const key = JSON.stringify(version);
    if (key === this.jobsVersion) return;
    this.jobsVersion = key;
    const stored = this.state.jobs();
    // By name: runs due at the same time queue in the order the job list shows.
    const rows = this.options.catalog.db.prepare('SELECT id FROM jobs ORDER BY name COLLATE NOCASE').all() as { id: string }[];
    const entries = new Map<string, Entry>();
    for (const { id } of rows) {
      const definition = this.options.jobs.find(id);
      if (!definition) continue;
      const schedule = JSON.stringify(definition.schedule);
      let state = stored.get(id);
      // A new job or a changed schedule starts from now: the past of a schedule never set is not "missed".
      if (!state || state.schedule !== schedule) {
        state = { jobId: id, schedule, since: now, retriesLeft: 0, retryAt: null, fingerprint: null, status: 'idle', nextRun: null };
        this.state.saveRun(state, []);
      }
      const before = this.entries.get(id);
      entries.set(id, { id, definition, state, status: before?.status ?? state.status, nextRun: before?.nextRun ?? state.nextRun, waitingForPoint: before?.waitingForPoint ?? false, newPoints: before?.newPoints ?? false });
    }
    for (const id of this.entries.keys()) if (!entries.has(id)) this.queue.remove(id);
    this.entries = entries;
  }

  /** Looks at every job once: starts what is due, records statuses; returns when to look again. */
  private evaluate(now: number): number {
    this.reload(now);
    if (now >= this.nextRescan) {
      this.nextRescan = now + this.rescanMs();
      this.rescan();
    }
    const checkSources = this.sourcesChanged;
    this.sourcesChanged = false;
    const backups = checkSources ? this.options.inventory.list() : [];
    let wakeAt = this.nextRescan;
    let changed = false;
    for (const entry of this.entries.values()) {
      const fingerprint =
        checkSources && entry.definition.kind === 'backup-copy'
          ? sourceFingerprint(entry.definition, (id) => this.entries.get(id)?.definition, backups)
          : undefined;
      const decision = this.decide(entry, now, fingerprint);
      if (decision.run) this.queue.push({ jobId: entry.id, repositoryId: entry.definition.repositoryId, ...decision.run });
      const status = this.queue.has(entry.id) ? 'queued' : decision.status;
      if (status !== entry.status || decision.nextRun !== entry.nextRun) {
        entry.status = status;
        entry.nextRun = decision.nextRun;
        this.state.saveStatus(entry.id, status, decision.nextRun);
        changed = true;
      }
      wakeAt = earliest(wakeAt, decision.wakeAt) ?? wakeAt;
    }
    if (this.startQueued()) changed = true;
    if (changed) this.options.changed();
    return Math.max(wakeAt, now + 1);
  }

  private decide(entry: Entry, now: number, fingerprint: string | undefined): Decision {
    const { definition, state } = entry;
    const running = this.options.jobs.isRunning(entry.id) || this.active.has(entry.id);
    // Recorded for the CLI's `ferry job ls` beside this engine: a run paused for its window says so.
    const working: JobStatus = this.options.jobs.waitingForWindow(entry.id) ? 'waiting-for-window' : 'working';
    if (!definition.enabled) return { status: running ? working : 'disabled', nextRun: null };
    if (definition.schedule.mode === 'manual') return { status: running ? working : 'idle', nextRun: null };
    if (running || this.queue.has(entry.id)) return { status: running ? working : 'queued', nextRun: entry.nextRun };
    const window = windowOf(definition);
    const windowOpen = windowOpenAt(window, at(now));
    const retryDue = state.retryAt !== null && state.retriesLeft > 0 && state.retryAt <= now;
    /** A run wanted now: started, or waiting for the window to open. */
    const want = (run: Decision['run'], otherwise: Decision): Decision => {
      if (windowOpen) return { status: 'queued', nextRun: now, run };
      const opens = nextWindowChange(window, at(now))?.getTime() ?? null;
      return { status: 'waiting-for-window', nextRun: opens, wakeAt: earliest(opens, otherwise.wakeAt) };
    };
    if (fingerprint !== undefined) entry.newPoints = fingerprint !== state.fingerprint;
    const pointChanged = entry.newPoints;

    if (definition.schedule.mode === 'immediate') {
      const idle: Decision = {
        status: entry.waitingForPoint ? 'waiting-for-point' : 'idle',
        nextRun: state.retriesLeft > 0 ? state.retryAt : null,
        wakeAt: state.retriesLeft > 0 ? (state.retryAt ?? undefined) : undefined,
      };
      if (pointChanged || retryDue) return want({ kind: pointChanged ? 'point' : 'retry', slot: null, note: pointChanged ? 'Started: its sources have new points.' : 'Started again: a retry of failed workloads.' }, idle);
      return idle;
    }

    // An interval that ended is closed (its warnings) before the next one's run starts.
    if (definition.kind === 'backup-copy') this.closeInterval(entry, now);
    const due = dueRun(definition.schedule, at(state.since), at(now));
    const next = nextRuns(definition.schedule, at(Math.max(now, state.since)), 1)[0]?.getTime() ?? null;
    if (due) {
      const note = `Started by the schedule of ${dateWords(due)}${due.getTime() < now - MINUTE ? ' (missed while the engine was not running: run once now)' : ''}.`;
      return want({ kind: 'schedule', slot: due.getTime(), note }, { status: 'idle', nextRun: next, wakeAt: next ?? undefined });
    }
    const waiting = definition.kind === 'backup-copy' && this.state.workloads(entry.id).some((w) => w.copiedPoint === null);
    const retryAt = state.retriesLeft > 0 ? state.retryAt : null;
    const intervalEnd = definition.kind === 'backup-copy' ? intervalAt(definition.schedule, at(state.since))?.end.getTime() : undefined;
    const idle: Decision = {
      status: waiting ? 'waiting-for-point' : 'idle',
      nextRun: earliest(retryAt, next) ?? null,
      wakeAt: earliest(retryAt, next, waiting ? intervalEnd : undefined),
    };
    if (retryDue) return want({ kind: 'retry', slot: null, note: 'Started again: a retry of failed workloads within the interval.' }, idle);
    if (waiting && pointChanged) return want({ kind: 'point', slot: null, note: 'Started again: a source has a new point for a workload not copied in this interval.' }, idle);
    return idle;
  }

  /** Starts queued runs as slots free, in order. Returns whether any started. */
  private startQueued(): boolean {
    if (this.stopping) return false;
    const ready = this.queue.take(
      this.slots(),
      (repositoryId) => this.options.jobs.runningIn(repositoryId),
      (run) => this.options.jobs.isRunning(run.jobId) || this.active.has(run.jobId),
    );
    for (const run of ready) this.launch(run);
    return ready.length > 0;
  }

  private launch(run: Pending): void {
    const entry = this.entries.get(run.jobId);
    if (!entry || !entry.definition.enabled) return;
    const { definition, state } = entry;
    const request: RunRequest = { note: run.note };
    let fingerprint: string | undefined;
    if (definition.kind === 'backup-copy') {
      fingerprint = sourceFingerprint(definition, (id) => this.entries.get(id)?.definition, this.options.inventory.list());
      if (isPeriodic(definition)) {
        const slot = run.slot ?? state.since;
        const interval = intervalAt(definition.schedule, at(slot));
        const served = run.kind === 'schedule' ? [] : this.state.workloads(entry.id).filter((w) => w.copiedPoint !== null).map((w) => w.workload);
        if (served.length > 0) request.skipWorkloads = served;
        if (definition.schedule.mode === 'periodic' && definition.schedule.lookForward && interval) request.notBefore = interval.start.toISOString();
      }
    }
    let started: ReturnType<JobService['launch']>;
    try {
      started = this.options.jobs.launch(run.jobId, request);
    } catch (error) {
      this.options.log(`scheduler: job "${definition.name}" could not start: ${(error as Error).message}`);
      return;
    }
    entry.status = 'working';
    entry.newPoints = false;
    this.active.add(run.jobId);
    const ended = started.ended
      .then((end) => this.ended(run, end, fingerprint))
      .catch((error: unknown) => this.options.log(`scheduler: after job "${definition.name}": ${(error as Error).message}`))
      .finally(() => {
        this.active.delete(run.jobId);
        this.inFlight.delete(ended);
        this.poke();
      });
    this.inFlight.add(ended);
  }

  /** Records what a run served (not when the engine is stopping: then it is due again on restart). */
  private ended(run: Pending, end: RunEnd, fingerprint: string | undefined): void {
    const entry = this.entries.get(run.jobId);
    if (this.stopping || !entry) return;
    const { definition } = entry;
    const now = this.clock.now();
    const state = { ...entry.state };
    const retries = definition.retries;
    if (run.kind === 'schedule' && run.slot !== null) {
      state.since = run.slot;
      state.retriesLeft = retries.count;
    } else if (run.kind === 'retry') {
      state.retriesLeft = Math.max(0, state.retriesLeft - 1);
    }
    if (fingerprint !== undefined) state.fingerprint = fingerprint;
    const failed = end.tasks.some((task) => task.result === 'failed') || end.tasks.length === 0;
    state.retryAt = failed && !end.stopped && state.retriesLeft > 0 ? now + retries.intervalMinutes * MINUTE : null;
    entry.waitingForPoint = end.tasks.some((task) => task.reason?.startsWith('waiting:') ?? false);
    let workloads: WorkloadState[] | undefined;
    if (definition.kind === 'backup-copy' && isPeriodic(definition)) {
      const interval = intervalAt(definition.schedule, at(state.since));
      const start = interval?.start.getTime() ?? state.since;
      // A retry is useful only within the interval: the next one starts afresh.
      if (state.retryAt !== null && interval && state.retryAt >= interval.end.getTime()) state.retryAt = null;
      const known = new Map(this.state.workloads(entry.id).filter((w) => w.intervalStart === start).map((w) => [w.workload, w]));
      for (const task of end.tasks) {
        const before = known.get(task.workload);
        if (before?.copiedPoint) continue;
        const copied = task.result !== 'failed' && task.pointId ? task.pointId : null;
        known.set(task.workload, { workload: task.workload, intervalStart: start, copiedPoint: copied, reason: copied ? null : reasonOf(task.result, task.reason) });
      }
      workloads = [...known.values()];
    } else if (definition.kind === 'folder-backup' && state.retryAt !== null) {
      const next = nextRuns(definition.schedule, at(Math.max(now, state.since)), 1)[0]?.getTime();
      if (next !== undefined && state.retryAt >= next) state.retryAt = null;
    }
    entry.state = state;
    this.state.saveRun(state, workloads);
  }

  /** At the end of a periodic copy job's interval, workloads it did not copy are a warning session, with their reasons. */
  private closeInterval(entry: Entry, now: number): void {
    const definition = entry.definition as BackupCopyJob;
    const interval = intervalAt(definition.schedule, at(entry.state.since));
    if (!interval || interval.end.getTime() > now) return;
    const all = this.state.workloads(entry.id);
    const missed = all.filter((w) => w.copiedPoint === null && w.intervalStart === interval.start.getTime());
    if (all.length > 0) this.state.saveRun({ ...entry.state, retryAt: null, retriesLeft: 0 }, []);
    entry.state = { ...entry.state, retryAt: null, retriesLeft: 0 };
    entry.waitingForPoint = false;
    if (missed.length === 0) return;
    const session = new SessionRecorder(this.options.catalog, { id: entry.id, name: definition.name, kind: definition.kind });
    const span = `${dateWords(interval.start)} – ${dateWords(interval.end)}`;
    for (const w of missed) {
      const reason = `not copied in the interval ${span}: ${w.reason ?? 'no new point'}`;
      session.log('warning', `${w.workload}: warning — ${reason}`);
      session.task({ workload: w.workload, result: 'warning', reason, bytesRead: 0, bytesNew: 0, bytesStored: 0, durationMs: 0 });
    }
    session.finish('warning');
    this.options.finished({ sessionId: session.id, jobId: entry.id, result: 'warning' });
  }

  /** Reads again the repositories copy jobs take points from: points another machine wrote are found. */
  private rescan(): void {
    const repositories = new Set<string>();
    for (const { definition, id, status } of this.entries.values()) {
      if (definition.kind !== 'backup-copy' || !definition.enabled) continue;
      // Immediate jobs always watch their sources; periodic ones only while a workload waits for a point.
      if (definition.schedule.mode !== 'immediate' && !(status === 'waiting-for-point' && this.state.workloads(id).length > 0)) continue;
      const ids = sourceRepositories(definition, (id) => this.entries.get(id)?.definition);
      for (const id of ids ?? this.options.catalog.db.prepare('SELECT id FROM repositories').all().map((row) => String(row.id))) {
        if (id !== definition.repositoryId) repositories.add(id);
      }
    }
    if (repositories.size === 0) return;
    const scanning = Promise.all(
      [...repositories].map((id) =>
        this.options.inventory.rescan(id).catch((error: unknown) => this.options.log(`scheduler: rescan of repository ${id}: ${(error as Error).message}`)),
      ),
    ).finally(() => {
      this.inFlight.delete(scanning);
      this.poke({ sources: true });
    });
    this.inFlight.add(scanning);
  }
}

/** Why a workload was not copied, said plainly. */
function reasonOf(result: SessionResult, reason: string | undefined): string {
  if (result === 'failed') return `failed: ${reason ?? 'unknown error'}`;
  if (reason?.startsWith('waiting:')) return `source point still being written (${reason.slice('waiting:'.length).trim()})`;
  if (reason?.startsWith('up to date') || reason === 'nothing to copy') return `no new point (${reason})`;
  return reason ?? 'no new point';
}
