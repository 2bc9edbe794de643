import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chooseDataDir, dataDirFromArgv } from '../../main/app-paths.ts';
import { externalUrlToOpen, isRendererUrl, parseDevServerUrl, type RendererLocation } from '../../main/url-policy.ts';

describe('url policy', () => {
  const dev: RendererLocation = { kind: 'dev-server', url: 'http://localhost:5173/' };

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

  it("opens externally only https links to Ferry's own site", () => {
    assert.equal(externalUrlToOpen('https://ferry.dev/docs'), 'https://ferry.dev/docs');
    assert.equal(externalUrlToOpen('https://www.ferry.dev/docs#x'), 'https://www.ferry.dev/docs#x');
    for (const refused of [
      'https://evil.example/',
      'https://ferry.dev.evil.example/',
      'https://ferry.dev:8443/',
      'https://user:pw@ferry.dev/',
      'http://ferry.dev/',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'garbage',
    ]) {
      assert.equal(externalUrlToOpen(refused), undefined, refused);
    }
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
