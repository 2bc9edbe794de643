import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the run using a store wants of it beyond the ObjectStore calls: its stop signal
 * (a store waiting to retry gives up at once when the run is stopped) and where to log
 * (each S3 retry is in the session log). Carried by the async context, so every store
 * call a run makes, however deep, sees its own run's and no other's. A call outside any
 * run (the console listing repositories, testing a connection) has someone waiting for
 * its answer: it is retried only briefly.
 */
export interface StoreContext {
  signal?: AbortSignal | undefined;
  log?: ((message: string) => void) | undefined;
}

const current = new AsyncLocalStorage<StoreContext>();

export function withStoreContext<T>(context: StoreContext, work: () => Promise<T>): Promise<T> {
  return current.run(context, work);
}

/** The context of the run this call belongs to; undefined outside any. */
export function storeContext(): StoreContext | undefined {
  return current.getStore();
}

/** Work that outlives the run that starts it (a lock deleted later): neither its stop nor its log. */
export function outsideStoreContext<T>(work: () => T): T {
  return current.exit(work);
}
