import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { makeDataDirPrivate } from '../../app/config/private-data-dir.ts';
import { Engine } from '../../app/engine.ts';
import { tempDir } from '../helpers.ts';

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

/** Runs with a umask that leaves everything readable (and writable) by all: modes may not rely on it. */
function openUmask(t: TestContext): void {
  const before = process.umask(0);
  t.after(() => process.umask(before));
}

/** Starts an engine on `dataDir` and writes what it keeps there: the catalog (with its WAL), the secrets and their key. */
async function useEngine(dataDir: string): Promise<string[]> {
  const logged: string[] = [];
  const engine = await Engine.start({ dataDir, host: 'serve', log: (line) => logged.push(line) });
  try {
    await engine.secrets.set('probe', 'secret value');
    engine.catalog.setSetting('probe', 'value');
  } finally {
    await engine.close();
  }
  return logged;
}

async function assertPrivate(dataDir: string): Promise<void> {
  assert.equal((await modeOf(dataDir)).toString(8), '700', dataDir);
  const entries = await readdir(dataDir, { withFileTypes: true });
  for (const name of ['catalog.sqlite', 'secrets.sealed', 'secret.key', 'repositories']) {
    assert.ok(entries.some((entry) => entry.name === name), `${name} is written`);
  }
  for (const entry of entries) {
    const expected = entry.isDirectory() ? '700' : '600';
    assert.equal((await modeOf(path.join(dataDir, entry.name))).toString(8), expected, entry.name);
  }
}

describe('a private data folder', () => {
  it('is made 0700 with 0600 files, SQLite\'s -wal and -shm included, whatever the umask', async (t) => {
    openUmask(t);
    const dataDir = path.join(await tempDir(t), 'data');
    const engine = await Engine.start({ dataDir, host: 'serve' });
    await engine.secrets.set('probe', 'secret value');
    engine.catalog.setSetting('probe', 'value');
    // The WAL and its index exist while the catalog is open.
    const names = await readdir(dataDir);
    assert.ok(names.includes('catalog.sqlite-wal') && names.includes('catalog.sqlite-shm'), names.join(', '));
    await assertPrivate(dataDir);
    await engine.close();
    await assertPrivate(dataDir);
  });

  it('is fixed on start when an older Ferry made it readable by all', async (t) => {
    const dataDir = path.join(await tempDir(t), 'data');
    await useEngine(dataDir);
    await chmod(dataDir, 0o755);
    for (const name of await readdir(dataDir)) {
      const file = path.join(dataDir, name);
      await chmod(file, (await stat(file)).isDirectory() ? 0o755 : 0o644);
    }
    await writeFile(path.join(dataDir, 'ferry.log'), 'an older log\n', { mode: 0o666 });
    await chmod(path.join(dataDir, 'ferry.log'), 0o666);
    const logged = await useEngine(dataDir);
    assert.deepEqual(logged, []);
    await assertPrivate(dataDir);
    assert.equal((await modeOf(path.join(dataDir, 'ferry.log'))).toString(8), '600');
  });

  it('follows a data folder that is a link to where the data lives, and no link inside it', async (t) => {
    const root = await tempDir(t);
    const real = path.join(root, 'real');
    await mkdir(real, { mode: 0o755 });
    await chmod(real, 0o755);
    const outside = path.join(root, 'outside.txt');
    await writeFile(outside, 'not the engine\'s');
    await chmod(outside, 0o644);
    await symlink(outside, path.join(real, 'link'));
    await symlink(real, path.join(root, 'data'));
    assert.deepEqual(makeDataDirPrivate(path.join(root, 'data')), []);
    assert.equal((await modeOf(real)).toString(8), '700');
    assert.equal((await modeOf(outside)).toString(8), '644', 'what a link inside points to is left alone');
  });

  it('names what it could not make private, and how to fix it', async (t) => {
    const dataDir = path.join(await tempDir(t), 'data');
    await mkdir(path.join(dataDir, 'shared'), { recursive: true, mode: 0o755 });
    await chmod(path.join(dataDir, 'shared'), 0o755);
    await writeFile(path.join(dataDir, 'catalog.sqlite'), '');
    await chmod(path.join(dataDir, 'catalog.sqlite'), 0o644);
    await chmod(dataDir, 0o755);
    const warnings = makeDataDirPrivate(dataDir, {
      chmod: (file) => {
        throw Object.assign(new Error(`EPERM: operation not permitted, chmod '${file}'`), { code: 'EPERM' });
      },
    });
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings.join('\n'), /catalog\.sqlite is readable by other users .*\(EPERM\): run chmod 600 ".*catalog\.sqlite"/);
    assert.match(warnings.join('\n'), /shared is readable .*run chmod 700/);
    const logged: string[] = [];
    const engine = await Engine.start({ dataDir, host: 'cli', log: (line) => logged.push(line) });
    await engine.close();
    assert.deepEqual(logged, [], 'a real start fixes all of it');
  });

  it('leaves modes alone on Windows, where the profile\'s ACL keeps the folder private', async (t) => {
    const dataDir = path.join(await tempDir(t), 'data');
    const warnings = makeDataDirPrivate(dataDir, {
      platform: 'win32',
      chmod: () => assert.fail('no modes on Windows'),
    });
    assert.deepEqual(warnings, []);
    assert.ok((await stat(dataDir)).isDirectory(), 'the folder is still made');
  });
});
