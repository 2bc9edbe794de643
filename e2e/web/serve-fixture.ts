import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from 'playwright/test';
import { startServeProcess, stopProcess } from '../../test/serve-process.ts';

export interface ServedConsole {
  /** The printed URL, with its access token. */
  url: string;
  dataDir: string;
  /** Stops the host and starts it again on the same data folder (a new URL and token), on the same port if asked. */
  restart(options?: { samePort?: boolean }): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Starts `ferry serve` exactly as a user would, and reads the URL it prints. */
async function startServe(dataDir: string, port = '0'): Promise<{ child: ChildProcess; url: string }> {
  const { child, url } = await startServeProcess([path.join(repoRoot, 'bin', 'ferry.mjs'), 'serve', '--port', port, '--data-dir', dataDir], { cwd: repoRoot });
  return { child, url: url.href };
}

export const test = base.extend<{ served: ServedConsole }>({
  // Playwright reads fixture dependencies from the destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  served: async ({}, use) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-'));
    let current = await startServe(dataDir);
    await use({
      get url() {
        return current.url;
      },
      dataDir,
      async restart(options) {
        await stopProcess(current.child);
        current = await startServe(dataDir, options?.samePort ? new URL(current.url).port : '0');
      },
    });
    await stopProcess(current.child);
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect } from 'playwright/test';

export const artifacts = path.join(repoRoot, 'e2e', 'artifacts');
