import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { FerryError } from '../../shared/rpc/errors.ts';
import { type ObjectStore, StoreError } from '../storage/object-store.ts';
import { baseName, keys } from './layout.ts';
import { type LockFile, lockFile } from './schemas.ts';
import { processAlive } from '../util/process-alive.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { outsideStoreContext } from '../storage/store-context.ts';
import { dateWords } from '../util/date-words.ts';

export type LockKind = LockFile['kind'];

/** A lock's heartbeat is refreshed this often; one not refreshed for STALE_AFTER_MS is dead. */
export const HEARTBEAT_MS = 60_000;
export const STALE_AFTER_MS = 10 * 60_000;

const CONFLICTS: Record<LockKind, readonly LockKind[]> = {
  read: ['exclusive'],
  write: ['write', 'exclusive'],
  exclusive: ['read', 'write', 'exclusive'],
};

/** Locks this process released but could not delete (storage was down): dead, whatever they say. */
const abandoned = new Set<string>();

/** A lock is stale when its heartbeat stopped, or its process on this host is gone. */
export function isStale(lock: LockFile, now: number, host = hostname()): boolean {
  if (abandoned.has(lock.id)) return true;
  if (now - Date.parse(lock.heartbeat) > STALE_AFTER_MS) return true;
  return lock.host === host && lock.pid !== process.pid && !processAlive(lock.pid);
}

export interface HeldLock {
  readonly id: string;
  /**
   * Deletes the lock. Never fails: a lock that cannot be deleted (the storage is down)
   * must not fail the run it protected. It is dead for this process at once, deleted in
   * the background once the storage answers again, and for everyone else stale by the
   * usual rules (its heartbeat stops; on this host, its process ends).
   */
  release(): Promise<void>;
}

export interface LockOptions {
  purpose: string;
  /** Retries after a conflict (two takers at once both back off, then one wins). */
  attempts?: number;
  log?: (message: string) => void;
  /** What is locked, for messages (default: the backup). */
  subject?: string;
  /** Tests: the clock the background deletion of a lock that could not be released waits with. */
  clock?: Clock;
  /**
   * How long to wait, after the retries, for a live conflicting lock to go: a run of the
   * same job elsewhere is waited for (its lock goes when it ends, or goes stale when it
   * dies), not failed. 0: only the retries of two takers at once.
   */
  waitMs?: number;
  /** A stop ends the waiting at once. */
  signal?: AbortSignal;
}

/** How long a job run waits for another run of its job (a CLI run beside the engine's) before it fails "in use". */
export const RUN_LOCK_WAIT_MS = 60 * 60_000;

/** While waiting for a live lock, how often to look again. */
const WAIT_POLL_MS = 1_000;

/** A lock that could not be deleted at release is tried again after these waits, then left to the stale rules. */
const RELEASE_RETRIES_MS = [5_000, 30_000, 60_000, 120_000, 300_000];

/**
 * Locks live as objects beside the data, so any engine reaching the repository sees
 * them, on a folder or on S3. Taking one needs no conditional write: write ours, then
 * list; if a live conflicting lock exists, remove ours and back off. Many readers,
 * one writer; `exclusive` (pruning) excludes everyone.
 */
export async function acquireLock(store: ObjectStore, backup: string, kind: LockKind, options: LockOptions): Promise<HeldLock> {
  const attempts = options.attempts ?? 4;
  let waitUntil: number | undefined;
  let waitingFor: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const id = `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
    const now = new Date().toISOString();
    const mine: LockFile = { id, kind, host: hostname(), pid: process.pid, created: now, heartbeat: now, purpose: options.purpose };
    const key = keys.lock(backup, id);
    await store.put(key, Buffer.from(JSON.stringify(mine)));
    const blocker = await findConflict(store, backup, mine, options.log);
    if (!blocker) return startHeartbeat(store, key, mine, options);
    await store.delete(key);
    const holder = `${blocker.purpose} (${blocker.kind} lock) on ${blocker.host}, process ${blocker.pid}, since ${dateWords(blocker.created)}`;
    if (attempt < attempts) {
      await systemClock.sleep(50 + Math.random() * 250 * attempt, options.signal);
      continue;
    }
    waitUntil ??= Date.now() + (options.waitMs ?? 0);
    if (Date.now() >= waitUntil) {
      throw new FerryError('conflict', `${options.subject ?? `The backup "${backup}"`} is in use: ${holder}.`, { lock: blocker });
    }
    if (waitingFor !== blocker.id) {
      waitingFor = blocker.id;
      options.log?.(`Waiting for ${holder} to finish (at most until ${dateWords(waitUntil)}).`);
    }
    await waitWhileHeld(store, keys.lock(backup, blocker.id), waitUntil, options.signal);
  }
}

/**
 * Waits until the lock at `key` is gone or stale, or `until` passes, reading only that
 * lock (one GET a second, not a take-and-give-back of our own over a long wait).
 */
async function waitWhileHeld(store: ObjectStore, key: string, until: number, signal: AbortSignal | undefined): Promise<void> {
  while (Date.now() < until) {
    await systemClock.sleep(Math.min(WAIT_POLL_MS, until - Date.now()), signal);
    let held: LockFile;
    try {
      held = lockFile.parse(JSON.parse((await store.get(key)).toString('utf8')));
    } catch {
      return; // released (or unreadable): try to take ours
    }
    if (isStale(held, Date.now())) return;
  }
}

/**
 * A read lock, or none where none can be written: a read-only or full repository (a
 * write-protected drive, a full NAS, an S3 key that may only read) is still restored
 * from and verified. `log` then says so: a writer is not kept out meanwhile.
 */
export async function acquireReadLock(store: ObjectStore, backup: string, options: LockOptions): Promise<HeldLock> {
  try {
    return await acquireLock(store, backup, 'read', options);
  } catch (error) {
    if (!(error instanceof StoreError) || (error.kind !== 'permission' && error.kind !== 'no_space')) throw error;
    options.log?.(
      `No lock could be taken on the backup "${backup}" (${error.message.replace(/\.$/, '')}): it is read without one, and a run writing to it meanwhile is not kept out.`,
    );
    return { id: '', release: async () => undefined };
  }
}

async function findConflict(
  store: ObjectStore,
  backup: string,
  mine: LockFile,
  log: ((message: string) => void) | undefined,
): Promise<LockFile | undefined> {
  const now = Date.now();
  for await (const object of store.list(keys.locks(backup))) {
    const id = baseName(object.key);
    if (id === mine.id) continue;
    let other: LockFile;
    try {
      other = lockFile.parse(JSON.parse((await store.get(object.key)).toString('utf8')));
    } catch {
      continue; // released meanwhile, or a foreign file: not a lock
    }
    if (isStale(other, now)) {
      log?.(`removing a stale ${other.kind} lock of ${other.host} process ${other.pid} (last heartbeat ${other.heartbeat})`);
      await store.delete(object.key);
      continue;
    }
    if (CONFLICTS[mine.kind].includes(other.kind)) return other;
  }
  return undefined;
}

function startHeartbeat(store: ObjectStore, key: string, lock: LockFile, options: LockOptions): HeldLock {
  let current = lock;
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = { ...current, heartbeat: new Date().toISOString() };
    beating = store.put(key, Buffer.from(JSON.stringify(current))).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    id: lock.id,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // A heartbeat still being written (retrying through an outage) would bring the lock back after its deletion.
      await beating;
      try {
        await store.delete(key);
      } catch (error) {
        abandoned.add(lock.id);
        options.log?.(
          `could not remove the ${lock.kind} lock ${key} (${(error as Error).message}); it is retried in the background, and others take it over as stale`,
        );
        outsideStoreContext(() => void deleteLater(store, key, options.clock ?? systemClock));
      }
    },
  };
}

/** Deletes a lock that could not be deleted at release, once the storage answers; gives up after a while (the stale rules remain). */
async function deleteLater(store: ObjectStore, key: string, clock: Clock): Promise<void> {
  for (const wait of RELEASE_RETRIES_MS) {
    await clock.sleep(wait, undefined, { background: true });
    try {
      await store.delete(key);
      return;
    } catch {
      // still down: wait longer
    }
  }
}
