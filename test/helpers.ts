import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';

/** A fresh temporary folder removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'ferry-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A folder the engine's user cannot create or write, by the means this user has. */
export function unwritableFolder(writableParent: string): { path: string; setUp(): Promise<void> } {
  if (process.getuid?.() === 0) {
    // root ignores file modes; sysfs refuses new folders even for root.
    return { path: '/sys/ferry-test-repository', setUp: async () => undefined };
  }
  const locked = path.join(writableParent, 'locked');
  return {
    path: path.join(locked, 'repository'),
    async setUp() {
      const { chmod, mkdir } = await import('node:fs/promises');
      await mkdir(locked);
      await chmod(locked, 0o500);
    },
  };
}

export const ferryBin = new URL('../bin/ferry.mjs', import.meta.url).pathname;
const execFileAsync = promisify(execFile);

/** Runs the `ferry` CLI (from its sources, or `bin`: the bundle) to its end: exit code and output. */
export async function runFerry(args: string[], env: NodeJS.ProcessEnv = {}, bin = ferryBin): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
