/**
 * `ferry serve` as an admin runs it: crafted frames, the warnings it prints, access
 * rotated on SIGUSR2, and a closed terminal. Needs the built console (npm run build), as the bundle's tests.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServeProcess, stopProcess } from '../serve-process.ts';
import { ferryBin, runFerry, tempDir } from '../helpers.ts';
import { assertServesGoodClient, CRAFTED, sendRaw } from './raw-websocket.ts';

const built = existsSync(fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url)));

/** The session cookie the printed link is exchanged for. */
async function cookieFor(link: URL | string): Promise<string> {
  const exchange = await fetch(link, { redirect: 'manual' });
  assert.equal(exchange.status, 303, `the link ${String(link)} is taken`);
  return (exchange.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const pageStatus = async (origin: string, cookie: string) => (await fetch(`${origin}/`, { headers: { cookie } })).status;

/** The next "Ferry console:" line the process prints. */
function nextLink(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Ferry console: (\S+)/.exec(text);
      if (!match) return;
      child.stdout!.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
  });
}

describe('ferry serve for an admin', { skip: built ? false : 'the console is not built (npm run build)' }, () => {
  it('warns on stderr when it listens beyond loopback without TLS', async (t) => {
    const dir = await tempDir(t);
    const { child, output } = await startServeProcess([ferryBin, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
    t.after(() => stopProcess(child));
    assert.match(output, /ferry: WARNING: The console listens on 0\.0\.0\.0 over plain HTTP/);
    assert.match(output, /--tls-cert and --tls-key/);
  });

  it('a ferry serve process outlives every crafted frame, each costing only its connection', async (t) => {
    const dir = await tempDir(t);
    const { child, url } = await startServeProcess([ferryBin, 'serve', '--port', '0', '--data-dir', dir]);
    t.after(() => stopProcess(child));
    const served = { port: Number(url.port), origin: url.origin, cookie: await cookieFor(url) };
    for (const [what, bytes] of Object.entries(CRAFTED)) {
      await sendRaw(served, bytes, 50, 'reset');
      assert.equal(child.exitCode, null, `alive after ${what}`);
      await assertServesGoodClient(served, what);
    }
  });

  it('rotates access on SIGUSR2: the old cookie is refused, the new link printed works', async (t) => {
    const dir = await tempDir(t);
    const { child, url } = await startServeProcess([ferryBin, 'serve', '--port', '0', '--data-dir', dir]);
    t.after(() => stopProcess(child));
    const cookie = await cookieFor(url);
    assert.equal(await pageStatus(url.origin, cookie), 200);
    const printed = nextLink(child);
    child.kill('SIGUSR2');
    const link = await printed;
    assert.notEqual(link, url.href);
    assert.equal(await pageStatus(url.origin, cookie), 401, 'the old cookie is refused');
    assert.equal(await pageStatus(url.origin, await cookieFor(link)), 200, 'the new link lets a console in');
  });

  it('outlives its terminal: with stdout and stderr closed, it keeps serving', async (t) => {
    const dir = await tempDir(t);
    const { child, url } = await startServeProcess([ferryBin, 'serve', '--port', '0', '--data-dir', dir]);
    t.after(() => stopProcess(child));
    child.stdout!.destroy();
    child.stderr!.destroy();
    // The next link goes to the closed stdout.
    child.kill('SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(child.exitCode, null, 'still running');
    assert.equal((await fetch(`${url.origin}/`)).status, 401, 'and answering');
  });

  it('wants --tls-cert and --tls-key together, and says which file it cannot read', async (t) => {
    const dir = await tempDir(t);
    const alone = await runFerry(['serve', '--tls-cert', `${dir}/cert.pem`, '--data-dir', dir]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--tls-cert and --tls-key go together/);
    const missing = await runFerry(['serve', '--tls-cert', `${dir}/cert.pem`, '--tls-key', `${dir}/key.pem`, '--data-dir', dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the TLS certificate .*cert\.pem \(ENOENT\)/);
  });
});
