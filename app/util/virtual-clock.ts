import { FerryError } from '../../shared/rpc/errors.ts';
import type { Clock } from './clock.ts';

interface Sleeper {
  /** Elapsed (monotonic) time it wakes at. */
  due: number;
  wake(): void;
}

/**
 * A test's clock: the wall clock (`now`) and elapsed time move only when the test says so.
 * `advance` lets time pass (due sleeps wake in order, and what they start settles first);
 * `setWall` sets the wall clock back or forward as an admin or NTP would: running sleeps
 * keep their elapsed time, as setTimeout's do.
 */
export class VirtualClock implements Clock {
  private wall: number;
  private elapsed = 0;
  private sleepers: Sleeper[] = [];

  constructor(start: Date | number) {
    this.wall = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.wall;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new FerryError('cancelled', 'Stopped.'));
      if (!Number.isFinite(ms)) return reject(new RangeError(`Cannot wait ${ms} ms.`));
      const sleeper: Sleeper = {
        due: this.elapsed + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(new FerryError('cancelled', 'Stopped.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Sleeps not yet woken (tests check that an idle scheduler keeps one). */
  get pending(): number {
    return this.sleepers.length;
  }

  /**
   * Lets `ms` pass: each sleep due in it wakes at its time, in order, and `settle` (by
   * default a few turns of the event loop) runs before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = turns): Promise<void> {
    const end = this.elapsed + ms;
    await settle();
    for (;;) {
      const next = this.sleepers.reduce<Sleeper | undefined>((a, b) => (a && a.due <= b.due ? a : b), undefined);
      if (!next || next.due > end) break;
      this.wall += next.due - this.elapsed;
      this.elapsed = next.due;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.wake();
      await settle();
    }
    this.wall += end - this.elapsed;
    this.elapsed = end;
    await settle();
  }

  /** Sets the wall clock (a clock set back or forward); elapsed time and sleeps are unchanged. */
  setWall(at: Date | number): void {
    this.wall = typeof at === 'number' ? at : at.getTime();
  }
}

async function turns(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
