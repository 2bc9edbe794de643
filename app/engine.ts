import type { EngineContract, EngineHost } from '../shared/contract/engine.ts';
import type { Handlers } from '../shared/rpc/contract.ts';
import { EventHub } from '../shared/rpc/server.ts';
import { Catalog } from './catalog/catalog.ts';
import { makeDataDirPrivate } from './config/private-data-dir.ts';
import { Inventory } from './repositories/inventory.ts';
import { JobService } from './jobs/job-service.ts';
import { closeInterrupted, getSession, listSessions } from './jobs/sessions.ts';
import { RepositoryRegistry } from './repositories/registry.ts';
import { HOUR_MS, UsageHistory } from './repositories/usage.ts';
import { repositoryUsers } from './jobs/repository-use.ts';
import { FerryError } from '../shared/rpc/errors.ts';
import { headlessSecretKey, SealedFileSecretStore, type SecretStore } from './secrets/secret-store.ts';
import path from 'node:path';
import { VERSION } from './version.ts';
import { SECRETS_FILE } from '../shared/security/secret-files.ts';
import { TrafficRules } from './copy/traffic.ts';
import { previewCopy } from './jobs/copy-preview.ts';
import { trafficRule } from '../shared/domain/job.ts';
import { previewRuns } from '../shared/schedule/preview.ts';
import { previewRetentionOf } from './jobs/retention-preview.ts';
import { z } from 'zod';
import type { Repository } from '../shared/domain/repository.ts';
import { MailService } from './notify/mail.ts';
import { afterRunActions } from './notify/after-run.ts';
import { RpoMonitor } from './jobs/rpo.ts';
import { type Clock, systemClock } from './util/clock.ts';
import { readSchedulerSettings, Scheduler, writeSchedulerSettings } from './scheduler/scheduler.ts';
import { lockScheduling } from './scheduler/data-lock.ts';
import { storedView } from './scheduler/stored-view.ts';
import { processTimeZone } from '../shared/schedule/local-time.ts';
import { count } from '../shared/format/count.ts';

const TRAFFIC_SETTING = 'traffic.rules';

/** The saved traffic rules; a setting that no longer parses is dropped rather than half-applied. */
function readTrafficRules(catalog: Catalog) {
  return catalog.getJsonSetting(TRAFFIC_SETTING, z.array(trafficRule)) ?? [];
}

export interface EngineOptions {
  dataDir: string;
  host: EngineHost;
  log?: (message: string) => void;
  /** Where secrets live; by default sealed in the data folder with the headless key. */
  secrets?: SecretStore;
  /** Time for the engine's timers (the scheduler, the RPO check) and the copy jobs' transfer windows; tests pass a virtual one. */
  clock?: Clock;
  /** Run jobs by their schedules: the hosts that serve (the desktop app's engine, `ferry serve`), never a one-shot CLI command. */
  schedule?: boolean;
  /** Extra trust anchors (PEM) for the mail server's certificate. */
  mailCa?: string;
}

/**
 * The engine, independent of its host: the catalog, the services, the handler table
 * for the contract and the event hub. Hosts (utility process, `serve`, CLI) only
 * connect channels to it.
 */
export class Engine {
  readonly events = new EventHub<EngineContract>();
  readonly handlers: Handlers<EngineContract>;
  readonly catalog: Catalog;
  readonly repositories: RepositoryRegistry;
  readonly inventory: Inventory;
  readonly jobs: JobService;
  readonly traffic: TrafficRules;
  readonly secrets: SecretStore;
  readonly mail: MailService;
  readonly rpo: RpoMonitor;
  readonly usage: UsageHistory;
  readonly log: (message: string) => void;
  readonly dataDir: string;
  /** The scheduler, when this engine schedules (see EngineOptions.schedule and lockScheduling). */
  scheduler: Scheduler | undefined;
  private releaseScheduling: (() => void) | undefined;
  private readonly options: EngineOptions;
  private readonly startedAt = new Date().toISOString();
  /** Work the engine started on its own (the hourly usage sample): close() waits for it. */
  private readonly background = new Set<Promise<void>>();
  private readonly stopBackground = new AbortController();

  private constructor(options: EngineOptions) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.log = options.log ?? (() => undefined);
    for (const warning of makeDataDirPrivate(options.dataDir)) this.log(warning);
    this.catalog = new Catalog(options.dataDir);
    this.secrets =
      options.secrets ?? new SealedFileSecretStore(path.join(options.dataDir, SECRETS_FILE), headlessSecretKey(options.dataDir));
    this.traffic = new TrafficRules(readTrafficRules(this.catalog));
    this.mail = new MailService({ catalog: this.catalog, secrets: this.secrets, ...(options.mailCa === undefined ? {} : { ca: options.mailCa }) });
    this.rpo = new RpoMonitor({
      catalog: this.catalog,
      backups: () => this.inventory.list(),
      clock: options.clock ?? systemClock,
      log: this.log,
      onLate: (job, rpo) => {
        this.log(`job ${job.name}: ${rpo.late.map((entry) => entry.workload).join(', ')} past the RPO of ${rpo.hours} h`);
        this.events.emit('jobs.rpoLate', { jobId: job.id, jobName: job.name, rpo });
      },
      onChange: () => this.events.emit('jobs.changed', { jobs: this.jobs.list() }),
    });
    this.usage = new UsageHistory(this.catalog, options.clock ?? systemClock);
    this.repositories = new RepositoryRegistry(this.catalog, this.secrets, () => void this.publishRepositories());
    this.jobs = new JobService({
      catalog: this.catalog,
      registry: this.repositories,
      secrets: this.secrets,
      inventory: () => this.inventory,
      traffic: this.traffic,
      clock: options.clock ?? systemClock,
      log: this.log,
      afterRun: afterRunActions({ catalog: this.catalog, mail: this.mail, rpo: this.rpo, log: this.log }),
      rpoStatus: (jobId) => this.rpo.status(jobId),
      events: {
        jobsChanged: () => {
          this.scheduler?.poke();
          this.publishJobs();
        },
        progress: (progress) => this.events.emit('session.progress', progress),
        finished: (finished) => {
          this.events.emit('session.finished', finished);
          this.scheduler?.poke({ sources: true });
        },
        backupsChanged: (repositoryId) => {
          this.scheduler?.poke({ sources: true });
          this.events.emit('backups.changed', { repositoryId });
          void this.publishRepositories(repositoryId);
        },
      },
    });
    this.jobs.scheduleView = storedView(this.catalog, this.dataDir);
    this.inventory = new Inventory(this.catalog, this.repositories, (config) => this.jobs.passwordFor(config));
    this.handlers = {
      'engine.info': () => ({
        version: VERSION,
        host: this.options.host,
        dataDir: this.dataDir,
        startedAt: this.startedAt,
      }),
      'repos.list': async () => this.sampled(await this.repositories.list()),
      'repos.add': async (input) => {
        const added = await this.repositories.add(input);
        this.publishJobs();
        // Listed before the answer (a fresh repository: one listing), so a repository added
        // again shows its backups, its jobs' RPO and usage at once; a run's own rescan cannot race it.
        try {
          await this.inventory.rescan(added.id);
          this.rpo.check();
          this.scheduler?.poke({ sources: true });
          this.events.emit('backups.changed', { repositoryId: added.id });
        } catch (error) {
          this.log(`could not list the backups of ${added.name}: ${(error as Error).message}`);
        }
        void this.publishRepositories(added.id);
        return added;
      },
      'repos.remove': async (input) => {
        this.repositories.get(input.id);
        const jobs = repositoryUsers(this.catalog, input.id);
        if (input.dryRun) return { id: input.id, removed: false, jobs };
        await this.repositories.remove(input.id, () => {
          const running = jobs.filter((job) => this.jobs.isRunning(job.id)).map((job) => `“${job.name}”`);
          if (running.length > 0) throw new FerryError('conflict', `${running.join(', ')} ${running.length === 1 ? 'is' : 'are'} using this repository now: stop ${running.length === 1 ? 'it' : 'them'} first.`);
        });
        this.publishJobs();
        return { id: input.id, removed: true, jobs };
      },
      'repos.usage': (input) => {
        const ids = input.repositoryId === undefined ? this.repositories.registered().map((repo) => repo.id) : [this.repositories.get(input.repositoryId).id];
        return ids.map((repositoryId) => ({ repositoryId, samples: this.usage.samples(repositoryId, input.days) }));
      },
      'repos.testConnection': (input) => this.repositories.test(input.location),
      'repos.rescan': async (input) => {
        const backups = await this.inventory.rescan(input.id);
        this.rpo.check();
        this.scheduler?.poke({ sources: true });
        this.events.emit('backups.changed', { repositoryId: input.id });
        void this.publishRepositories();
        return backups;
      },
      'backups.list': (input) => this.inventory.list(input.repositoryId),
      'points.list': (input) => this.inventory.points(input.repositoryId, input.folder, input.workload),
      'jobs.list': () => this.jobs.list(),
      'jobs.get': (input) => this.jobs.get(input.id),
      'jobs.create': (input) => this.jobs.create(input.definition, input.password).then((job) => this.rpoChecked(job)),
      'jobs.update': (input) => this.jobs.update(input.id, input.definition, input.password).then((job) => this.rpoChecked(job)),
      'jobs.delete': (input) => this.jobs.delete(input.id, { deleteBackups: input.deleteBackups, dryRun: input.dryRun }).then((done) => this.rpoChecked(done)),
      'jobs.setEnabled': (input) => {
        const jobs = this.jobs.setEnabled(input.ids, input.enabled);
        this.rpo.check();
        return jobs.map((job) => ({ ...job, rpo: job.kind === 'backup-copy' ? this.rpo.status(job.id) : null }));
      },
      'jobs.previewCopy': (input) => previewCopy(input, this.inventory.list(), (id) => this.jobs.find(id)),
      'backups.unlock': async (input) => {
        await this.jobs.unlock(input.repositoryId, input.folder, input.password);
        await this.inventory.rescan(input.repositoryId);
        this.events.emit('backups.changed', { repositoryId: input.repositoryId });
        return { unlocked: true };
      },
      'traffic.list': () => this.traffic.list(),
      'traffic.set': (input) => {
        this.catalog.setSetting(TRAFFIC_SETTING, JSON.stringify(input.rules));
        this.traffic.set(input.rules);
        return this.traffic.list();
      },
      'schedules.preview': (input) => ({
        timeZone: processTimeZone(),
        runs: previewRuns(input.schedule, input.window, input.after ? new Date(input.after) : new Date(), input.count),
      }),
      'retention.preview': (input) =>
        previewRetentionOf(input, (repositoryId, folder, workload) => this.inventory.points(repositoryId, folder, workload), new Date((this.options.clock ?? systemClock).now())),
      'scheduler.getSettings': () => readSchedulerSettings(this.catalog),
      'scheduler.setSettings': (input) => {
        writeSchedulerSettings(this.catalog, input);
        this.scheduler?.poke();
        return readSchedulerSettings(this.catalog);
      },
      'jobs.start': (input) => this.jobs.start(input.id),
      'jobs.stop': (input) => this.jobs.stop(input.id),
      'sessions.list': (input) => listSessions(this.catalog, input),
      'sessions.get': (input) => getSession(this.catalog, input.id),
      'mail.get': () => this.mail.get(),
      'mail.set': ({ password, ...settings }) => this.mail.set(settings, password),
      'mail.test': () =>
        this.mail.send({
          subject: '[Ferry] Test mail',
          text: `This is a test mail from the Ferry engine on ${this.dataDir}.\nReports of job sessions will arrive like this.\n`,
        }),
    };
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    try {
      await engine.repositories.ensureDefault(options.dataDir);
      const interrupted = closeInterrupted(engine.catalog);
      if (interrupted > 0) engine.log(`${count(interrupted, 'session', 'sessions')} interrupted by the last stop of the engine marked failed`);
      engine.rpo.check();
      if (options.schedule) {
        engine.startScheduler(options.clock ?? systemClock);
        engine.sampleUsageHourly(options.clock ?? systemClock);
      }
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** Stops running jobs (repositories stay consistent), then closes the catalog. */
  async close(): Promise<void> {
    this.rpo.stop();
    this.stopBackground.abort();
    await Promise.all(this.background);
    await this.scheduler?.stop();
    await this.jobs.stopAll();
    // Its rescans and the records of the runs just stopped write to the catalog: they end before it closes.
    await this.scheduler?.settled();
    this.releaseScheduling?.();
    this.catalog.close();
  }

  /** Schedules this data folder's jobs, unless another live engine already does (they would run twice). */
  private startScheduler(clock: Clock): void {
    const lock = lockScheduling(this.dataDir);
    if ('heldBy' in lock) {
      this.log(`jobs are not scheduled by this engine: the engine of process ${lock.heldBy} schedules this data folder's jobs`);
      return;
    }
    this.releaseScheduling = lock.release;
    const scheduler = new Scheduler({
      catalog: this.catalog,
      jobs: this.jobs,
      inventory: this.inventory,
      clock,
      log: this.log,
      changed: () => this.publishJobs(),
      finished: (finished) => this.events.emit('session.finished', finished),
    });
    this.scheduler = scheduler;
    this.jobs.scheduleView = (id, definition, running) => scheduler.view(id, definition, running);
    scheduler.start();
  }

  private publishJobs(): void {
    this.events.emit('jobs.changed', { jobs: this.jobs.list() });
  }

  private rpoChecked<T extends { id: string }>(answer: T): T {
    this.rpo.check();
    if (!('rpo' in answer)) return answer;
    return { ...answer, rpo: this.rpo.status(answer.id) };
  }

  /** Work of the engine's own that no one waits for: its failure goes to the log, and close() waits for its end. */
  private inBackground(what: string, work: () => Promise<void>): void {
    const done: Promise<void> = work()
      .catch((error: unknown) => this.log(`${what}: ${(error as Error).message}`))
      .finally(() => this.background.delete(done));
    this.background.add(done);
  }

  /** A usage sample of each repository listed, an hour after the last (`changed`: of that one now, its backups just changed). */
  private sampled(repositories: Repository[], changed?: string): Repository[] {
    for (const repo of repositories) this.usage.record(repo.id, repo.space, repo.id === changed);
    return repositories;
  }

  /** Lists the repositories at the start of every hour, which samples their usage while no console looks. */
  private sampleUsageHourly(clock: Clock): void {
    const signal = this.stopBackground.signal;
    this.inBackground('sampling the repositories\' usage', async () => {
      for (;;) {
        await this.repositories.list().then(
          (repositories) => this.sampled(repositories),
          (error: unknown) => this.log(`could not sample the repositories' usage: ${(error as Error).message}`),
        );
        const slept = await clock.sleep(HOUR_MS - (clock.now() % HOUR_MS), signal, { background: true }).then(() => true, () => false);
        if (!slept) return;
      }
    });
  }

  private async publishRepositories(changed?: string): Promise<void> {
    try {
      this.events.emit('repos.changed', { repositories: this.sampled(await this.repositories.list(), changed) });
    } catch (error) {
      this.log(`could not publish the repository list: ${(error as Error).message}`);
    }
  }
}
