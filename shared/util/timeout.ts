/**
 * Settles with `work`, or with `onTimeout()` after `ms`. The work itself goes on (a hung
 * network mount cannot be cancelled); the caller just stops waiting for it.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
