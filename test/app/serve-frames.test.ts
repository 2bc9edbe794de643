import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_BUFFERED_BYTES } from '../../shared/rpc/transports/websocket.ts';
import { startServeHost } from './engine-harness.ts';
import { assertServesGoodClient, CRAFTED, frame, sendRaw, TEXT, text, upgradedSocket } from './raw-websocket.ts';

describe('malformed WebSocket frames', () => {
  it('cost only the connection that sent them, never the host', async (t) => {
    const { handle } = await startServeHost(t);
    const harmless = new Set(['a text frame that is not JSON', 'a binary frame']);
    for (const [what, bytes] of Object.entries(CRAFTED)) {
      const closed = await sendRaw(handle, bytes, harmless.has(what) ? 50 : 2000);
      if (!harmless.has(what)) assert.ok(closed, `the host drops a connection that sends ${what}`);
      await assertServesGoodClient(handle, what);
    }
  });

  it('survives a header cut short, with the connection ended or reset under it', async (t) => {
    const { handle } = await startServeHost(t);
    const whole = frame({ opcode: TEXT, claims: 70_000n, payload: Buffer.alloc(10) });
    for (let cut = 1; cut < 14; cut++) {
      for (const how of ['wait', 'reset'] as const) {
        await sendRaw(handle, whole.subarray(0, cut), 20, how);
        await assertServesGoodClient(handle, `${cut} header bytes (${how})`);
      }
    }
  });

  it('survives random bytes after the handshake', async (t) => {
    const { handle } = await startServeHost(t);
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }),
      // Valid-looking headers with random bits, so the bytes reach past the first check.
      fc.record({ opcode: fc.integer({ min: 0, max: 15 }), rsv: fc.integer({ min: 0, max: 7 }), fin: fc.boolean(), masked: fc.boolean(), payload: fc.uint8Array({ maxLength: 200 }) })
        .map((f) => new Uint8Array(frame({ ...f, payload: Buffer.from(f.payload) }))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(garbage, { minLength: 1, maxLength: 4 }), async (chunks) => {
        await sendRaw(handle, Buffer.concat(chunks), 50, chunks.length % 2 ? 'wait' : 'reset');
        await assertServesGoodClient(handle, `random bytes ${Buffer.concat(chunks).toString('hex').slice(0, 80)}`);
      }),
      { numRuns: 40 },
    );
  });

  it('drops a client that stops reading rather than buffering without bound', async (t) => {
    const { handle, engine } = await startServeHost(t);
    const socket = await upgradedSocket(handle);
    t.after(() => socket.destroy());
    socket.write(frame({ opcode: TEXT, payload: text(JSON.stringify({ kind: 'subscribe', events: ['jobs.changed'] })) }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.pause();
    const big = 'x'.repeat(1024 * 1024);
    const emitted = 2 * (MAX_BUFFERED_BYTES / big.length);
    for (let i = 0; i < emitted; i++) {
      engine.events.emit('jobs.changed', { jobs: [{ name: big }] as never });
      await new Promise((resolve) => setImmediate(resolve));
    }
    let received = 0;
    // Read until the host ends the connection, or sends nothing more for a while.
    const drained = new Promise<void>((resolve) => {
      let idle = setTimeout(resolve, 1000);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        clearTimeout(idle);
        idle = setTimeout(resolve, 1000);
      });
      socket.once('close', () => {
        clearTimeout(idle);
        resolve();
      });
    });
    socket.resume();
    await drained;
    assert.ok(socket.destroyed, 'the host ended the connection');
    assert.ok(received < emitted * big.length * 0.75, `${received} bytes of ${emitted * big.length} reached the client before the host let it go`);
    await assertServesGoodClient(handle, 'a client that stopped reading');
  });

  it('survives bytes that are not HTTP, and connections reset mid-request', async (t) => {
    const { handle } = await startServeHost(t);
    const requests = [
      randomBytes(200),
      Buffer.from(`GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\nContent-Length: -1\r\n\r\n`),
      Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      Buffer.from(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\n`),
      Buffer.from(`GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: ${handle.cookie}\r\nSec-WebSocket-Version: 99\r\n\r\n`),
    ];
    for (const bytes of requests) {
      for (const reset of [false, true]) {
        const socket = connect(handle.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        socket.write(bytes);
        if (reset) socket.resetAndDestroy();
        else await new Promise((resolve) => setTimeout(resolve, 20));
        socket.destroy();
        await assertServesGoodClient(handle, `${bytes.subarray(0, 40).toString('latin1')}… (${reset ? 'reset' : 'closed'})`);
      }
    }
  });

  it('survives a refused upgrade whose client resets at once', async (t) => {
    const { handle } = await startServeHost(t);
    for (let i = 0; i < 20; i++) {
      const socket = connect(handle.port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(`GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
      socket.resetAndDestroy();
    }
    await assertServesGoodClient(handle, 'refused upgrades reset by their clients');
  });
});
