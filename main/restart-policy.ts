/**
 * When and how fast the engine's utility process is restarted after it dies. Pure:
 * no Electron, no timers, no clock; the host feeds it times and applies its answers.
 *
 * - Every exit main did not ask for is a crash, whatever the exit code (the engine
 *   never exits on its own), except when restarting would only loop: the engine
 *   reported `fatal` (it cannot start, e.g. a catalog from a newer version), or the
 *   process never launched (no `spawn` before its exit), or Electron reports it gone
 *   because it failed to launch or failed a code integrity check.
 * - Back-off: 1 s, 2 s, 4 s … capped at 30 s. The step counts consecutive crashes of
 *   runs that did not stay up for `stableAfterMs`; a run that did resets it to 1 s.
 * - Give up when `maxCrashes` crashes fall within `windowMs` (a crash loop).
 */

export interface RestartPolicyOptions {
  /** Delay before the first restart. */
  readonly initialDelayMs: number;
  /** Upper bound of the delay. */
  readonly maxDelayMs: number;
  /** This many crashes within `windowMs` and the host gives up. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** A run that lasted at least this long resets the back-off. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = Object.freeze({
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 60_000,
  stableAfterMs: 60_000,
});

export interface CrashHistory {
  /** Times (ms) of the crashes still inside the window, oldest first. */
  readonly crashTimes: readonly number[];
  /** Crashes in a row of runs shorter than `stableAfterMs`. */
  readonly consecutive: number;
}

export const NO_CRASHES: CrashHistory = Object.freeze({ crashTimes: Object.freeze([]), consecutive: 0 });

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly action: 'give-up'; readonly crashesInWindow: number; readonly reason: string };

export type ExitKind = 'expected' | 'fatal' | 'crash';

/** How to read an exit of the utility process (`spawned`: it launched at all). */
export function classifyExit(exit: { stopping: boolean; fatalReported: boolean; spawned: boolean }): ExitKind {
  if (exit.stopping) return 'expected';
  if (exit.fatalReported || !exit.spawned) return 'fatal';
  return 'crash';
}

/**
 * app's child-process-gone reasons that no restart fixes: the executable cannot be
 * launched, or the OS refused its code signature.
 */
const FATAL_GONE_REASONS: ReadonlySet<string> = new Set(['launch-failed', 'integrity-failure']);

export function isFatalGoneReason(reason: string): boolean {
  return FATAL_GONE_REASONS.has(reason);
}

/** Delay before restart number `consecutive` (1-based): 1 s, 2 s, 4 s … capped. */
export function backoffDelay(consecutive: number, options: RestartPolicyOptions = DEFAULT_RESTART_POLICY): number {
  const step = Math.max(1, Math.floor(consecutive));
  // 2 ** 1024 is Infinity; Math.min still caps it, but keep the exponent sane.
  const exponent = Math.min(step - 1, 30);
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** exponent);
}

/**
 * Records a crash at `now` of a run that lasted `uptimeMs`, and decides what to do.
 * Returns the new history, to pass to the next call.
 */
export function onCrash(
  history: CrashHistory,
  crash: { now: number; uptimeMs: number },
  options: RestartPolicyOptions = DEFAULT_RESTART_POLICY,
): { history: CrashHistory; decision: RestartDecision } {
  const windowStart = crash.now - options.windowMs;
  const crashTimes = [...history.crashTimes.filter((time) => time > windowStart), crash.now];
  const consecutive = crash.uptimeMs >= options.stableAfterMs ? 1 : history.consecutive + 1;
  const next: CrashHistory = { crashTimes, consecutive };
  if (crashTimes.length >= options.maxCrashes) {
    const seconds = Math.round(options.windowMs / 1000);
    return {
      history: next,
      decision: {
        action: 'give-up',
        crashesInWindow: crashTimes.length,
        reason: `The engine stopped unexpectedly ${crashTimes.length} times within ${seconds} seconds.`,
      },
    };
  }
  return {
    history: next,
    decision: { action: 'restart', delayMs: backoffDelay(consecutive, options), crashesInWindow: crashTimes.length },
  };
}
