import type { EngineContract, EngineHost } from '../shared/contract/engine.ts';
import type { Handlers } from '../shared/rpc/contract.ts';
import { EventHub } from '../shared/rpc/server.ts';
import { Catalog } from './catalog/catalog.ts';
import { makeDataDirPrivate } from './config/private-data-dir.ts';
import { Inventory } from './repositories/inventory.ts';
import { JobService } from './jobs/job-service.ts';
import { closeInterrupted, getSession, listSessions } from './jobs/sessions.ts';
import { RepositoryRegistry } from './repositories/registry.ts';
import { headlessSecretKey, SealedFileSecretStore, type SecretStore } from './secrets/secret-store.ts';
import path from 'node:path';
import { VERSION } from './version.ts';
import { SECRETS_FILE } from '../shared/security/secret-files.ts';
import { TrafficRules } from './copy/traffic.ts';
import { previewCopy } from './jobs/copy-preview.ts';
import { trafficRule } from '../shared/domain/job.ts';
import { previewRuns } from '../shared/schedule/preview.ts';
import { z } from 'zod';

const TRAFFIC_SETTING = 'traffic.rules';

/** The saved traffic rules; a setting that no longer parses is dropped rather than half-applied. */
function readTrafficRules(catalog: Catalog) {
  const parsed = z.array(trafficRule).safeParse(JSON.parse(catalog.getSetting(TRAFFIC_SETTING) ?? '[]'));
  return parsed.success ? parsed.data : [];
}

export interface EngineOptions {
  dataDir: string;
  host: EngineHost;
  log?: (message: string) => void;
  /** Where secrets live; by default sealed in the data folder with the headless key. */
  secrets?: SecretStore;
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
  readonly log: (message: string) => void;
  readonly dataDir: string;
  private readonly options: EngineOptions;
  private readonly startedAt = new Date().toISOString();

  private constructor(options: EngineOptions) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.log = options.log ?? (() => undefined);
    for (const warning of makeDataDirPrivate(options.dataDir)) this.log(warning);
    this.catalog = new Catalog(options.dataDir);
    this.secrets =
      options.secrets ?? new SealedFileSecretStore(path.join(options.dataDir, SECRETS_FILE), headlessSecretKey(options.dataDir));
    this.traffic = new TrafficRules(readTrafficRules(this.catalog));
    this.repositories = new RepositoryRegistry(this.catalog, this.secrets, () => void this.publishRepositories());
    this.jobs = new JobService({
      catalog: this.catalog,
      registry: this.repositories,
      secrets: this.secrets,
      inventory: () => this.inventory,
      traffic: this.traffic,
      log: this.log,
      events: {
        jobsChanged: () => this.events.emit('jobs.changed', { jobs: this.jobs.list() }),
        progress: (progress) => this.events.emit('session.progress', progress),
        finished: (finished) => this.events.emit('session.finished', finished),
        backupsChanged: (repositoryId) => {
          this.events.emit('backups.changed', { repositoryId });
          void this.publishRepositories();
        },
      },
    });
    this.inventory = new Inventory(this.catalog, this.repositories, (config) => this.jobs.passwordFor(config));
    this.handlers = {
      'engine.info': () => ({
        version: VERSION,
        host: this.options.host,
        dataDir: this.dataDir,
        startedAt: this.startedAt,
      }),
      'repos.list': () => this.repositories.list(),
      'repos.add': (input) => this.repositories.add(input),
      'repos.remove': (input) => this.repositories.remove(input.id),
      'repos.testConnection': (input) => this.repositories.test(input.location),
      'repos.rescan': async (input) => {
        const backups = await this.inventory.rescan(input.id);
        this.events.emit('backups.changed', { repositoryId: input.id });
        void this.publishRepositories();
        return backups;
      },
      'backups.list': (input) => this.inventory.list(input.repositoryId),
      'points.list': (input) => this.inventory.points(input.repositoryId, input.folder, input.workload),
      'jobs.list': () => this.jobs.list(),
      'jobs.get': (input) => this.jobs.get(input.id),
      'jobs.create': (input) => this.jobs.create(input.definition, input.password),
      'jobs.update': (input) => this.jobs.update(input.id, input.definition, input.password),
      'jobs.delete': (input) => this.jobs.delete(input.id),
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
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        runs: previewRuns(input.schedule, input.window, input.after ? new Date(input.after) : new Date(), input.count),
      }),
      'jobs.start': (input) => this.jobs.start(input.id),
      'jobs.stop': (input) => this.jobs.stop(input.id),
      'sessions.list': (input) => listSessions(this.catalog, { jobId: input.jobId, limit: input.limit }),
      'sessions.get': (input) => getSession(this.catalog, input.id),
    };
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    try {
      await engine.repositories.ensureDefault(options.dataDir);
      const interrupted = closeInterrupted(engine.catalog);
      if (interrupted > 0) engine.log(`${interrupted} session(s) interrupted by the last stop were marked failed`);
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** Stops running jobs (repositories stay consistent), then closes the catalog. */
  async close(): Promise<void> {
    await this.jobs.stopAll();
    this.catalog.close();
  }

  private async publishRepositories(): Promise<void> {
    try {
      this.events.emit('repos.changed', { repositories: await this.repositories.list() });
    } catch (error) {
      this.log(`could not publish the repository list: ${(error as Error).message}`);
    }
  }
}
