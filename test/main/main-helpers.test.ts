import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import { chooseDataDir, dataDirFromArgv } from '../../main/app-paths.ts';
import { type SecretCipher, SecretStore } from '../../main/secret-store.ts';
import { externalUrlToOpen, isRendererUrl, parseDevServerUrl, type RendererLocation } from '../../main/url-policy.ts';
import { FerryError } from '../../shared/rpc/errors.ts';

/** A fresh temporary folder removed when the test ends. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-main-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('url policy', () => {
  const file: RendererLocation = { kind: 'file', url: pathToFileURL('/opt/Ferry/resources/app.asar/dist/renderer/index.html').href };
  const dev: RendererLocation = { kind: 'dev-server', url: 'http://localhost:5173/' };

  it('accepts our page file, with any query or fragment', () => {
    assert.ok(isRendererUrl(file.url, file, 'linux'));
    assert.ok(isRendererUrl(`${file.url}#/repositories`, file, 'linux'));
    assert.ok(isRendererUrl(`${file.url}?x=1`, file, 'linux'));
  });

  it('refuses other files and other schemes', () => {
    assert.ok(!isRendererUrl(pathToFileURL('/etc/passwd').href, file, 'linux'));
    assert.ok(!isRendererUrl('file:///opt/Ferry/resources/app.asar/dist/renderer/other.html', file, 'linux'));
    assert.ok(!isRendererUrl('https://example.com/dist/renderer/index.html', file, 'linux'));
    assert.ok(!isRendererUrl('file://evil-host/opt/Ferry/resources/app.asar/dist/renderer/index.html', file, 'linux'));
    assert.ok(!isRendererUrl('not a url', file, 'linux'));
    assert.ok(!isRendererUrl('about:blank', file, 'linux'));
  });

  it('compares Windows paths without case', () => {
    const win: RendererLocation = { kind: 'file', url: 'file:///C:/Program%20Files/Ferry/resources/app.asar/dist/renderer/index.html' };
    assert.ok(isRendererUrl('file:///c:/program%20files/ferry/resources/app.asar/dist/renderer/index.html', win, 'win32'));
    assert.ok(!isRendererUrl('file:///c:/program%20files/ferry/resources/app.asar/dist/renderer/index.html', win, 'linux'));
  });

  it('accepts the dev server by origin only', () => {
    assert.ok(isRendererUrl('http://localhost:5173/src/page?x#y', dev));
    assert.ok(!isRendererUrl('http://localhost:5174/', dev));
    assert.ok(!isRendererUrl('https://localhost:5173/', dev));
    assert.ok(!isRendererUrl('http://evil.example/', dev));
  });

  it('takes only loopback http(s) dev servers', () => {
    assert.equal(parseDevServerUrl(undefined), undefined);
    assert.equal(parseDevServerUrl('  '), undefined);
    assert.deepEqual(parseDevServerUrl('http://localhost:5173'), { url: 'http://localhost:5173/' });
    assert.deepEqual(parseDevServerUrl('http://127.0.0.1:5173/'), { url: 'http://127.0.0.1:5173/' });
    assert.deepEqual(parseDevServerUrl('http://[::1]:5173/'), { url: 'http://[::1]:5173/' });
    for (const bad of ['https://example.com', 'file:///tmp/index.html', 'javascript:alert(1)', 'http://user:pw@localhost/', 'nope']) {
      const result = parseDevServerUrl(bad);
      assert.ok(result && 'error' in result, bad);
    }
  });

  it('opens only https links externally', () => {
    assert.equal(externalUrlToOpen('https://ferry.dev/docs'), 'https://ferry.dev/docs');
    assert.equal(externalUrlToOpen('http://ferry.dev/'), undefined);
    assert.equal(externalUrlToOpen('file:///etc/passwd'), undefined);
    assert.equal(externalUrlToOpen('smb://server/share'), undefined);
    assert.equal(externalUrlToOpen('https://user:pw@ferry.dev/'), undefined);
    assert.equal(externalUrlToOpen('garbage'), undefined);
  });
});

describe('data dir choice', () => {
  const base = { env: {}, home: '/home/ada', userData: '/home/ada/.config/Ferry', cwd: '/work' };

  it('reads --data-dir=<dir> and --data-dir <dir>', () => {
    assert.equal(dataDirFromArgv(['electron', '.', '--data-dir=/tmp/a']), '/tmp/a');
    assert.equal(dataDirFromArgv(['ferry', '--data-dir', '/tmp/b']), '/tmp/b');
    assert.equal(dataDirFromArgv(['ferry', '--data-dir']), undefined);
    assert.equal(dataDirFromArgv(['ferry', '--data-dir=']), undefined);
    assert.equal(dataDirFromArgv(['ferry', '--', '--data-dir=/x']), undefined);
    assert.equal(dataDirFromArgv(['--data-dir=/only-argv0-is-skipped']), undefined);
  });

  it('prefers the flag, then FERRY_DATA_DIR, then the default', () => {
    const env = { FERRY_DATA_DIR: '/srv/ferry' };
    assert.deepEqual(
      chooseDataDir({ ...base, env, argv: ['x', '--data-dir=rel/dir'], platform: 'linux' }),
      { dataDir: path.resolve('/work', 'rel/dir'), overridden: true },
    );
    assert.deepEqual(chooseDataDir({ ...base, env, argv: ['x'], platform: 'linux' }), { dataDir: '/srv/ferry', overridden: true });
  });

  it('matches the engine default: userData on Windows/macOS, XDG data home on Linux', () => {
    assert.deepEqual(chooseDataDir({ ...base, argv: ['x'], platform: 'darwin' }), { dataDir: base.userData, overridden: false });
    assert.deepEqual(chooseDataDir({ ...base, argv: ['x'], platform: 'win32' }), { dataDir: base.userData, overridden: false });
    assert.deepEqual(chooseDataDir({ ...base, argv: ['x'], platform: 'linux' }), {
      dataDir: '/home/ada/.local/share/ferry',
      overridden: false,
    });
    assert.deepEqual(chooseDataDir({ ...base, env: { XDG_DATA_HOME: '/xdg' }, argv: ['x'], platform: 'linux' }), {
      dataDir: '/xdg/ferry',
      overridden: false,
    });
  });
});

/** A reversible stand-in for safeStorage: never the plain text on disk. */
function fakeCipher(options: { available?: boolean; reEncrypt?: boolean } = {}): SecretCipher & { encryptions: number } {
  const cipher = {
    encryptions: 0,
    async unavailableReason() {
      return options.available === false ? 'No keychain here.' : undefined;
    },
    async encrypt(plainText: string) {
      cipher.encryptions++;
      return Buffer.from(`enc:${Buffer.from(plainText, 'utf8').toString('hex')}`);
    },
    async decrypt(data: Buffer) {
      const text = data.toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return { value: Buffer.from(text.slice(4), 'hex').toString('utf8'), reEncrypt: options.reEncrypt ?? false };
    },
  };
  return cipher;
}

describe('SecretStore', () => {
  it('stores, reads and deletes encrypted secrets', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'nested', 'secrets.json');
    const store = new SecretStore(file, fakeCipher());
    assert.equal(await store.get('s3.prod'), null);
    await store.set('s3.prod', 'hunter2 ✓');
    await store.set('__proto__', 'odd key');
    assert.equal(await store.get('s3.prod'), 'hunter2 ✓');
    assert.equal(await store.get('__proto__'), 'odd key');

    const raw = await readFile(file, 'utf8');
    assert.ok(!raw.includes('hunter2'), 'no plain text on disk');
    const parsed = JSON.parse(raw) as { version: number; secrets: Record<string, string> };
    assert.equal(parsed.version, 1);
    assert.equal(Buffer.from(parsed.secrets['s3.prod']!, 'base64').toString('utf8').startsWith('enc:'), true);
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);

    await store.delete('s3.prod');
    await store.delete('never-there');
    assert.equal(await store.get('s3.prod'), null);
    assert.deepEqual(
      (await readdir(path.dirname(file))).filter((name) => name.endsWith('.tmp')),
      [],
      'no temp files left',
    );
  });

  it('refuses to store anything without a keychain', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'secrets.json');
    const store = new SecretStore(file, fakeCipher({ available: false }));
    await assert.rejects(store.set('k', 'v'), (error: unknown) => {
      assert.ok(error instanceof FerryError);
      assert.equal(error.code, 'internal');
      assert.match(error.message, /No keychain/);
      return true;
    });
    await assert.rejects(stat(file), { code: 'ENOENT' });
    assert.equal(await store.get('k'), null);
  });

  it('serializes concurrent writes', async (t) => {
    const dir = await tempDir(t);
    const store = new SecretStore(path.join(dir, 'secrets.json'), fakeCipher());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`key${i}`, `value${i}`)));
    for (let i = 0; i < 20; i++) assert.equal(await store.get(`key${i}`), `value${i}`);
  });

  it('re-encrypts when the keychain asks for it', async (t) => {
    const dir = await tempDir(t);
    const cipher = fakeCipher({ reEncrypt: true });
    const store = new SecretStore(path.join(dir, 'secrets.json'), cipher);
    await store.set('k', 'v');
    assert.equal(cipher.encryptions, 1);
    assert.equal(await store.get('k'), 'v');
    assert.equal(cipher.encryptions, 2);
  });

  it('reports a damaged file or an undecryptable secret as corrupt data', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'secrets.json');
    await writeFile(file, '{ nope');
    const store = new SecretStore(file, fakeCipher());
    await assert.rejects(store.get('k'), { code: 'corrupt_data' });
    await assert.rejects(store.set('k', 'v'), { code: 'corrupt_data' });

    await writeFile(file, JSON.stringify({ version: 1, secrets: { k: Buffer.from('garbage').toString('base64') } }));
    await assert.rejects(store.get('k'), { code: 'corrupt_data' });

    await writeFile(file, JSON.stringify({ version: 2, secrets: {} }));
    await assert.rejects(store.get('k'), { code: 'conflict' });
  });
});
