import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real, small file system (Linux tmpfs) for tests that need a full or read-only disk.
 * Returns the mount point, or why it cannot be had here (not Linux, not root, no
 * permission in this container) so the test can skip with that reason.
 */
export async function mountTmpfs(t: TestContext, options: string): Promise<{ dir: string } | { skip: string }> {
  if (process.platform !== 'linux') return { skip: `tmpfs is Linux-only (this is ${process.platform})` };
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const detail = ((error as { stderr?: string }).stderr ?? String(error)).trim();
    return { skip: `cannot mount a tmpfs here (${detail || 'mount failed'})` };
  }
  t.after(async () => {
    await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
    await rm(dir, { recursive: true, force: true });
  });
  return { dir };
}

/** Changes the options of a tmpfs mountTmpfs made (e.g. 'ro' once a repository is written to it). */
export async function remountTmpfs(dir: string, options: string): Promise<void> {
  await run('mount', ['-o', `remount,${options}`, dir]);
}
