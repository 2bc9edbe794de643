import type { EngineContract, EngineHost } from '../shared/contract/engine.ts';
import type { Handlers } from '../shared/rpc/contract.ts';
import { EventHub } from '../shared/rpc/server.ts';
import { Catalog } from './catalog/catalog.ts';
import { RepositoryRegistry } from './repositories/registry.ts';
import { VERSION } from './version.ts';

export interface EngineOptions {
  dataDir: string;
  host: EngineHost;
  log?: (message: string) => void;
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
  readonly log: (message: string) => void;
  readonly dataDir: string;
  private readonly options: EngineOptions;
  private readonly startedAt = new Date().toISOString();

  private constructor(options: EngineOptions) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.log = options.log ?? (() => undefined);
    this.catalog = new Catalog(options.dataDir);
    this.repositories = new RepositoryRegistry(this.catalog, () => void this.publishRepositories());
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
    };
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    try {
      await engine.repositories.ensureDefault(options.dataDir);
    } catch (error) {
      engine.close();
      throw error;
    }
    return engine;
  }

  close(): void {
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
