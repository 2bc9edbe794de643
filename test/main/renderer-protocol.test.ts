import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { RENDERER_ENTRY_URL, rendererFileFor, rendererProtocolHandler } from '../../main/renderer-protocol.ts';
import { isRendererUrl, type RendererLocation } from '../../main/url-policy.ts';
import { CONSOLE_CSP_HEADER } from '../../shared/security/csp.ts';

/** dist/renderer in small: index.html, an asset, and beside it a secret and links out. */
async function rendererFolder(t: TestContext): Promise<{ root: string; outside: string }> {
  const base = await mkdtemp(path.join(tmpdir(), 'ferry-renderer-protocol-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'renderer');
  const outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await writeFile(path.join(root, 'assets', 'index-1.js'), 'console.log(1)');
  await writeFile(path.join(outside, 'secret.txt'), 'not for the page');
  await writeFile(path.join(base, 'secret.txt'), 'not for the page');
  if (process.platform !== 'win32') {
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
    await symlink(outside, path.join(root, 'linked-dir'));
  }
  return { root, outside };
}

describe('the ferry://app scheme', () => {
  it('serves only files inside the built renderer folder', async (t) => {
    const { root } = await rendererFolder(t);
    const served = async (url: string) => {
      const file = await rendererFileFor(root, url);
      return file === undefined ? undefined : path.relative(root, file).split(path.sep).join('/');
    };
    assert.equal(await served(RENDERER_ENTRY_URL), 'index.html');
    assert.equal(await served('ferry://app/'), 'index.html');
    assert.equal(await served('ferry://app/assets/index-1.js?v=1#x'), 'assets/index-1.js');
    assert.equal(await served('ferry://APP/index.html'), 'index.html', 'host names are case-insensitive');

    for (const refused of [
      'ferry://app/../secret.txt',
      'ferry://app/%2e%2e/secret.txt',
      'ferry://app/%2E%2E/%2e%2e/secret.txt',
      'ferry://app/..%2fsecret.txt',
      'ferry://app/assets%2f..%2f..%2fsecret.txt',
      'ferry://app/..%5csecret.txt',
      'ferry://app/assets\\..\\..\\secret.txt',
      'ferry://app/%252e%252e/secret.txt',
      'ferry://app/index.html%00.js',
      'ferry://app/C:/Windows/win.ini',
      'ferry://app/%E0%A4%A',
      'ferry://app/assets',
      'ferry://app/missing.html',
      'ferry://other/index.html',
      'ferry://app:8080/index.html',
      'ferry://user:pw@app/index.html',
      'file:///etc/passwd',
      'https://app/index.html',
      'not a url',
    ]) {
      assert.equal(await served(refused), undefined, refused);
    }
    if (process.platform !== 'win32') {
      assert.equal(await served('ferry://app/link-out.txt'), undefined, 'a link out of the folder');
      assert.equal(await served('ferry://app/linked-dir/secret.txt'), undefined, 'a linked folder outside');
    }
  });

  it("answers with the file, its type and the console's CSP; anything else is a 404", async (t) => {
    const { root } = await rendererFolder(t);
    const handle = rendererProtocolHandler(root);
    const page = await handle(new Request('ferry://app/assets/index-1.js'));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(page.headers.get('content-security-policy'), CONSOLE_CSP_HEADER);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await page.text(), 'console.log(1)');
    const refused = await handle(new Request('ferry://app/%2e%2e/secret.txt'));
    assert.equal(refused.status, 404);
    assert.equal((await refused.text()).includes('not for the page'), false);
    assert.equal((await handle(new Request('ferry://app/index.html', { method: 'POST', body: 'x' }))).status, 405);
  });

  it('trusts only the entry page of the scheme as our page', () => {
    const app: RendererLocation = { kind: 'app', url: RENDERER_ENTRY_URL };
    assert.ok(isRendererUrl('ferry://app/index.html', app));
    assert.ok(isRendererUrl('ferry://app/index.html#/repositories', app));
    assert.ok(isRendererUrl('ferry://app/index.html?x=1', app));
    for (const other of [
      'ferry://app/assets/index-1.js',
      'ferry://evil/index.html',
      'ferry://app:1/index.html',
      'ferry://u:p@app/index.html',
      'file:///opt/Ferry/resources/app.asar/dist/renderer/index.html',
      'https://app/index.html',
      'about:blank',
      'not a url',
    ]) {
      assert.ok(!isRendererUrl(other, app), other);
    }
  });
});
