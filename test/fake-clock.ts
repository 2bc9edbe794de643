import type { Clock } from '../app/util/clock.ts';
import { FerryError } from '../shared/rpc/errors.ts';

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Virtual time: sleepers wake, in order, only when the test moves the clock; an aborted sleep is dropped. */
export class FakeClock implements Clock {
  time: number;
  private sleepers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new FerryError('cancelled', 'Stopped.'));
      const sleeper = { at: this.time + ms, seq: this.seq++, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(new FerryError('cancelled', 'Stopped.'));
        },
        { once: true },
      );
    });
  }

  get sleeping(): number {
    return this.sleepers.length;
  }

  /** When the earliest sleeper wakes (undefined: none sleeps). */
  get nextWake(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.at));
  }

  /** Moves to `to`, waking every sleeper due on the way at its own time. */
  async advanceTo(to: number): Promise<void> {
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.sleepers[0];
      if (!next || next.at > to) break;
      this.sleepers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
      await flush();
    }
    this.time = Math.max(this.time, to);
    await flush();
  }

  async runAll(): Promise<void> {
    while (this.sleepers.length > 0) await this.advanceTo(Math.max(...this.sleepers.map((s) => s.at)));
  }
}
