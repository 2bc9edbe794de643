import { FerryError } from '../../shared/rpc/errors.ts';

/** Time as waits see it: the system's, or a test's virtual one. */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms`; rejects with a `cancelled` FerryError as soon as `signal` aborts.
   * A `background` wait does not keep the process alive (a CLI exits without waiting for it).
   */
  sleep(ms: number, signal?: AbortSignal, options?: { background?: boolean }): Promise<void>;
}

/** setTimeout's longest delay: a longer one fires at once (with a warning), so longer waits are slept in turns. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const stopped = () => new FerryError('cancelled', 'Stopped.');

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal, options) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(stopped());
      if (!Number.isFinite(ms)) return reject(new RangeError(`Cannot wait ${ms} ms.`));
      const end = Date.now() + Math.max(0, ms);
      let timer: NodeJS.Timeout;
      const onAbort = () => {
        clearTimeout(timer);
        reject(stopped());
      };
      const arm = () => {
        const left = end - Date.now();
        if (left <= 0) {
          signal?.removeEventListener('abort', onAbort);
          return resolve();
        }
        timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
        if (options?.background) timer.unref();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    }),
};
