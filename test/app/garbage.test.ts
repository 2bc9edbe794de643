import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { ERROR_CODES } from '../../shared/rpc/errors.ts';
import { serverMessage, type ServerMessage } from '../../shared/rpc/protocol.ts';
import { startServeHost } from './engine-harness.ts';

type Garbage = { frame: string; expect: 'bad_message' | 'unknown_command' | 'invalid_input' | 'any' };

const json = (value: unknown) => JSON.stringify(value);

/** Frames a hostile or broken client could send, each with the error it must earn. */
const garbage: fc.Arbitrary<Garbage> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 })
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    })
    .map((frame) => ({ frame, expect: 'bad_message' as const })),
  fc.oneof(fc.jsonValue(), fc.array(fc.anything()), fc.constant(null), fc.integer())
    .filter((value) => typeof value !== 'object' || value === null || !('kind' in value))
    .map((value) => ({ frame: json(value ?? null), expect: 'bad_message' as const })),
  fc.record({
    kind: fc.oneof(fc.constantFrom('request', 'cancel', 'subscribe', 'response', 'event'), fc.string()),
    id: fc.oneof(fc.string({ maxLength: 300 }), fc.double(), fc.constant(null), fc.constant(-1)),
    method: fc.anything(),
    events: fc.anything(),
  }, { requiredKeys: ['kind'] })
    .map((value) => ({ frame: json(value), expect: 'any' as const })),
  fc.record({ id: fc.integer({ min: 1_000_000, max: 2_000_000 }), method: fc.string({ minLength: 1, maxLength: 60 }) })
    .filter(({ method }) => !['engine.info', 'repos.list', 'repos.add', 'repos.remove'].includes(method))
    .map(({ id, method }) => ({ frame: json({ kind: 'request', id, method, params: {} }), expect: 'unknown_command' as const })),
  fc.record({
    id: fc.integer({ min: 1_000_000, max: 2_000_000 }),
    method: fc.constantFrom('engine.info', 'repos.list', 'repos.remove', 'repos.add'),
    params: fc.oneof(fc.string(), fc.integer(), fc.array(fc.anything(), { minLength: 1 }), fc.record({ junk: fc.jsonValue() })),
  }).map(({ id, method, params }) => ({ frame: json({ kind: 'request', id, method, params }), expect: 'invalid_input' as const })),
);

describe('engine under garbage input', () => {
  it('answers 1,000 malformed messages with typed errors and keeps serving', { timeout: 120_000 }, async (t) => {
    const { handle } = await startServeHost(t);
    const socket = new WebSocket(`ws://127.0.0.1:${handle.port}/rpc`, { headers: { authorization: `Bearer ${handle.token}` } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const inbox: ServerMessage[] = [];
    const offProtocol: string[] = [];
    let wake: (() => void) | undefined;
    socket.on('message', (data: Buffer) => {
      const parsed = serverMessage.safeParse(JSON.parse(data.toString()));
      if (parsed.success) inbox.push(parsed.data);
      else offProtocol.push(data.toString().slice(0, 200));
      wake?.();
    });
    const waitFor = (probeId: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to probe ${probeId}`)), 5000);
        wake = () => {
          if (!inbox.some((m) => 'id' in m && m.id === probeId)) return;
          clearTimeout(timer);
          resolve();
        };
      });

    const samples = fc.sample(garbage, { numRuns: 1000, seed: 20261122 });
    let probeId = 1;
    for (const { frame, expect } of samples) {
      inbox.length = 0;
      socket.send(frame);
      const id = probeId++;
      const answered = waitFor(id);
      socket.send(json({ kind: 'request', id, method: 'engine.info', params: {} }));
      await answered;
      assert.deepEqual(offProtocol, [], `answers follow the protocol after ${frame.slice(0, 80)}`);
      const probe = inbox.find((m) => 'id' in m && m.id === id);
      assert.equal(probe?.kind, 'response', `engine still serves after ${frame.slice(0, 80)}`);
      const failures = inbox.filter((m) => m.kind === 'failure');
      for (const failure of failures) assert.ok(ERROR_CODES.includes(failure.error.code));
      if (expect !== 'any') {
        assert.equal(failures.length, 1, `one typed error for ${frame.slice(0, 80)}`);
        assert.equal(failures[0]!.error.code, expect, frame.slice(0, 80));
      }
    }
    assert.equal(samples.length, 1000);
    socket.close();
  });
});
