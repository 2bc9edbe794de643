import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import { ACCESS_ROTATED, startServe } from '../../app/host/serve.ts';
import { CONSOLE_CSP_HEADER } from '../../shared/security/csp.ts';
import { startServeHost } from './engine-harness.ts';

/** Opens a WebSocket and reports the HTTP status of a refusal, or 101 when accepted. */
function connect(url: string, headers: Record<string, string>): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: 0 }));
  });
}

describe('headless host', () => {
  it('serves the page only after the token is exchanged for a cookie', async (t) => {
    const { handle } = await startServeHost(t);
    const bare = await fetch(`${handle.origin}/`);
    assert.equal(bare.status, 401);
    assert.match(await bare.text(), /link that `ferry serve` printed/);

    const wrong = await fetch(`${handle.origin}/?token=nope`, { redirect: 'manual' });
    assert.equal(wrong.status, 401);

    // A browser gets a page saying how to get in, not plain text.
    for (const address of [`${handle.origin}/`, `${handle.origin}/?token=nope`]) {
      const page = await fetch(address, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      assert.equal(page.status, 401);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = await page.text();
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<h1>This Ferry console needs its access link<\/h1>/);
      assert.match(html, /Ferry console: http:\/\/…\/\?token=…/);
      assert.match(html, /--link-file/);
      assert.match(html, /kill -USR2/);
      assert.equal(page.headers.get('content-security-policy'), CONSOLE_CSP_HEADER, 'under the console\'s policy (no script)');
      assert.doesNotMatch(html, /<script/);
    }

    const exchange = await fetch(handle.url, { redirect: 'manual' });
    assert.equal(exchange.status, 303);
    assert.equal(exchange.headers.get('location'), '/');
    const cookie = exchange.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);

    assert.equal(cookie.split(';')[0], handle.cookie);
    assert.ok(!cookie.includes(handle.token), 'the printed token never becomes the cookie');
    const page = await fetch(`${handle.origin}/`, { headers: { cookie: handle.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await page.text(), /<title>Ferry<\/title>/);
  });

  it('voids the old link and cookie on a rotation and on a restart; the new link lets the console in', async (t) => {
    const { handle, engine, rendererDir } = await startServeHost(t);
    const ws = `ws://127.0.0.1:${handle.port}/rpc`;
    const { cookie, token } = handle;
    const open = await connect(ws, { cookie, origin: handle.origin });
    assert.equal(open.status, 101);
    const closed = new Promise<number>((resolve) => open.socket!.once('close', (code) => resolve(code)));

    const link = handle.rotate();
    assert.equal(await closed, ACCESS_ROTATED, 'an open console is told its access was rotated');
    assert.equal((await connect(ws, { cookie, origin: handle.origin })).status, 401, 'the old cookie is refused');
    assert.equal((await connect(ws, { authorization: `Bearer ${token}` })).status, 401, 'the old token is refused');
    assert.equal((await fetch(`${handle.origin}/?token=${token}`, { redirect: 'manual' })).status, 401, 'the old link is refused');
    const exchange = await fetch(link, { redirect: 'manual' });
    assert.equal(exchange.status, 303, 'the new link is taken');
    const renewed = (exchange.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal(renewed.split('=')[0], cookie.split('=')[0], 'the same cookie name: the new value replaces the old');
    assert.notEqual(renewed, cookie);
    const again = await connect(ws, { cookie: renewed, origin: handle.origin });
    assert.equal(again.status, 101);
    again.socket!.close();

    await handle.close();
    const restarted = await startServe({ engine, rendererDir, port: handle.port });
    t.after(() => restarted.close());
    assert.equal((await connect(ws, { cookie: renewed, origin: restarted.origin })).status, 401, 'a restart voids the cookie');
    assert.equal((await connect(ws, { cookie: restarted.cookie, origin: restarted.origin })).status, 101);
  });

  it('keeps no session secret in the catalog, and drops the one an older Ferry kept there', async (t) => {
    const { handle, engine, rendererDir } = await startServeHost(t);
    await handle.close();
    engine.catalog.setSetting('serve.session_secret', 'kept-by-an-older-ferry');
    const restarted = await startServe({ engine, rendererDir, port: handle.port });
    t.after(() => restarted.close());
    assert.equal(engine.catalog.getSetting('serve.session_secret'), undefined);
    const rows = engine.catalog.db.prepare('SELECT value FROM settings').all() as { value: string }[];
    assert.ok(!rows.some((row) => row.value.includes(restarted.cookie.split('=')[1]!)), 'the cookie value is nowhere in the catalog');
    const legacy = `${restarted.cookie.split('=')[0]}=kept-by-an-older-ferry`;
    assert.equal((await connect(`ws://127.0.0.1:${handle.port}/rpc`, { cookie: legacy })).status, 401);
  });

  it('never serves files outside the console folder', async (t) => {
    const { handle } = await startServeHost(t);
    const auth = { authorization: `Bearer ${handle.token}` };
    for (const probe of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await fetch(`${handle.origin}${probe}`, { headers: auth });
      assert.notEqual(response.status, 200, probe);
      assert.doesNotMatch(await response.text(), /outside the renderer/, probe);
    }
    assert.equal((await fetch(`${handle.origin}/assets/app.js`, { headers: auth })).status, 200);
  });

  it('refuses WebSockets without the token, from another origin, or to another host name', async (t) => {
    const { handle } = await startServeHost(t);
    const ws = `ws://127.0.0.1:${handle.port}/rpc`;
    assert.equal((await connect(ws, {})).status, 401, 'no token');
    assert.equal((await connect(ws, { authorization: 'Bearer wrong' })).status, 401, 'wrong token');
    assert.equal(
      (await connect(ws, { authorization: `Bearer ${handle.token}`, origin: 'http://evil.example' })).status,
      403,
      'foreign origin',
    );
    assert.equal(
      (await connect(ws, { authorization: `Bearer ${handle.token}`, host: `rebound.example:${handle.port}` })).status,
      421,
      'foreign host name (DNS rebinding)',
    );
    const accepted = await connect(ws, { cookie: handle.cookie, origin: handle.origin });
    assert.equal(accepted.status, 101);
    const client = new RpcClient(engineContract, webSocketChannel(accepted.socket!));
    const repos = await client.call('repos.list', {});
    assert.equal(repos[0]?.name, 'Default repository');
    client.close();
  });
});

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl for this test. */
async function selfSignedCertificate(dir: string): Promise<{ cert: Buffer; key: Buffer }> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ]);
  return { cert: await readFile(cert), key: await readFile(key) };
}

/** GET over HTTPS trusting only `ca`: status and headers. */
function httpsGet(url: string, ca: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { ca, headers }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    request.on('error', reject);
    request.end();
  });
}

const opensslMissing = spawnSync('openssl', ['version']).error ? 'openssl is not installed' : false;

describe('a console exposed beyond this machine', () => {
  it('warns at start when the console leaves loopback over plain HTTP, or answers on every interface', async (t) => {
    const { engine, rendererDir } = await startServeHost(t);
    const local = await startServe({ engine, rendererDir });
    t.after(() => local.close());
    assert.deepEqual(local.warnings, [], 'the default bind needs no warning');
    const exposed = await startServe({ engine, rendererDir, host: '0.0.0.0' });
    t.after(() => exposed.close());
    const text = exposed.warnings.join('\n');
    assert.match(text, /0\.0\.0\.0 over plain HTTP: its access link and session cookie cross the network unencrypted/);
    assert.match(text, /--tls-cert and --tls-key/);
    assert.match(text, /reverse proxy \(see the README\)/);
    assert.match(text, /--allowed-host/);
  });

  it('on every interface, answers to the machine\'s own names and the allowed ones, not to any name', async (t) => {
    const { engine, rendererDir } = await startServeHost(t);
    const served = await startServe({ engine, rendererDir, host: '0.0.0.0', allowedHosts: ['ferry.example.org'] });
    t.after(() => served.close());
    assert.equal(served.origin, `http://ferry.example.org:${served.port}`, 'the link names the allowed name');
    assert.ok(!served.warnings.some((line) => line.includes('--allowed-host')));
    const ws = `ws://127.0.0.1:${served.port}/rpc`;
    const bearer = { authorization: `Bearer ${served.token}` };
    assert.equal((await connect(ws, { ...bearer, host: `rebound.example:${served.port}` })).status, 421, 'a rebound name');
    assert.equal((await connect(ws, { ...bearer, host: `${hostname()}:${served.port}` })).status, 101, 'the machine\'s name');
    assert.equal((await connect(ws, { ...bearer, host: 'ferry.example.org' })).status, 101, 'an allowed name, as a proxy forwards it');
    assert.equal(
      (await connect(ws, { ...bearer, host: 'ferry.example.org', origin: 'https://ferry.example.org' })).status,
      101,
      'the page of a TLS proxy',
    );
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`http://127.0.0.1:${served.port}/`, { headers: { host: `rebound.example:${served.port}` } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      request.end();
    });
    assert.equal(refused.status, 421);
    assert.match(refused.body, /start ferry serve with --allowed-host rebound\.example\./);
  });

  it('serves over HTTPS with a certificate and key: a Secure cookie, wss, and no plain HTTP', { skip: opensslMissing }, async (t) => {
    const { engine, rendererDir, root } = await startServeHost(t);
    const tls = await selfSignedCertificate(root);
    const served = await startServe({ engine, rendererDir, host: '127.0.0.1', tls });
    t.after(() => served.close());
    assert.match(served.url, /^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
    await assert.rejects(fetch(`http://127.0.0.1:${served.port}/`), 'no answer in plain HTTP');
    const exchange = await httpsGet(served.url, tls.cert);
    assert.equal(exchange.status, 303);
    assert.match(String(exchange.headers['set-cookie']), /HttpOnly; SameSite=Strict; Path=\/; Secure/);
    const page = await httpsGet(`${served.origin}/`, tls.cert, { cookie: served.cookie });
    assert.equal(page.status, 200);
    const secure = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`wss://127.0.0.1:${served.port}/rpc`, { ca: tls.cert, headers: { cookie: served.cookie, origin } });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('error', () => resolve(0));
      });
    assert.equal(await secure(served.origin), 101);
    assert.equal(await secure(`http://127.0.0.1:${served.port}`), 403, 'an http page is not this console\'s origin');

    for (const bytes of [randomBytes(300), Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)]) {
      const socket = connectTcp(served.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(bytes);
      socket.resetAndDestroy();
    }
    assert.equal((await httpsGet(`${served.origin}/`, tls.cert, { cookie: served.cookie })).status, 200, 'garbage for the TLS handshake costs only its connection');
  });

  it('says so when the certificate and key are not a pair', { skip: opensslMissing }, async (t) => {
    const { engine, rendererDir, root } = await startServeHost(t);
    const one = await selfSignedCertificate(path.join(root, 'renderer'));
    const other = await selfSignedCertificate(path.join(root, 'renderer', 'assets'));
    await assert.rejects(startServe({ engine, rendererDir, tls: { cert: one.cert, key: other.key } }), /The TLS certificate and key cannot be used together \(.+\): give a PEM certificate and its own private key/);
    await assert.rejects(startServe({ engine, rendererDir, tls: { cert: 'not a certificate', key: one.key } }), /cannot be used together/);
  });
});
