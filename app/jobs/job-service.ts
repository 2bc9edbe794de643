import { randomUUID } from 'node:crypto';
import {
  type BackupCopyJob,
  type FolderBackupJob,
  type JobDefinition,
  jobDefinition,
  type JobBackup,
  type JobStatus,
  type JobSummary,
  type SessionProgress,
  type SessionResult,
} from '../../shared/domain/job.ts';
import { FerryError, fieldError } from '../../shared/rpc/errors.ts';
import { runBackup, type WorkloadTask } from '../backup/run-backup.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Inventory } from '../repositories/inventory.ts';
import type { RepositoryRegistry } from '../repositories/registry.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { withStoreContext } from '../storage/store-context.ts';
import type { TrafficRules } from '../copy/traffic.ts';
import type { Clock } from '../util/clock.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { UnavailableSource } from '../copy/run-copy.ts';
import { sourceRepositories } from '../scheduler/fingerprint.ts';
import { runCopyJob } from './copy-job.ts';
import { NO_POINT_YET, previewCopy } from './copy-preview.ts';
import { checkCopyTarget, checkPlaintext, sourceErrors } from './copy-sources.ts';
import { folderErrors, folderUnreadable } from './check-folders.ts';
import { type PresentWorkloads, runTransform } from './transform.ts';
import { missingTarget } from './repository-use.ts';
import { runJobScript } from './scripts.ts';
import { overallResult, SessionRecorder, type TaskRecord } from './sessions.ts';
import { RunProgress } from './run-progress.ts';
import { jobSources } from './source-words.ts';
import { deleteBackupFolder, jobBackups } from './job-backups.ts';
import { formatBytes } from '../../shared/format/bytes.ts';
import { count } from '../../shared/format/count.ts';
import type { RpoStatus } from '../../shared/domain/after-run.ts';
import { processTimeZone } from '../../shared/schedule/local-time.ts';

interface JobRow {
  id: string;
  name: string;
  kind: string;
  enabled: number;
  definition: string;
}

export interface JobEvents {
  jobsChanged(): void;
  progress(progress: SessionProgress): void;
  finished(finished: { sessionId: string; jobId: string; result: SessionResult }): void;
  backupsChanged(repositoryId: string): void;
}

/** What a run did: its tasks, and the job's backup (none when it made none) with the workloads the job has now. */
interface JobRun {
  tasks: TaskRecord[];
  backup: BackupStore | undefined;
  present: PresentWorkloads;
}

/** How a run is asked for: by whom (said in its session log), and, for a copy job, which workloads it leaves out and since when points count. */
export interface RunRequest {
  /** Why it runs, first in its session log (e.g. "Started by the schedule of 10:00."). */
  note?: string;
  /** Workloads a copy run leaves out (already copied in this interval), besides the job's exclusions. */
  skipWorkloads?: readonly string[];
  /** A copy run takes only points created at or after this ISO time (look forward). */
  notBefore?: string;
}

/** How a run ended: its result and its tasks. */
export interface RunEnd {
  sessionId: string;
  jobId: string;
  result: SessionResult;
  tasks: TaskRecord[];
  /** It was stopped (by hand, or by the engine's shutdown). */
  stopped: boolean;
}

/** What the scheduler says of a job: its status and next run (ISO). */
export type ScheduleView = (jobId: string, definition: JobDefinition, running: boolean) => { status: JobStatus; nextRun: string | null };

/** A finished run, for what follows it (mail report, RPO check): see app/notify/after-run.ts. */
export interface FinishedRun {
  jobId: string;
  definition: JobDefinition;
  sessionId: string;
  result: SessionResult;
  /** Adds a line to the session's log (it stays open to lines after its end). */
  log: (level: 'info' | 'warning' | 'error', message: string) => void;
}

/** One run as it goes: its session, what it has moved, its stop and who stopped it. */
interface Run {
  session: SessionRecorder;
  progress: RunProgress;
  onProgress: (progress: SessionProgress) => void;
  signal: AbortSignal;
  /** Who stopped it, in words ("by hand"), once it is stopped. */
  stoppedBy: () => string;
}

/** The larger of what a stopped task recorded and what its progress reported. */
function maxMoved(task: TaskRecord, moved: { bytesRead: number; bytesNew: number; bytesStored: number }) {
  return { bytesRead: Math.max(task.bytesRead, moved.bytesRead), bytesNew: Math.max(task.bytesNew, moved.bytesNew), bytesStored: Math.max(task.bytesStored, moved.bytesStored) };
}

const passwordSecret = (jobId: string) => `job/${jobId}/password`;
const backupSecret = (backupId: string) => `backup/${backupId}/password`;

/** Jobs in the catalog, and their runs. Runs go on in the engine when the console closes. */
export class JobService {
  private readonly catalog: Catalog;
  private readonly registry: RepositoryRegistry;
  private readonly secrets: SecretStore;
  private readonly inventory: () => Inventory;
  private readonly events: JobEvents;
  private readonly traffic: TrafficRules;
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private readonly running = new Map<string, { sessionId: string; repositoryId: string; controller: AbortController; done: Promise<void>; stoppedBy?: string }>();
  /** The status and next run of each job: the engine's scheduler sets it. */
  scheduleView: ScheduleView = (_id, definition, running) => ({ status: running ? 'working' : definition.enabled ? 'idle' : 'disabled', nextRun: null });
  /** Running copy jobs paused until their transfer window opens: their status says so. */
  private readonly pausedForWindow = new Set<string>();
  private readonly afterRun: (run: FinishedRun) => Promise<void>;
  private readonly rpoStatus: (jobId: string) => RpoStatus | null;
  /** After-run work in progress per job (settled and stopAll wait for it). */
  private readonly following = new Map<string, Promise<void>>();
  /** How long a transform step (retention, compaction, health check) waits for the backup's other users before it is postponed to the next run. */
  maintenanceWaitMs = 30_000;

  constructor(options: {
    catalog: Catalog;
    registry: RepositoryRegistry;
    secrets: SecretStore;
    inventory: () => Inventory;
    events: JobEvents;
    traffic: TrafficRules;
    clock: Clock;
    log: (message: string) => void;
    /** Runs after each session ends, outside the run (the job is no longer running); never rejects. */
    afterRun?: (run: FinishedRun) => Promise<void>;
    rpoStatus?: (jobId: string) => RpoStatus | null;
  }) {
    this.afterRun = options.afterRun ?? (() => Promise.resolve());
    this.rpoStatus = options.rpoStatus ?? (() => null);
    this.traffic = options.traffic;
    this.clock = options.clock;
    this.catalog = options.catalog;
    this.registry = options.registry;
    this.secrets = options.secrets;
    this.inventory = options.inventory;
    this.events = options.events;
    this.log = options.log;
  }

  private row(id: string): JobRow {
    const row = this.catalog.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new FerryError('not_found', 'This job does not exist any more: it was deleted. Reload the job list.', { id });
    return row;
  }

  get(id: string): { id: string; definition: JobDefinition } {
    return { id, definition: jobDefinition.parse(JSON.parse(this.row(id).definition)) };
  }

  /** Every job's summary, or those of the ids given (an answer about a few jobs need not read all 500). */
  list(only?: readonly string[]): JobSummary[] {
    const all = this.catalog.db.prepare('SELECT * FROM jobs ORDER BY name COLLATE NOCASE').all() as unknown as JobRow[];
    const wanted = only && new Set(only);
    const rows = wanted ? all.filter((row) => wanted.has(row.id)) : all;
    const repositories = new Map(this.registry.registered().map((repo) => [repo.id, repo.name]));
    const jobNames = new Map(all.map((row) => [row.id, row.name]));
    const names = { job: (id: string) => jobNames.get(id), repository: (id: string) => repositories.get(id), backups: this.inventory().list() };
    // Prepared once for the whole list: preparing it per job was most of a 500-job list's time.
    const lastSession = this.catalog.db.prepare('SELECT id, result, started_at, ended_at FROM sessions WHERE job_id = ? ORDER BY started_at DESC LIMIT 1');
    return rows.map((row) => {
      const definition = jobDefinition.parse(JSON.parse(row.definition));
      const last = lastSession.get(row.id) as { id: string; result: SessionResult | null; started_at: string; ended_at: string | null } | undefined;
      const running = this.running.has(row.id);
      return {
        id: row.id,
        name: definition.name,
        kind: definition.kind,
        enabled: definition.enabled,
        repositoryId: definition.repositoryId,
        repositoryMissing: !repositories.has(definition.repositoryId),
        targetName: repositories.get(definition.repositoryId) ?? null,
        workloads: definition.kind === 'folder-backup' ? definition.workloads.length : definition.sources.length,
        sources: jobSources(definition, names),
        schedule: definition.schedule,
        allowsPlaintext: definition.kind === 'backup-copy' && definition.allowPlaintext,
        running,
        ...this.scheduleView(row.id, definition, running),
        ...(this.waitingForWindow(row.id) ? { status: 'waiting-for-window' as const } : {}),
        lastRun: last?.started_at ?? null,
        rpo: definition.kind === 'backup-copy' ? this.rpoStatus(row.id) : null,
        lastSession: last ? { id: last.id, result: last.result, startedAt: last.started_at, endedAt: last.ended_at } : null,
      };
    });
  }

  /** Checks a definition against the catalog and the folders it names; field errors name the field at fault. */
  private async check(definition: JobDefinition, password: string | undefined, self?: string): Promise<void> {
    const clash = this.catalog.db
      .prepare('SELECT id, name FROM jobs WHERE name = ? COLLATE NOCASE')
      .get(definition.name) as { id: string; name: string } | undefined;
    if (clash && clash.id !== self) throw fieldError({ name: `A job named "${clash.name}" already exists.` });
    try {
      this.registry.get(definition.repositoryId);
    } catch {
      throw fieldError({ repositoryId: 'This repository is not registered (any more).' });
    }
    if (definition.kind === 'backup-copy') {
      const jobOf = (jobId: string) => (jobId === self ? undefined : this.find(jobId));
      const sources = await sourceErrors(definition, { jobOf, registry: this.registry, backups: () => this.inventory().list(), rescan: (id) => this.inventory().rescan(id) });
      if (Object.keys(sources).length > 0) throw fieldError(sources);
      checkCopyTarget(definition, jobOf);
      checkPlaintext(definition, jobOf, this.inventory().list());
    } else {
      const folders = await folderErrors(definition);
      if (Object.keys(folders).length > 0) throw fieldError(folders);
    }
    // An edit keeps the stored password only if there is one: a job switched to encrypted needs one now, not a failure at its first run.
    const stored = self !== undefined && (await this.secrets.get(passwordSecret(self))) !== undefined;
    if (definition.storage.encrypted && !password && !stored) throw fieldError({ password: 'Enter a password: the backup is encrypted with it.' });
  }

  /** A job's definition, or undefined when there is no such job. */
  find(id: string): JobDefinition | undefined {
    const row = this.catalog.db.prepare('SELECT definition FROM jobs WHERE id = ?').get(id) as { definition: string } | undefined;
    return row ? jobDefinition.parse(JSON.parse(row.definition)) : undefined;
  }

  async create(definition: JobDefinition, password: string | undefined): Promise<JobSummary> {
    await this.check(definition, password);
    const id = randomUUID();
    if (definition.storage.encrypted && password) await this.secrets.set(passwordSecret(id), password);
    const now = new Date().toISOString();
    this.catalog.db
      .prepare('INSERT INTO jobs (id, name, kind, enabled, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, definition.name, definition.kind, definition.enabled ? 1 : 0, JSON.stringify(definition), now, now);
    this.events.jobsChanged();
    return this.list([id])[0]!;
  }

  /** Changes a job (not while it runs); a new password replaces the stored one. */
  async update(id: string, definition: JobDefinition, password: string | undefined): Promise<JobSummary> {
    const { definition: before } = this.get(id);
    if (this.running.has(id)) throw new FerryError('conflict', `The job "${before.name}" is running. Stop the job before changing it.`);
    if (before.kind !== definition.kind) throw fieldError({ kind: 'A job cannot change its kind.' });
    await this.check(definition, password, id);
    if (definition.storage.encrypted && password) await this.secrets.set(passwordSecret(id), password);
    this.catalog.db
      .prepare('UPDATE jobs SET name = ?, enabled = ?, definition = ?, updated_at = ? WHERE id = ?')
      .run(definition.name, definition.enabled ? 1 : 0, JSON.stringify(definition), new Date().toISOString(), id);
    this.events.jobsChanged();
    return this.list([id])[0]!;
  }

  /**
   * Deletes a job, and with deleteBackups the backups it wrote (each under its exclusive
   * lock). The dry run deletes nothing: its answer says what would be lost. A backup that
   * cannot be deleted (in use, offline) keeps the job, so nothing is half done unsaid.
   */
  async delete(id: string, options: { deleteBackups: boolean; dryRun: boolean }): Promise<{ id: string; deleted: boolean; backups: JobBackup[] }> {
    const { definition } = this.get(id);
    const backups = jobBackups(id, definition, this.inventory().list(), this.registry);
    const answer = { id, backups: backups.map((entry) => entry.view) };
    if (options.dryRun) return { ...answer, deleted: false };
    if (this.running.has(id)) throw new FerryError('conflict', `The job "${definition.name}" is running. Stop it before deleting it.`);
    if (options.deleteBackups) {
      for (const { backup } of backups) {
        try {
          await deleteBackupFolder(this.registry, backup, definition.name);
        } catch (error) {
          const where = `${answer.backups.find((view) => view.folder === backup.folder && view.repositoryId === backup.repositoryId)?.repositoryName ?? 'its repository'}`;
          throw new FerryError(error instanceof FerryError ? error.code : 'internal', `The backup "${backup.folder}" on ${where} could not be deleted, so the job "${definition.name}" was kept: ${(error as Error).message}`);
        } finally {
          await this.inventory()
            .rescan(backup.repositoryId)
            .then(() => this.events.backupsChanged(backup.repositoryId))
            .catch((error: unknown) => this.log(`after deleting the backup of job ${definition.name}: ${(error as Error).message}`));
        }
      }
    }
    this.catalog.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    await this.secrets.delete(passwordSecret(id));
    this.events.jobsChanged();
    return { ...answer, deleted: true };
  }

  /** Enables or disables jobs; an unknown id refuses them all, naming it. */
  setEnabled(ids: readonly string[], enabled: boolean): JobSummary[] {
    const unique = [...new Set(ids)];
    const found = unique.map((id) => ({ id, definition: this.find(id) }));
    const missing = found.filter((entry) => entry.definition === undefined).map((entry) => entry.id);
    if (missing.length > 0) {
      throw new FerryError('not_found', `${missing.length === 1 ? 'A job was' : `${missing.length} jobs were`} not found (deleted meanwhile?): nothing was changed. Reload the job list.`, { ids: missing });
    }
    const now = new Date().toISOString();
    this.catalog.transaction(() => {
      for (const { id, definition } of found) {
        if (definition!.enabled === enabled) continue;
        this.catalog.db
          .prepare('UPDATE jobs SET enabled = ?, definition = ?, updated_at = ? WHERE id = ?')
          .run(enabled ? 1 : 0, JSON.stringify({ ...definition, enabled }), now, id);
      }
    });
    this.events.jobsChanged();
    return this.list(unique);
  }

  /** The password of an encrypted backup, if the engine has it: its job's, or one given to unlock it. */
  async passwordFor(config: { id: string; jobId?: string | undefined }): Promise<string | undefined> {
    const ofJob = config.jobId ? await this.secrets.get(passwordSecret(config.jobId)) : undefined;
    return ofJob ?? this.secrets.get(backupSecret(config.id));
  }

  /** Keeps the password of a backup this engine did not make (a copy source, a seed), once it opens it. */
  async unlock(repositoryId: string, folder: string, password: string): Promise<void> {
    const repository = await this.registry.open(repositoryId);
    const backup = await repository.openBackup(folder, password, { index: false });
    await this.secrets.set(backupSecret(backup.config.id), password);
  }

  /** Starts a run and returns at once; progress and the end arrive as events. */
  start(id: string): { sessionId: string } {
    const { definition } = this.get(id);
    if (!this.registry.has(definition.repositoryId)) throw missingTarget(definition.name);
    return { sessionId: this.launch(id, { note: 'Started by hand.' }).sessionId };
  }

  /**
   * Starts a run (by hand or by the scheduler: the same path) and returns at once with the
   * promise of its end (after its session is recorded; the after-run work follows).
   */
  launch(id: string, request: RunRequest = {}): { sessionId: string; ended: Promise<RunEnd> } {
    const { definition } = this.get(id);
    if (this.running.has(id)) throw new FerryError('conflict', `The job "${definition.name}" is already running.`);
    const session = new SessionRecorder(this.catalog, { id, name: definition.name, kind: definition.kind });
    if (request.note) session.log('info', request.note);
    const controller = new AbortController();
    // The run's stores retry into its session log, and stop retrying when it is stopped.
    const context = { signal: controller.signal, log: (message: string) => session.log('warning', message) };
    const progress = new RunProgress(this.catalog, session.id, this.clock, definition.kind === 'backup-copy' ? 'bytesStored' : 'bytesRead');
    const onProgress = (update: SessionProgress) => {
      progress.update(update);
      this.events.progress(update);
    };
    const stoppedBy = () => this.running.get(id)?.stoppedBy ?? 'the engine';
    const ran = withStoreContext(context, () => this.run(id, definition, { session, progress, onProgress, signal: controller.signal, stoppedBy }, request)).finally(() => {
      this.running.delete(id);
      this.pausedForWindow.delete(id);
      this.events.jobsChanged();
    });
    // After the previous run's report, so the latest entry covers every report still going.
    const following: Promise<void> = Promise.all([this.following.get(id), ran])
      .then(([, { result }]) => this.afterRun({ jobId: id, definition, sessionId: session.id, result, log: (level, message) => session.log(level, message) }))
      .catch((error: unknown) => this.log(`job ${definition.name}: after the run: ${(error as Error).message}`))
      .finally(() => {
        if (this.following.get(id) === following) this.following.delete(id);
      });
    this.following.set(id, following);
    const done = ran.then(() => undefined);
    this.running.set(id, { sessionId: session.id, repositoryId: definition.repositoryId, controller, done });
    this.events.jobsChanged();
    return { sessionId: session.id, ended: ran };
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Runs whose job writes to this repository (the scheduler's slots count them). */
  runningIn(repositoryId: string): number {
    let count = 0;
    for (const run of this.running.values()) if (run.repositoryId === repositoryId) count++;
    return count;
  }

  /** Whether the job runs but is paused until its transfer window opens: its status says so, not 'working'. */
  waitingForWindow(id: string): boolean {
    return this.pausedForWindow.has(id);
  }

  stop(id: string): { stopping: boolean } {
    const run = this.running.get(id);
    if (run && !run.controller.signal.aborted) {
      run.stoppedBy = 'by hand';
      run.controller.abort();
    }
    return { stopping: run !== undefined };
  }

  /** Stops every run (engine shutdown); the repositories stay consistent. */
  stopAll(): Promise<void> {
    for (const run of this.running.values()) {
      if (run.controller.signal.aborted) continue;
      run.stoppedBy = 'because the engine shut down';
      run.controller.abort();
    }
    return Promise.all([...this.running.values()].map((run) => run.done)).then(async () => {
      await Promise.all(this.following.values());
    });
  }

  /** Waits for a running job (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
    await this.following.get(id);
  }

  /** The job's backup password from the secret store; an encrypted job without one cannot run. */
  private async jobPassword(id: string, definition: JobDefinition): Promise<string | undefined> {
    if (!definition.storage.encrypted) return undefined;
    const password = await this.secrets.get(passwordSecret(id));
    if (password === undefined) {
      throw new FerryError('wrong_password', 'The password of this job is not stored on this engine: edit the job and enter it again.');
    }
    return password;
  }

  private async runFolderBackup(id: string, definition: FolderBackupJob, run: Run): Promise<JobRun> {
    const { session, signal } = run;
    session.log('info', `Backup of ${count(definition.workloads.length, 'workload', 'workloads')} started: ${definition.workloads.map((w) => w.name).join(', ')}.`);
    // A workload none of whose folders can be read fails before the repository is touched: a run with none left makes no (empty) backup.
    const unreadable = new Map<string, string>();
    for (const workload of definition.workloads) {
      const faults = await Promise.all(workload.folders.map(async (folder) => ({ folder, fault: await folderUnreadable(folder) })));
      const bad = faults.filter((entry) => entry.fault !== undefined);
      if (bad.length === workload.folders.length) {
        unreadable.set(workload.name, `${bad.map(({ folder, fault }) => `The folder ${folder} of workload ${workload.name} cannot be read: ${fault!.words}.`).join(' ')} Nothing was backed up for it.`);
      }
    }
    const readable = definition.workloads.filter((workload) => !unreadable.has(workload.name));
    let ran: { backup: BackupStore | undefined; tasks: WorkloadTask[] } = { backup: undefined, tasks: [] };
    if (readable.length > 0) {
      const store = await this.registry.store(definition.repositoryId);
      await this.registry.open(definition.repositoryId);
      const password = await this.jobPassword(id, definition);
      ran = await runBackup({
        store,
        jobName: definition.name,
        jobId: id,
        level: definition.storage.compressionLevel,
        workloads: readable,
        ...(password === undefined ? {} : { password }),
        signal,
        clock: this.clock,
        log: (message) => session.log('warning', message),
        onProgress: (progress) => run.onProgress({ sessionId: session.id, jobId: id, ...progress }),
      });
    }
    const { backup } = ran;
    // In the job's order of workloads.
    const tasks = definition.workloads.map(
      (workload) =>
        ran.tasks.find((task) => task.workload === workload.name) ?? { workload: workload.name, result: 'failed' as const, reason: unreadable.get(workload.name), warnings: [], durationMs: 0 },
    );
    const records = tasks.map((task) => {
      for (const warning of task.warnings) session.log('warning', `${task.workload}: ${warning}`);
      session.log(task.result === 'failed' ? 'error' : 'info', `${task.workload}: ${task.result}${task.reason ? ` — ${task.reason}` : ''}`);
      return {
        workload: task.workload,
        result: task.result,
        reason: task.reason,
        pointId: task.point?.id,
        bytesRead: task.point?.stats.bytesRead ?? 0,
        bytesNew: task.point?.stats.bytesNew ?? 0,
        bytesStored: task.point?.stats.bytesStored ?? 0,
        durationMs: task.durationMs,
      };
    });
    return { tasks: records, backup, present: { workloads: new Set(definition.workloads.map((workload) => workload.name)) } };
  }

  private async runBackupCopy(id: string, definition: BackupCopyJob, run: Run, request: RunRequest): Promise<JobRun> {
    const { session, signal } = run;
    const sources = this.list([id])[0]?.sources ?? [];
    session.log('info', `Copy to ${this.registry.get(definition.repositoryId).name} started, from ${sources.join('; ')}.`);
    const { tasks, backup, unavailable } = await runCopyJob({
      jobId: id,
      definition: { ...definition, exclusions: [...definition.exclusions, ...(request.skipWorkloads ?? [])] },
      ...(request.notBefore === undefined ? {} : { notBefore: request.notBefore }),
      password: await this.jobPassword(id, definition),
      registry: this.registry,
      traffic: this.traffic,
      clock: this.clock,
      timeZone: processTimeZone(),
      job: (jobId) => this.find(jobId),
      passwordFor: (config) => this.passwordFor(config),
      signal,
      log: (level, message) => session.log(level, message),
      onWindowPause: (paused) => {
        if (paused) this.pausedForWindow.add(id);
        else this.pausedForWindow.delete(id);
        this.events.jobsChanged();
      },
      onProgress: (progress) => run.onProgress({ sessionId: session.id, jobId: id, ...progress }),
    });
    return {
      tasks: tasks.map((task) => ({ ...task, pointId: task.points.at(-1)?.id })),
      backup,
      present: this.copyWorkloads(definition, unavailable, tasks.map((task) => task.workload)),
    };
  }

  /**
   * The workloads a copy job has now: those the copy preview gives (as the scheduler sees
   * its sources) and those this run found in them. Unknown when a source could not be read
   * (offline, locked, no password) or its repository was never scanned: then no workload
   * counts as gone.
   */
  private copyWorkloads(definition: BackupCopyJob, unavailable: readonly UnavailableSource[], seen: readonly string[]): PresentWorkloads {
    if (unavailable.length > 0) return { unknown: `${unavailable.map((source) => source.label).join(', ')} could not be read` };
    const jobOf = (jobId: string) => this.find(jobId);
    const repositories = sourceRepositories(definition, jobOf) ?? new Set(this.registry.registered().map((repo) => repo.id).filter((id) => id !== definition.repositoryId));
    const unscanned = [...repositories].filter((id) => this.catalog.getSetting(`scanned/${id}`) === undefined);
    if (unscanned.length > 0) return { unknown: `the backups of ${unscanned.map((id) => this.registry.registered().find((repo) => repo.id === id)?.name ?? id).join(', ')} were never listed` };
    const rows = previewCopy({ sources: definition.sources, exclusions: definition.exclusions, repositoryId: definition.repositoryId }, this.inventory().list(), jobOf);
    const unreadable = rows.filter((row) => row.workload === '');
    if (unreadable.length > 0) return { unknown: `${unreadable.map((row) => row.backupName).join(', ')} cannot be read (${unreadable[0]!.skipped ?? 'locked'})` };
    const given = rows.filter((row) => row.skipped === null || row.skipped === NO_POINT_YET).map((row) => row.workload);
    return { workloads: new Set([...given, ...seen]) };
  }

  private async run(id: string, definition: JobDefinition, run: Run, request: RunRequest): Promise<RunEnd> {
    const { session, signal } = run;
    let result: SessionResult = 'failed';
    let recorded: TaskRecord[] = [];
    // A script that fails or hangs is a warning of the session; the work's own results stand.
    let scriptsOk = true;
    const script = async (when: 'before' | 'after') => {
      const spec = definition.scripts[when];
      if (spec === null) return;
      const job = { name: definition.name, sessionId: session.id, ...(when === 'after' ? { result: scriptsOk ? result : overallResult([result, 'warning']) } : {}) };
      const stoppable = when === 'before' ? { signal } : {};
      if (!(await runJobScript({ script: spec, when, job, log: (level, message) => session.log(level, message), ...stoppable }))) scriptsOk = false;
    };
    try {
      // A scheduled run of such a job fails in words, with a session the admin sees.
      if (!this.registry.has(definition.repositoryId)) throw missingTarget(definition.name);
      await script('before');
      const { tasks, backup, present } =
        definition.kind === 'folder-backup'
          ? await this.runFolderBackup(id, definition, run)
          : await this.runBackupCopy(id, definition, run, request);
      // A stopped workload reports what it moved before the stop (its point's bytes are kept for the next run).
      recorded = tasks.map((task) => (task.result === 'stopped' ? { ...task, ...maxMoved(task, run.progress.moved(task.workload)) } : task));
      for (const task of recorded) session.task(task);
      result = overallResult(recorded.map((t) => t.result));
      if (backup !== undefined) {
        const transformed = await runTransform({
          jobId: id,
          definition,
          backup,
          present,
          catalog: this.catalog,
          clock: this.clock,
          timeZone: processTimeZone(),
          signal,
          waitMs: this.maintenanceWaitMs,
          log: (level, message) => session.log(level, message),
        }).catch((error: unknown) => {
          // Each step reports its own failure; this is one around them (the catalog): still only a warning.
          session.log('warning', `The transform phase failed: ${(error as Error).message}`);
          return 'warning' as const;
        });
        result = overallResult([result, transformed]);
        // Only the job's own backup changed (a run with nothing to copy may have made none).
        await this.inventory()
          .rescanBackup(definition.repositoryId, backup.folder)
          .then(() => this.events.backupsChanged(definition.repositoryId))
          .catch((error: unknown) => session.log('warning', `Could not refresh the backup list: ${(error as Error).message}`));
      }
    } catch (error) {
      session.log('error', (error as Error).message);
      this.log(`job ${definition.name}: ${(error as Error).message}`);
    } finally {
      // A stop is its own result, not a failure: a workload it cut short is 'stopped' (a failed one still fails the run);
      // one before any workload ended stops the run. Once the workloads are done, their results stand (the transform phase says what the stop left).
      if (signal.aborted && recorded.length === 0) result = 'stopped';
      if (result === 'stopped') {
        const read = recorded.reduce((sum, task) => sum + task.bytesRead, 0);
        const stored = recorded.reduce((sum, task) => sum + task.bytesNew, 0);
        session.log('warning', `Stopped ${run.stoppedBy()}: ${formatBytes(read)} read, ${formatBytes(stored)} of new data stored. What was stored stays: the next run goes on from there.`);
      }
      await script('after');
      if (!scriptsOk) result = overallResult([result, 'warning']);
      run.progress.finish();
      session.finish(result);
      this.events.finished({ sessionId: session.id, jobId: id, result });
    }
    return { sessionId: session.id, jobId: id, result, tasks: recorded, stopped: signal.aborted };
  }
}
