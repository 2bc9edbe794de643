/**
 * `ferry serve --link-file`: as a service runs it, the link (with its token) goes to a file
 * only the service's user can read, never to stdout (a journal or log others may read).
 * Needs the built console (npm run build), as the other serve-process tests.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../serve-process.ts';
import { ferryBin, runFerry, tempDir } from '../helpers.ts';

const built = existsSync(fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url)));

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const linkIn = (file: string) => () => readFile(file, 'utf8').then((text) => text.trim() || undefined, () => undefined);
const status = async (link: string) => (await fetch(link, { redirect: 'manual' })).status;

function serve(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [ferryBin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('ferry serve --link-file', { skip: built ? false : 'the console is not built (npm run build)' }, () => {
  it('writes the link to a private file, never to stdout; rotation replaces it; stop removes it', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'console-link');
    await writeFile(file, 'a stale link of another run\n', { mode: 0o644 });
    const { child, output } = serve(['--data-dir', path.join(dir, 'data'), '--link-file', file]);
    t.after(() => stopProcess(child));

    const first = await until(async () => {
      const text = await linkIn(file)();
      return text?.startsWith('http') ? text : undefined;
    }, 'the link file');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(await status(first), 303, 'the link in the file lets a console in');
    await until(async () => (output().includes('Console link in:') ? true : undefined), 'the announcement');
    const token = new URL(first).searchParams.values().next().value ?? first;
    assert.ok(!output().includes(token), `no token on stdout or stderr:\n${output()}`);
    assert.match(output(), new RegExp(`Console link in: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    child.kill('SIGUSR2');
    const second = await until(async () => {
      const text = await linkIn(file)();
      return text && text !== first ? text : undefined;
    }, 'the rotated link');
    assert.equal(await status(first), 401, 'the old link is refused');
    assert.equal(await status(second), 303);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.ok(!output().includes(new URL(second).search.slice(1)), 'the new token is not printed either');

    await stopProcess(child);
    await assert.rejects(stat(file), { code: 'ENOENT' }, 'a stopped console leaves no link behind');
  });

  it('refuses to start when the link cannot be written, saying where', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'no such folder', 'console-link');
    const result = await runFerry(['serve', '--port', '0', '--data-dir', path.join(dir, 'data'), '--link-file', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Cannot write the console's link to .*no such folder.*ENOENT/);
    assert.doesNotMatch(result.stdout, /http/);
  });
});
