import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { RpcClient } from '../../shared/rpc/client.ts';
import { command, defineContract, type Handlers } from '../../shared/rpc/contract.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { EventHub, serveChannel } from '../../shared/rpc/server.ts';
import { createMemoryChannelPair } from '../../shared/rpc/transports/memory.ts';

const testContract = defineContract({
  commands: {
    'math.add': command('Add two numbers.', z.object({ a: z.number(), b: z.number() }), z.number()),
    'slow.wait': command('Wait until cancelled.', z.object({}), z.object({ finished: z.boolean() })),
    'fail.conflict': command('Always conflicts.', z.object({}), z.object({})),
    'fail.crash': command('Throws a plain error.', z.object({}), z.object({})),
    'bad.output': command('Answers off-contract.', z.object({}), z.object({ n: z.number() })),
  },
  events: {
    'ticks.tick': z.object({ n: z.number() }),
  },
});

function setup() {
  const events = new EventHub<typeof testContract>();
  let cancelledSeen = false;
  const handlers: Handlers<typeof testContract> = {
    'math.add': ({ a, b }) => a + b,
    'slow.wait': (_input, { signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          cancelledSeen = true;
          reject(new FerryError('cancelled', 'stopped'));
        });
      }),
    'fail.conflict': () => {
      throw new FerryError('conflict', 'Already there.', { fields: { name: 'Taken.' } });
    },
    'fail.crash': () => {
      throw new Error('boom');
    },
    'bad.output': () => ({ n: 'not a number' }) as unknown as { n: number },
  };
  const [clientEnd, serverEnd] = createMemoryChannelPair();
  const logs: string[] = [];
  serveChannel(serverEnd, testContract, handlers, events, { log: (m) => logs.push(m) });
  const client = new RpcClient(testContract, clientEnd);
  return { client, events, logs, clientEnd, wasCancelled: () => cancelledSeen };
}

describe('RPC layer', () => {
  it('round-trips a typed call', async () => {
    const { client } = setup();
    assert.equal(await client.call('math.add', { a: 2, b: 40 }), 42);
  });

  it('rejects invalid input with invalid_input and field messages', async () => {
    const { client } = setup();
    const error = await client.call('math.add', { a: 'x' } as never).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'invalid_input');
    assert.ok(error.details?.fields?.['a']);
    assert.ok(error.details?.fields?.['b']);
  });

  it('carries typed handler errors across the wire', async () => {
    const { client } = setup();
    const error = await client.call('fail.conflict', {}).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'conflict');
    assert.deepEqual(error.details, { fields: { name: 'Taken.' } });
  });

  it('turns unexpected exceptions into internal errors and logs them', async () => {
    const { client, logs } = setup();
    const error = await client.call('fail.crash', {}).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'internal');
    assert.match(error.message, /boom/);
    assert.equal(logs.length, 1);
  });

  it('refuses answers that do not match the output schema', async () => {
    const { client } = setup();
    const error = await client.call('bad.output', {}).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'bad_message');
  });

  it('cancels a running request through its AbortSignal', async () => {
    const { client, wasCancelled } = setup();
    const controller = new AbortController();
    const pending = client.call('slow.wait', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await pending.catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'cancelled');
    assert.equal(wasCancelled(), true);
    assert.equal(await client.call('math.add', { a: 1, b: 1 }), 2, 'still serving after a cancel');
  });

  it('delivers only subscribed events, and stops after unsubscribe', async () => {
    const { client, events } = setup();
    const seen: number[] = [];
    events.emit('ticks.tick', { n: 0 });
    const off = client.on('ticks.tick', ({ n }) => seen.push(n));
    await client.call('math.add', { a: 0, b: 0 });
    events.emit('ticks.tick', { n: 1 });
    await client.call('math.add', { a: 0, b: 0 });
    off();
    await client.call('math.add', { a: 0, b: 0 });
    events.emit('ticks.tick', { n: 2 });
    await client.call('math.add', { a: 0, b: 0 });
    assert.deepEqual(seen, [1]);
  });

  it('fails pending calls when the channel closes, and recovers on a new channel', async () => {
    const { client, clientEnd, events } = setup();
    const states: boolean[] = [];
    client.onConnectionChange((connected) => states.push(connected));
    const seen: number[] = [];
    client.on('ticks.tick', ({ n }) => seen.push(n));
    const pending = client.call('slow.wait', {});
    clientEnd.close();
    const error = await pending.catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'engine_unavailable');
    await assert.rejects(client.call('math.add', { a: 1, b: 2 }), { code: 'engine_unavailable' });

    const [clientEnd2, serverEnd2] = createMemoryChannelPair();
    serveChannel(serverEnd2, testContract, { ...setupHandlersFor(), 'math.add': ({ a, b }) => a * b }, events);
    client.attach(clientEnd2);
    assert.equal(await client.call('math.add', { a: 3, b: 4 }), 12);
    events.emit('ticks.tick', { n: 7 });
    await client.call('math.add', { a: 0, b: 0 });
    assert.deepEqual(seen, [7], 'subscriptions are sent again on the new channel');
    assert.deepEqual(states, [false, true]);
  });

  it('aborts running handlers when the connection goes away', async () => {
    const { client, clientEnd, wasCancelled } = setup();
    void client.call('slow.wait', {}).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    clientEnd.close();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(wasCancelled(), true);
  });
});

function setupHandlersFor(): Handlers<typeof testContract> {
  const never = () => new Promise<never>(() => undefined);
  return {
    'math.add': ({ a, b }) => a + b,
    'slow.wait': never,
    'fail.conflict': never,
    'fail.crash': never,
    'bad.output': never,
  };
}
