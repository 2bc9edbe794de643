import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';
import { processAliveSince } from '../util/process-alive.ts';

export const SCHEDULER_LOCK_FILE = 'scheduler.lock';

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The live process a lock's text names; none for a lock written before this boot (its pid may be another process's now). */
function liveHolder(text: string | undefined): number | undefined {
  let lock: { pid?: unknown; since?: unknown };
  try {
    lock = JSON.parse(text ?? '') as typeof lock;
  } catch {
    return undefined;
  }
  const pid = Number(lock.pid);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return processAliveSince(pid, Date.parse(String(lock.since))) ? pid : undefined;
}

/** The process that schedules the jobs of a data folder, if one is alive. */
export function schedulingProcess(dataDir: string): number | undefined {
  return liveHolder(readLock(path.join(dataDir, SCHEDULER_LOCK_FILE)));
}

/**
 * One scheduler per data folder: two engines on it (the desktop app and `ferry serve`)
 * would run every job twice. The lock is a file naming the process, written whole and
 * linked into place (never seen empty); one left by a process that is gone (a crash, or
 * one from before a power loss whose pid another process may have now) is taken over.
 * Returns the release, or the pid of the live holder.
 */
export function lockScheduling(dataDir: string): { release(): void } | { heldBy: number } {
  const file = path.join(dataDir, SCHEDULER_LOCK_FILE);
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { mode: PRIVATE_FILE_MODE });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(temporary, file);
        return {
          release: () => {
            if (schedulingProcess(dataDir) === process.pid) rmSync(file, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readLock(file);
      const holder = liveHolder(text);
      if (holder !== undefined) return { heldBy: holder };
      // Left by a process that is gone: removed only if it is still the lock judged stale, then taken on the next attempt.
      if (readLock(file) === text) rmSync(file, { force: true });
    }
    return { heldBy: schedulingProcess(dataDir) ?? 0 };
  } finally {
    rmSync(temporary, { force: true });
  }
}
