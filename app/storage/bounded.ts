/**
 * Runs `task` for every item, at most `limit` at a time. After the first failure no new
 * task starts; the running ones are awaited (so nothing is still writing when the caller
 * cleans up), then the first error is thrown.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  // NaN or 0 would start no worker: every task skipped, and success reported.
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`Tasks need at least 1 at a time, not ${limit}.`);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

/** `map` of every item, at most `limit` at a time (as forEachBounded); the results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  await forEachBounded(items, limit, async (item, index) => {
    results[index] = await map(item);
  });
  return results;
}
