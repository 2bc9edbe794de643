import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from 'playwright/test';

export interface ServedConsole {
  /** The printed URL, with its access token. */
  url: string;
  dataDir: string;
  /** Stops the host and starts it again on the same data folder (a new URL and token). */
  restart(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Starts `ferry serve` exactly as a user would, and reads the URL it prints. */
function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Ferry console: (\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
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
      async restart() {
        await stop(current.child);
        current = await startServe(dataDir);
      },
    });
    await stop(current.child);
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect } from 'playwright/test';

export const artifacts = path.join(repoRoot, 'e2e', 'artifacts');
