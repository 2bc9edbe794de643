/** At most `limit` tasks at once; `acquire` waits for a free place (FIFO). */
export class Limiter {
  private readonly limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    // Zero or NaN places would make every task wait forever.
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`A limiter needs a whole number of places of at least 1, not ${limit}.`);
    this.limit = limit;
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** Runs `task` in a place; the place is freed when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}

/**
 * Runs `task` for the items in order, at most `limit` at once, calling `before` before
 * starting each (throwing there stops, e.g. when cancelled). After a failure no more
 * start; once the running ones have settled, the first failure is thrown.
 */
export async function eachInTurn<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<void>, before?: () => void): Promise<void> {
  const places = new Limiter(limit);
  let failure: { error: unknown } | undefined;
  const running: Promise<void>[] = [];
  try {
    for (const item of items) {
      before?.();
      await places.acquire();
      if (failure) break;
      running.push(
        task(item)
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => places.release()),
      );
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}
