import { type Clock, systemClock } from '../util/clock.ts';

/** Something that lets bytes through at its pace. */
export interface Throttle {
  take(bytes: number, signal?: AbortSignal): Promise<void>;
  /**
   * The most bytes worth asking for at once now (its burst), or null when nothing limits:
   * a reader that asks for more waits long with nothing to show, and holds up others
   * sharing the limit.
   */
  piece(): number | null;
}

export const unthrottled: Throttle = { take: () => Promise.resolve(), piece: () => null };

/**
 * A token bucket in its "virtual time" form: each request reserves its bytes' worth of
 * time after the previous reservation (or now, when idle) and waits until then, less a
 * burst allowance (one second's worth by default).
 * Reservations are taken in call order, so concurrent jobs sharing one bucket are served
 * first come, first served, each getting a share in proportion to what it asks.
 * `rate` is read on every request: a rule that applies only in some hours returns null
 * (no limit) outside them.
 */
export class TokenBucket implements Throttle {
  private readonly rate: () => number | null;
  private readonly clock: Clock;
  private readonly burstMs: number;
  private reservedUntil = Number.NEGATIVE_INFINITY;

  constructor(rate: () => number | null, options: { clock?: Clock; burstMs?: number } = {}) {
    this.rate = rate;
    this.clock = options.clock ?? systemClock;
    this.burstMs = options.burstMs ?? 1000;
  }

  piece(): number | null {
    const rate = this.currentRate();
    return rate === null ? null : (rate * this.burstMs) / 1000;
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(bytes)) throw new RangeError(`A throttle cannot let ${bytes} bytes through.`);
    const rate = this.currentRate();
    if (rate === null || bytes <= 0) return;
    const now = this.clock.now();
    this.reservedUntil = Math.max(this.reservedUntil, now) + (bytes * 1000) / rate;
    const wait = this.reservedUntil - now - this.burstMs;
    if (wait > 0) await this.clock.sleep(wait, signal);
  }

  /**
   * Inputs are validated (RATE_LIMIT), but a rate that is not a positive number would
   * let everything through unthrottled (NaN) or never again (0): refused here too.
   */
  private currentRate(): number | null {
    const rate = this.rate();
    if (rate !== null && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`A throttle cannot run at ${rate} bytes per second.`);
    return rate;
  }
}

/** Every throttle in turn: a job's own limit and the traffic rules its transfers fall under. */
export function allOf(throttles: readonly Throttle[]): Throttle {
  if (throttles.length === 0) return unthrottled;
  if (throttles.length === 1) return throttles[0]!;
  return {
    async take(bytes, signal) {
      for (const throttle of throttles) await throttle.take(bytes, signal);
    },
    piece: () => smallestPiece(throttles),
  };
}

/** The smallest piece of several throttles (null when none limits). */
export function smallestPiece(throttles: readonly Throttle[]): number | null {
  const pieces = throttles.map((throttle) => throttle.piece()).filter((piece) => piece !== null);
  return pieces.length === 0 ? null : Math.min(...pieces);
}
