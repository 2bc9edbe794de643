import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../config/private-data-dir.ts';
import { processAlive } from '../util/process-alive.ts';

export const SCHEDULER_LOCK_FILE = 'scheduler.lock';

/** The process that schedules the jobs of a data folder, if one is alive. */
export function schedulingProcess(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(JSON.parse(readFileSync(path.join(dataDir, SCHEDULER_LOCK_FILE), 'utf8')).pid);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

/**
 * One scheduler per data folder: two engines on it (the desktop app and `ferry serve`)
 * would run every job twice. The lock is a file naming the process; one left by a process
 * that is gone (crash, power loss) is taken over. Returns the release, or the pid of the
 * live holder.
 */
export function lockScheduling(dataDir: string): { release(): void } | { heldBy: number } {
  const file = path.join(dataDir, SCHEDULER_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return {
        release: () => {
          if (schedulingProcess(dataDir) === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = schedulingProcess(dataDir);
    if (holder !== undefined) return { heldBy: holder };
    // Left by a process that is gone: removed, and taken on the next attempt ('wx': of two racing takers one wins).
    rmSync(file, { force: true });
  }
  const holder = schedulingProcess(dataDir);
  return { heldBy: holder ?? 0 };
}
