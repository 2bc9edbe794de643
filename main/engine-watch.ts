import { engineContract } from '../shared/contract/engine.ts';
import type { JobSummary } from '../shared/domain/job.ts';
import type { Channel } from '../shared/rpc/channel.ts';
import { RpcClient } from '../shared/rpc/client.ts';
import type { EngineLink, SessionEnd } from './engine-status.ts';
import type { Logger } from './log.ts';

export interface EngineWatchOptions {
  /** The job list or the link changed: redraw the tray. */
  onChange(jobs: readonly JobSummary[], link: EngineLink): void;
  /** A session ended; `jobName` from the job list (undefined when the job is gone). */
  onSessionEnd(end: SessionEnd, jobName: string | undefined): void;
  readonly log: Logger;
}

/**
 * Main's own client of the engine's contract, on the port EngineProcessHost gives it
 * after each ready: the jobs (jobs.list, then jobs.changed) and the session ends
 * (session.finished). Main asks for nothing else: no secret, no data.
 */
export class EngineWatch {
  private readonly client = new RpcClient(engineContract);
  private readonly options: EngineWatchOptions;
  private currentJobs: readonly JobSummary[] = [];
  private currentLink: EngineLink = 'connecting';
  /** Bumped on every attach and jobs.changed: an older jobs.list answer is dropped. */
  private generation = 0;

  constructor(options: EngineWatchOptions) {
    this.options = options;
    this.client.on('jobs.changed', ({ jobs }) => {
      this.generation++;
      this.update(jobs, 'connected');
    });
    this.client.on('session.finished', (end) => {
      const job = this.currentJobs.find((candidate) => candidate.id === end.jobId);
      this.options.onSessionEnd(end, job?.name);
    });
    this.client.onConnectionChange((connected) => {
      // Without its engine nothing runs: the last list would claim jobs that are gone.
      if (!connected) this.update([], this.currentLink === 'stopped' ? 'stopped' : 'connecting');
    });
  }

  get jobs(): readonly JobSummary[] {
    return this.currentJobs;
  }

  get link(): EngineLink {
    return this.currentLink;
  }

  /** A new port to the engine (after each ready): subscribes again and reads the job list. */
  attach(channel: Channel): void {
    this.client.attach(channel);
    const generation = ++this.generation;
    this.client.call('jobs.list', {}).then(
      (jobs) => {
        if (generation === this.generation) this.update(jobs, 'connected');
      },
      (error: unknown) => this.options.log.warn(`engine status: could not list the jobs: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** The engine is stopped for good (quit, fatal, gave up): the tray says so. */
  stopped(): void {
    this.currentLink = 'stopped';
    this.client.close();
    this.update([], 'stopped');
  }

  private update(jobs: readonly JobSummary[], link: EngineLink): void {
    this.currentJobs = jobs;
    this.currentLink = link;
    this.options.onChange(jobs, link);
  }
}
