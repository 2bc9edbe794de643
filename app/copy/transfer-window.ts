import type { TransferWindow } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { nextWindowChange, windowOpenAt } from '../../shared/schedule/window.ts';
import type { Clock } from '../util/clock.ts';

/** When a job's transfer window is open, and when that next changes (null: never). */
export interface WindowTimes {
  openAt(at: Date): boolean;
  nextChange(at: Date): Date | null;
}

/** A job's 7×24 transfer window (none: always open). */
export function windowTimes(window: TransferWindow | undefined): WindowTimes {
  return { openAt: (at) => windowOpenAt(window, at), nextChange: (at) => nextWindowChange(window, at) };
}

/**
 * A closed window ends a workload instead of pausing it: "terminate when the window
 * closes", or a window that never opens. Its point is left as a stop leaves it.
 */
export class WindowClosedError extends FerryError {
  readonly result: 'warning' | 'failed';

  constructor(result: 'warning' | 'failed', message: string) {
    super('cancelled', message);
    this.result = result;
  }
}

/**
 * Paused, a copy looks at the clock again at least this often, so a clock set back or
 * forward (or a DST change) resumes it within a minute of the window's opening.
 */
export const WINDOW_RECHECK_MS = 60_000;

export interface TransferGateOptions {
  times: WindowTimes;
  clock: Clock;
  /** End the run's unfinished workloads (as warnings) when the window closes, instead of pausing them. */
  terminate: boolean;
  log?: ((level: 'info' | 'warning' | 'error', message: string) => void) | undefined;
  /** The run paused for the window (true), or resumed (false): the job's status shows it. */
  onPause?: ((paused: boolean) => void) | undefined;
}

/** Local time as the window's grid is read: `YYYY-MM-DD HH:MM`. */
function local(ms: number): string {
  const at = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

/**
 * The transfer window as a copy run meets it at each chunk boundary: `pass` returns at
 * once while the window is open, else waits until it opens (a stop ends the wait at
 * once), or ends the run's work with a WindowClosedError when terminating. One gate is
 * shared by a run's workloads, so the pause and the resume are logged once each.
 */
export class TransferGate {
  private readonly options: TransferGateOptions;
  /** Set once the run must end for the window: every later pass throws it. */
  private ended: WindowClosedError | undefined;
  /** When the run was found paused, until a pass finds the window open again. */
  private pausedAt: number | undefined;

  constructor(options: TransferGateOptions) {
    this.options = options;
  }

  /** Whether the window is open now (and the run not ended for it). */
  get open(): boolean {
    return !this.ended && this.options.times.openAt(new Date(this.options.clock.now()));
  }

  /** The error that ended the run for the window, once it did. */
  get endedBy(): WindowClosedError | undefined {
    return this.ended;
  }

  /** Resolves when transfer may go on; `waiting` runs first when it has to wait. */
  async pass(signal: AbortSignal | undefined, waiting?: () => void): Promise<void> {
    if (this.ended) throw this.ended;
    if (this.open) return;
    const { clock, times, log } = this.options;
    const closedAt = clock.now();
    const opens = times.nextChange(new Date(closedAt));
    if (opens === null) {
      this.ended = new WindowClosedError('failed', 'not copied: the job\'s transfer window allows no hour of the week');
      log?.('error', 'The job\'s transfer window allows no hour of the week: nothing can be copied. Open some hours of its window.');
      throw this.ended;
    }
    if (this.options.terminate) {
      this.ended = new WindowClosedError('warning', `the transfer window closed (${local(closedAt)}) before its copy was complete; the next run continues it`);
      log?.('warning', `The transfer window closed (${local(closedAt)}): the run ends here, as its job terminates when the window closes; what was copied stays for the next run.`);
      throw this.ended;
    }
    if (this.pausedAt === undefined) {
      this.pausedAt = closedAt;
      log?.('info', `The transfer window is closed (${local(closedAt)}): the copy pauses until it opens (${local(opens.getTime())}).`);
      this.options.onPause?.(true);
    }
    waiting?.();
    for (;;) {
      const now = clock.now();
      const next = times.nextChange(new Date(now)) ?? new Date(now + WINDOW_RECHECK_MS);
      await clock.sleep(Math.min(Math.max(1, next.getTime() - now), WINDOW_RECHECK_MS), signal);
      if (this.ended) throw this.ended;
      if (this.open) break;
    }
    if (this.pausedAt !== undefined) {
      log?.('info', `The transfer window opened (${local(clock.now())}): the copy resumes where it paused.`);
      this.pausedAt = undefined;
      this.options.onPause?.(false);
    }
  }
}
