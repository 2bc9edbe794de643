import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import { startServe } from '../../app/host/serve.ts';
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

  it('lets an open console reconnect after the host restarts on the same port', async (t) => {
    const { handle, engine, rendererDir } = await startServeHost(t);
    const { cookie, port, token } = handle;
    await handle.close();
    const restarted = await startServe({ engine, rendererDir, port });
    t.after(() => restarted.close());
    assert.notEqual(restarted.token, token, 'a new token every start');
    const again = await connect(`ws://127.0.0.1:${port}/rpc`, { cookie, origin: restarted.origin });
    assert.equal(again.status, 101);
    again.socket!.close();
    const stale = await connect(`ws://127.0.0.1:${port}/rpc`, { authorization: `Bearer ${token}` });
    assert.equal(stale.status, 401, 'the previous start\'s token is void');
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
