import { uptime } from 'node:os';

/** Whether a process of this machine is alive (EPERM: alive, but another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that had `pid` at `since` (ms) may still be alive: never when
 * `since` is before this boot (its pid may be another process's now).
 */
export function processAliveSince(pid: number, since: number): boolean {
  const booted = Date.now() - uptime() * 1000;
  return since >= booted && processAlive(pid);
}
