import { randomUUID } from 'node:crypto';
import { type JobDefinition, jobDefinition, type JobSummary, type SessionResult } from '../../shared/domain/job.ts';
import { FerryError, fieldError } from '../../shared/rpc/errors.ts';
import { runBackup } from '../backup/run-backup.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Inventory } from '../repositories/inventory.ts';
import type { RepositoryRegistry } from '../repositories/registry.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { overallResult, SessionRecorder } from './sessions.ts';

interface JobRow {
  id: string;
  name: string;
  kind: string;
  enabled: number;
  definition: string;
}

export interface JobEvents {
  jobsChanged(): void;
  progress(progress: { sessionId: string; jobId: string; workload: string; files: number; bytesRead: number; bytesNew: number; currentPath: string }): void;
  finished(finished: { sessionId: string; jobId: string; result: SessionResult }): void;
  backupsChanged(repositoryId: string): void;
}

const passwordSecret = (jobId: string) => `job/${jobId}/password`;

/** Jobs in the catalog, and their runs. Runs go on in the engine when the console closes. */
export class JobService {
  private readonly catalog: Catalog;
  private readonly registry: RepositoryRegistry;
  private readonly secrets: SecretStore;
  private readonly inventory: () => Inventory;
  private readonly events: JobEvents;
  private readonly log: (message: string) => void;
  private readonly running = new Map<string, { sessionId: string; controller: AbortController; done: Promise<void> }>();

  constructor(options: {
    catalog: Catalog;
    registry: RepositoryRegistry;
    secrets: SecretStore;
    inventory: () => Inventory;
    events: JobEvents;
    log: (message: string) => void;
  }) {
    this.catalog = options.catalog;
    this.registry = options.registry;
    this.secrets = options.secrets;
    this.inventory = options.inventory;
    this.events = options.events;
    this.log = options.log;
  }

  private row(id: string): JobRow {
    const row = this.catalog.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new FerryError('not_found', `No job with id ${id}.`);
    return row;
  }

  get(id: string): { id: string; definition: JobDefinition } {
    return { id, definition: jobDefinition.parse(JSON.parse(this.row(id).definition)) };
  }

  list(): JobSummary[] {
    const rows = this.catalog.db.prepare('SELECT * FROM jobs ORDER BY name COLLATE NOCASE').all() as unknown as JobRow[];
    return rows.map((row) => {
      const definition = jobDefinition.parse(JSON.parse(row.definition));
      const last = this.catalog.db
        .prepare('SELECT id, result, started_at, ended_at FROM sessions WHERE job_id = ? ORDER BY started_at DESC LIMIT 1')
        .get(row.id) as { id: string; result: SessionResult | null; started_at: string; ended_at: string | null } | undefined;
      return {
        id: row.id,
        name: definition.name,
        kind: definition.kind,
        enabled: definition.enabled,
        repositoryId: definition.repositoryId,
        workloads: definition.workloads.length,
        schedule: definition.schedule,
        running: this.running.has(row.id),
        lastSession: last ? { id: last.id, result: last.result, startedAt: last.started_at, endedAt: last.ended_at } : null,
      };
    });
  }

  async create(definition: JobDefinition, password: string | undefined): Promise<JobSummary> {
    const clash = this.catalog.db.prepare('SELECT name FROM jobs WHERE name = ? COLLATE NOCASE').get(definition.name) as { name: string } | undefined;
    if (clash) throw fieldError({ name: `A job named "${clash.name}" already exists.` });
    try {
      this.registry.get(definition.repositoryId);
    } catch {
      throw fieldError({ repositoryId: 'This repository is not registered (any more).' });
    }
    if (definition.storage.encrypted && !password) throw fieldError({ password: 'Enter a password: the backup is encrypted with it.' });
    const id = randomUUID();
    if (definition.storage.encrypted && password) await this.secrets.set(passwordSecret(id), password);
    const now = new Date().toISOString();
    this.catalog.db
      .prepare('INSERT INTO jobs (id, name, kind, enabled, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, definition.name, definition.kind, definition.enabled ? 1 : 0, JSON.stringify(definition), now, now);
    this.events.jobsChanged();
    return this.list().find((job) => job.id === id)!;
  }

  async delete(id: string): Promise<{ id: string }> {
    this.row(id);
    if (this.running.has(id)) throw new FerryError('conflict', 'The job is running: stop it first.');
    this.catalog.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    await this.secrets.delete(passwordSecret(id));
    this.events.jobsChanged();
    return { id };
  }

  /** The password of a job's encrypted backup, if the engine has it. */
  passwordFor(config: { jobId?: string | undefined }): Promise<string | undefined> {
    return config.jobId ? this.secrets.get(passwordSecret(config.jobId)) : Promise.resolve(undefined);
  }

  /** Starts a run and returns at once; progress and the end arrive as events. */
  start(id: string): { sessionId: string } {
    const { definition } = this.get(id);
    if (this.running.has(id)) throw new FerryError('conflict', `The job "${definition.name}" is already running.`);
    const session = new SessionRecorder(this.catalog, { id, name: definition.name, kind: definition.kind });
    const controller = new AbortController();
    const done = this.run(id, definition, session, controller.signal).finally(() => {
      this.running.delete(id);
      this.events.jobsChanged();
    });
    this.running.set(id, { sessionId: session.id, controller, done });
    this.events.jobsChanged();
    return { sessionId: session.id };
  }

  stop(id: string): { stopping: boolean } {
    const run = this.running.get(id);
    run?.controller.abort();
    return { stopping: run !== undefined };
  }

  /** Stops every run (engine shutdown); the repositories stay consistent. */
  stopAll(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort();
    return Promise.all([...this.running.values()].map((run) => run.done)).then(() => undefined);
  }

  /** Waits for a running job (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  private async run(id: string, definition: JobDefinition, session: SessionRecorder, signal: AbortSignal): Promise<void> {
    let result: SessionResult = 'failed';
    try {
      session.log('info', `Backup of ${definition.workloads.length} workload(s) started.`);
      const store = await this.registry.store(definition.repositoryId);
      await this.registry.open(definition.repositoryId);
      const password = definition.storage.encrypted ? await this.secrets.get(passwordSecret(id)) : undefined;
      if (definition.storage.encrypted && password === undefined) {
        throw new FerryError('wrong_password', 'The password of this job is not stored on this engine: edit the job and enter it again.');
      }
      const { tasks } = await runBackup({
        store,
        jobName: definition.name,
        jobId: id,
        level: definition.storage.compressionLevel,
        workloads: definition.workloads,
        ...(password === undefined ? {} : { password }),
        signal,
        log: (message) => session.log('warning', message),
        onProgress: (progress) => this.events.progress({ sessionId: session.id, jobId: id, ...progress }),
      });
      for (const task of tasks) {
        session.task({
          workload: task.workload,
          result: task.result,
          reason: task.reason,
          pointId: task.point?.id,
          bytesRead: task.point?.stats.bytesRead ?? 0,
          bytesNew: task.point?.stats.bytesNew ?? 0,
          bytesStored: task.point?.stats.bytesStored ?? 0,
          durationMs: task.durationMs,
        });
        for (const warning of task.warnings) session.log('warning', `${task.workload}: ${warning}`);
        session.log(task.result === 'failed' ? 'error' : 'info', `${task.workload}: ${task.result}${task.reason ? ` — ${task.reason}` : ''}`);
      }
      result = overallResult(tasks.map((t) => t.result));
      await this.inventory()
        .rescan(definition.repositoryId)
        .then(() => this.events.backupsChanged(definition.repositoryId))
        .catch((error: unknown) => session.log('warning', `Could not refresh the backup list: ${(error as Error).message}`));
    } catch (error) {
      session.log('error', (error as Error).message);
      this.log(`job ${definition.name}: ${(error as Error).message}`);
    } finally {
      session.finish(result);
      this.events.finished({ sessionId: session.id, jobId: id, result });
    }
  }
}
