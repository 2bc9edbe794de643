/**
 * Raw WebSocket frames for fault tests of `ferry serve`: a real handshake on a TCP socket,
 * then bytes that break RFC 6455 or the host's limits.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';

/** A console to reach: its port, its origin and a session cookie it accepts. */
export interface Console {
  port: number;
  origin: string;
  cookie: string;
}

/** A client frame as bytes; every field can be set to what the protocol forbids. */
export function frame(options: {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  /** The length the header claims, when it is not the payload's. */
  claims?: bigint;
}): Buffer {
  const payload = options.payload ?? Buffer.alloc(0);
  const claimed = options.claims ?? BigInt(payload.length);
  const masked = options.masked ?? true;
  const head = [((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | options.opcode];
  const maskBit = masked ? 0x80 : 0;
  let length: Buffer;
  if (claimed < 126n) length = Buffer.from([maskBit | Number(claimed)]);
  else if (claimed < 65536n) {
    length = Buffer.alloc(3);
    length[0] = maskBit | 126;
    length.writeUInt16BE(Number(claimed), 1);
  } else {
    length = Buffer.alloc(9);
    length[0] = maskBit | 127;
    length.writeBigUInt64BE(claimed, 1);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), length, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), length, mask, body]);
}

export const TEXT = 0x1;
export const CONTINUATION = 0x0;
export const CLOSE = 0x8;
export const PING = 0x9;
export const text = (value: string) => Buffer.from(value, 'utf8');
const closePayload = (code: number, reason: Buffer = Buffer.alloc(0)) => {
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code);
  return Buffer.concat([body, reason]);
};

/** Frames a fault review would send first: each breaks one rule of RFC 6455 or the host's limit. */
export const CRAFTED: Record<string, Buffer> = {
  'invalid UTF-8 in a text frame': frame({ opcode: TEXT, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
  'a truncated UTF-8 sequence': frame({ opcode: TEXT, payload: Buffer.from([0xe2, 0x82]) }),
  'RSV1 set without an extension': frame({ opcode: TEXT, rsv: 0b100, payload: text('{}') }),
  'RSV2 set': frame({ opcode: TEXT, rsv: 0b010, payload: text('{}') }),
  'RSV3 set': frame({ opcode: TEXT, rsv: 0b001, payload: text('{}') }),
  'reserved data opcode 3': frame({ opcode: 0x3, payload: text('{}') }),
  'reserved control opcode 0xB': frame({ opcode: 0xb }),
  'an unmasked client frame': frame({ opcode: TEXT, masked: false, payload: text('{}') }),
  'a length over the payload limit': frame({ opcode: TEXT, claims: 4n * 1024n * 1024n + 1n }),
  'a 2^53 length': frame({ opcode: TEXT, claims: 2n ** 53n }),
  'a 64-bit length with its top bit set': frame({ opcode: TEXT, claims: 2n ** 63n + 5n }),
  'a fragmented ping': frame({ opcode: PING, fin: false, payload: text('x') }),
  'a control frame over 125 bytes': frame({ opcode: PING, payload: Buffer.alloc(126, 1) }),
  'a continuation with nothing to continue': frame({ opcode: CONTINUATION, payload: text('{}') }),
  'a new message inside a fragmented one': Buffer.concat([
    frame({ opcode: TEXT, fin: false, payload: text('{"a":') }),
    frame({ opcode: TEXT, payload: text('1}') }),
  ]),
  'fragments adding up past the limit': Buffer.concat([
    frame({ opcode: TEXT, fin: false, payload: Buffer.alloc(3 * 1024 * 1024, 0x20) }),
    frame({ opcode: CONTINUATION, payload: Buffer.alloc(2 * 1024 * 1024, 0x20) }),
  ]),
  'invalid UTF-8 split over fragments': Buffer.concat([
    frame({ opcode: TEXT, fin: false, payload: Buffer.from([0x22, 0xf0, 0x9f]) }),
    frame({ opcode: CONTINUATION, payload: Buffer.from([0x41, 0x22]) }),
  ]),
  'a close frame with a 1-byte body': frame({ opcode: CLOSE, payload: Buffer.from([3]) }),
  'a close frame with a reserved code': frame({ opcode: CLOSE, payload: closePayload(1005) }),
  'a close frame with code 999': frame({ opcode: CLOSE, payload: closePayload(999) }),
  'a close reason in invalid UTF-8': frame({ opcode: CLOSE, payload: closePayload(1000, Buffer.from([0xc3, 0x28])) }),
  'a text frame that is not JSON': frame({ opcode: TEXT, payload: text('not json {') }),
  'a binary frame': frame({ opcode: 0x2, payload: randomBytes(64) }),
};

/** A TCP connection that made the real upgrade handshake, with the cookie and Origin the host asks for. */
export async function upgradedSocket(handle: Console): Promise<Socket> {
  const socket = connect(handle.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    [
      'GET /rpc HTTP/1.1',
      `Host: 127.0.0.1:${handle.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Origin: ${handle.origin}`,
      `Cookie: ${handle.cookie}`,
      '',
      '',
    ].join('\r\n'),
  );
  const response = await new Promise<string>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve(head);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  assert.match(response, /^HTTP\/1\.1 101 /, 'the handshake is accepted');
  // What the server sends back (a close frame) is not this test's subject.
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  return socket;
}

/** Writes bytes after the handshake; resolves whether the server closed the connection within `waitMs`. */
export async function sendRaw(handle: Console, bytes: Buffer, waitMs: number, how: 'wait' | 'reset' = 'wait'): Promise<boolean> {
  const socket = await upgradedSocket(handle);
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.write(bytes);
  if (how === 'reset') socket.resetAndDestroy();
  const result = await Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs))]);
  socket.destroy();
  return result;
}

/** A well-behaved console still gets answers: the host (and this process) outlived the bad client. */
export async function assertServesGoodClient(handle: Console, what: string): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${handle.port}/rpc`, { headers: { cookie: handle.cookie, origin: handle.origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (error) => reject(new Error(`after ${what}: ${error.message}`)));
  });
  const client = new RpcClient(engineContract, webSocketChannel(ws));
  const info = await client.call('engine.info', {});
  assert.equal(info.host, 'serve', `after ${what}`);
  client.close();
}
