import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

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
