import type { JobSummary } from '../shared/domain/job.ts';
import { type QuitQuestion, quitQuestion } from './engine-status.ts';

export interface QuitGuardOptions {
  /** The jobs as main last heard them (EngineWatch). */
  jobs(): readonly JobSummary[];
  /** Shows the question; true when the user chose to quit. */
  ask(question: QuitQuestion): Promise<boolean>;
  /** Stops the engine (it closes the catalog and ends its runs). */
  stopEngine(): Promise<void>;
  /** app.quit(): emits before-quit again, which this guard then lets through. */
  quit(): void;
  readonly log: { info(message: string): void; error(message: string): void };
}

/**
 * Electron's before-quit, whichever way the quit came (tray, menu, Cmd+Q, the OS): while
 * jobs run, ask first, naming them; then stop the engine and let the app go. A quit asked
 * for while the question is open or the engine is stopping waits for that.
 */
export class QuitGuard {
  private readonly options: QuitGuardOptions;
  private state: 'running' | 'asking' | 'confirmed' | 'stopping' | 'stopped' = 'running';

  constructor(options: QuitGuardOptions) {
    this.options = options;
  }

  /** The before-quit listener. */
  beforeQuit(event: { preventDefault(): void }): void {
    if (this.state === 'stopped') return;
    event.preventDefault();
    if (this.state === 'asking' || this.state === 'stopping') return;
    const question = this.state === 'confirmed' ? undefined : quitQuestion(this.options.jobs());
    if (question) {
      this.state = 'asking';
      this.options.ask(question).then(
        (quit) => {
          this.state = quit ? 'confirmed' : 'running';
          if (quit) this.options.quit();
        },
        (error: unknown) => {
          this.state = 'running';
          this.options.log.error(`dialog failed: ${String(error)}`);
        },
      );
      return;
    }
    this.state = 'stopping';
    this.options.log.info('quitting: stopping the engine');
    this.options
      .stopEngine()
      .catch((error: unknown) => this.options.log.error(`engine: stop failed: ${String(error)}`))
      .finally(() => {
        this.state = 'stopped';
        this.options.quit();
      });
  }

  /** Quitting is under way (the engine stops): closing the window is no reason to say Ferry keeps running. */
  get quitting(): boolean {
    return this.state === 'stopping' || this.state === 'stopped';
  }
}
