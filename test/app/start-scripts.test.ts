/**
 * `npm start`, `npm run serve` and `ferry` as an admin runs them: built only when sources
 * changed, on the port of last time, and on an old Node a sentence instead of a stack trace.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { tempDir } from '../helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface BuildScripts {
  staleBuilds(root: string, names: string[]): string[];
  buildIfNeeded(root: string, names: string[], run: (script: string) => number, say: (line: string) => void): number;
}
interface NodeCheck {
  nodeVersionProblem(version: string): string | undefined;
}
const load = async <T>(file: string) => (await import(String(new URL(`../../${file}`, import.meta.url)))) as T;
const { staleBuilds, buildIfNeeded } = await load<BuildScripts>('scripts/build-if-needed.mjs');
const { nodeVersionProblem } = await load<NodeCheck>('bin/node-check.mjs');

/** A Node older than 24 on this machine (the system's), or none. */
function oldNode(): { node: string; version: string } | undefined {
  for (const node of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(node)) continue;
    const version = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(version.split('.')[0]) < 24) return { node, version };
  }
  return undefined;
}

/** A file of `text` dated `secondsAgo` seconds ago. */
async function fileAt(file: string, secondsAgo: number, text = 'x'): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const when = new Date(Date.now() - secondsAgo * 1000);
  await utimes(file, when, when);
}

/** `npm start -- …` with no Electron runtime (the headless console); resolves with its address and all it wrote until then. */
function npmStart(args: string[]): Promise<{ child: ChildProcess; url: URL; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--', ...args], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'no-electron-here') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no address in 60 s:\n${output}`)), 60_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Ferry console: (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', take);
      resolve({ child, url: new URL(match[1]!), output });
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Stops npm and what it started (its process group), and waits until the console's port is closed. */
async function stopAll(child: ChildProcess, url: URL): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  for (let tries = 0; tries < 200; tries++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the console on ${url.host} did not stop`);
}

describe('start scripts', () => {
  it('build only what is missing or older than its sources', async (t) => {
    const dir = await tempDir(t);
    for (const input of ['renderer/main.tsx', 'shared/x.ts', 'vite.config.ts', 'main/main.ts', 'app/engine.ts', 'bin/ferry.mjs', 'package-lock.json']) {
      await fileAt(path.join(dir, input), 600);
    }
    await fileAt(path.join(dir, 'dist/renderer/index.html'), 60);
    await fileAt(path.join(dir, 'dist/main/main.cjs'), 60);
    assert.deepEqual(staleBuilds(dir, ['renderer', 'main', 'engine']), ['engine'], 'never built');
    await fileAt(path.join(dir, 'dist/engine/utility.cjs'), 60);
    assert.deepEqual(staleBuilds(dir, ['renderer', 'main', 'engine']), []);

    const ran: string[] = [];
    const said: string[] = [];
    assert.equal(buildIfNeeded(dir, ['renderer'], (script) => (ran.push(script), 0), (line) => said.push(line)), 0);
    assert.equal(ran.length, 0, 'nothing changed: nothing built');

    await fileAt(path.join(dir, 'renderer/pages/deep/Page.tsx'), 0);
    assert.deepEqual(staleBuilds(dir, ['renderer', 'main', 'engine']), ['renderer']);
    await fileAt(path.join(dir, 'shared/contract/x.ts'), 0);
    assert.deepEqual(staleBuilds(dir, ['renderer', 'main', 'engine']), ['renderer', 'main', 'engine'], 'shared code is in every build');
    assert.equal(buildIfNeeded(dir, ['renderer', 'main'], (script) => (ran.push(script), script === 'build:renderer' ? 0 : 3), (line) => said.push(line)), 3);
    assert.deepEqual(ran, ['build:renderer', 'build:main']);
    assert.deepEqual(said, ['Building the console…', 'Building the main process…']);
  });

  it('say which Node is needed, without a stack trace, on Node before 24', async (t) => {
    assert.equal(nodeVersionProblem('24.0.0'), undefined);
    assert.equal(nodeVersionProblem('25.1.0'), undefined);
    const expected = (version: string) => `Node.js 24 is needed (this is ${version}): install Node.js 24 or newer (https://nodejs.org) and run this again with it.`;
    assert.equal(nodeVersionProblem('20.20.2'), expected('20.20.2'));

    // The machine's own old Node where there is one, else this one told it is 20.
    const old = oldNode();
    const node = old?.node ?? process.execPath;
    const version = old?.version ?? '20.11.1';
    const pretend = old ? [] : ['--import', `data:text/javascript,Object.defineProperty(process.versions, 'node', { value: '${version}' })`];
    const dataDir = await tempDir(t);
    for (const entry of [['scripts/start.mjs', '--data-dir', dataDir], ['scripts/build-if-needed.mjs'], ['bin/ferry.mjs', 'serve', '--data-dir', dataDir]]) {
      const ran = spawnSync(node, [...pretend, ...entry], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'no-electron-here') } });
      assert.equal(ran.status, 1, entry[0]);
      assert.equal(ran.stderr, `${expected(version)}\n`, entry[0]);
      assert.equal(ran.stdout, '', `${entry[0]} built or started nothing`);
    }
    if (old) {
      // npm runs the scripts with the Node first on PATH: the admin's old one.
      const npm = spawnSync('npm', ['start', '--silent'], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${path.dirname(old.node)}${path.delimiter}${process.env['PATH']}` } });
      assert.equal(npm.status, 1);
      assert.match(npm.stderr, new RegExp(`^${expected(version).replace(/[.()?*+]/g, '\\$&')}\n`));
      assert.doesNotMatch(npm.stderr, /^\s+at /m, 'no stack trace');
    }
  });

  it('npm start builds nothing when nothing changed and comes back on the same address', { timeout: 180_000 }, async (t) => {
    // Up to date first (npm test has just built everything; a checkout moved since may need it).
    assert.equal(buildIfNeeded(root, ['renderer'], (script) => spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' }).status ?? 1, () => undefined), 0);
    const dataDir = await tempDir(t);
    const starts: { url: URL; output: string }[] = [];
    for (let start = 0; start < 2; start++) {
      const { child, url, output } = await npmStart(['--data-dir', dataDir]);
      starts.push({ url, output });
      await stopAll(child, url);
    }
    for (const { output } of starts) assert.doesNotMatch(output, /Building|build-main|vite/i, output);
    assert.equal(starts[1]!.url.port, starts[0]!.url.port);
    assert.equal(starts[1]!.url.host, starts[0]!.url.host);
  });
});
