import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquireLock, acquireReadLock, isStale, STALE_AFTER_MS } from '../../app/repository/locks.ts';
import { keys } from '../../app/repository/layout.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { type ObjectStore, StoreError } from '../../app/storage/object-store.ts';
import { s3StoreError } from '../../app/storage/s3-errors.ts';
import type { Clock } from '../../app/util/clock.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { mkdir } from 'node:fs/promises';

async function store(t: Parameters<typeof tempDir>[0]) {
  const dir = path.join(await tempDir(t), 'repo');
  await mkdir(dir);
  return new LocalFolderStore(dir);
}

const isConflict = (e: unknown) => e instanceof FerryError && e.code === 'conflict';

describe('backup locks', () => {
  it('lets many readers in, one writer at a time, and nobody beside an exclusive lock', async (t) => {
    const s = await store(t);
    const r1 = await acquireLock(s, 'b', 'read', { purpose: 'restore' });
    const r2 = await acquireLock(s, 'b', 'read', { purpose: 'verify' });
    const w1 = await acquireLock(s, 'b', 'write', { purpose: 'backup' });
    await assert.rejects(acquireLock(s, 'b', 'write', { purpose: 'second backup', attempts: 1 }), isConflict);
    await assert.rejects(acquireLock(s, 'b', 'exclusive', { purpose: 'prune', attempts: 1 }), isConflict);
    await Promise.all([r1.release(), r2.release(), w1.release()]);
    const ex = await acquireLock(s, 'b', 'exclusive', { purpose: 'prune' });
    await assert.rejects(acquireLock(s, 'b', 'read', { purpose: 'restore', attempts: 1 }), (e: unknown) => {
      assert.ok(isConflict(e));
      assert.match((e as Error).message, /prune \(exclusive lock\)/);
      return true;
    });
    await ex.release();
    assert.equal((await Array.fromAsync(s.list(keys.locks('b')))).length, 0, 'released locks are gone');
  });

  it('takes over locks of dead processes and of stopped heartbeats', async (t) => {
    const s = await store(t);
    const now = new Date().toISOString();
    const dead = { id: 'dead', kind: 'write', host: hostname(), pid: 2 ** 22 + 12345, created: now, heartbeat: now, purpose: 'crashed backup' };
    const old = new Date(Date.now() - STALE_AFTER_MS - 1000).toISOString();
    const silent = { id: 'silent', kind: 'write', host: 'other-host', pid: 1, created: old, heartbeat: old, purpose: 'lost engine' };
    await s.put(keys.lock('b', 'dead'), Buffer.from(JSON.stringify(dead)));
    await s.put(keys.lock('b', 'silent'), Buffer.from(JSON.stringify(silent)));
    const logs: string[] = [];
    const held = await acquireLock(s, 'b', 'write', { purpose: 'backup', log: (m) => logs.push(m) });
    assert.equal(logs.length, 2);
    await held.release();
    assert.equal((await Array.fromAsync(s.list(keys.locks('b')))).length, 0);
  });

  it('keeps a live lock of another host, however old it was created', () => {
    const created = new Date(Date.now() - 10 * STALE_AFTER_MS).toISOString();
    const lock = { id: 'x', kind: 'write' as const, host: 'nas-engine', pid: 1, created, heartbeat: new Date().toISOString(), purpose: 'p' };
    assert.equal(isStale(lock, Date.now()), false);
  });

  it('reads without a read lock where the store refuses writes (S3 AccessDenied), and says so; other failures still fail', async (t) => {
    const s = await store(t);
    const where = { endpoint: 'http://s3.example', bucket: 'b', target: 's3://b/lock' };
    const refusing = (error: unknown): ObjectStore =>
      new Proxy(s, {
        get(target, property) {
          if (property === 'put') return async () => Promise.reject(error);
          const value = Reflect.get(target, property) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const logs: string[] = [];
    const lock = await acquireReadLock(refusing(s3StoreError(denied, where)), 'b', { purpose: 'restore', log: (m) => logs.push(m) });
    await lock.release();
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /No lock could be taken on the backup "b" \(Access to the bucket b was refused \(AccessDenied\)/);
    const broken = Object.assign(new Error('bad gateway'), { name: 'BadGateway', $metadata: { httpStatusCode: 502 } });
    await assert.rejects(acquireReadLock(refusing(s3StoreError(broken, where)), 'b', { purpose: 'restore' }), (e: unknown) => e instanceof FerryError && e.code === 'repo_unavailable');
  });

  it('a lock that cannot be deleted at release (storage down) does not fail the run; it is taken over at once here and deleted once the storage is back', async (t) => {
    const s = await store(t);
    let down = false;
    const flaky: ObjectStore = {
      location: s.location,
      put: (key, data) => s.put(key, data),
      get: (key) => s.get(key),
      getRange: (key, offset, length) => s.getRange(key, offset, length),
      stat: (key) => s.stat(key),
      list: (prefix) => s.list(prefix),
      folders: (prefix) => s.folders(prefix),
      space: () => s.space(),
      delete: async (key) => {
        if (down) throw new StoreError('unavailable', `${key}: storage down`, key);
        return s.delete(key);
      },
    };
    const waits: number[] = [];
    let wake: () => void = () => undefined;
    const clock: Clock = {
      now: () => Date.now(),
      sleep: (ms) => {
        waits.push(ms);
        return new Promise<void>((resolve) => (wake = resolve));
      },
    };
    const logs: string[] = [];
    const held = await acquireLock(flaky, 'b', 'write', { purpose: 'backup', clock, log: (m) => logs.push(m) });
    down = true;
    await held.release();
    assert.match(logs.at(-1) ?? '', /^could not remove the write lock b\/locks\/\S+ \(b\/locks\/\S+: storage down\); it is retried in the background/);
    const [leftover] = await Array.fromAsync(s.list(keys.locks('b')));
    assert.ok(leftover, 'the lock is still there');
    const body = await s.get(leftover.key);
    // This process knows it is dead: the next run here is not blocked, and removes it.
    const next = await acquireLock(s, 'b', 'write', { purpose: 'next backup', attempts: 1, log: (m) => logs.push(m) });
    assert.match(logs.at(-1) ?? '', /^removing a stale write lock/);
    await next.release();
    // Put back, as if that run had been another engine's: the background deletion removes it.
    await s.put(leftover.key, body);
    await new Promise((resolve) => setImmediate(resolve));
    wake(); // first retry: still down
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await Array.fromAsync(s.list(keys.locks('b')))).length, 1);
    down = false;
    wake(); // second retry: the storage is back
    for (let i = 0; i < 100 && (await Array.fromAsync(s.list(keys.locks('b')))).length > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await Array.fromAsync(s.list(keys.locks('b')))).length, 0, 'deleted in the background');
    assert.deepEqual(waits, [5_000, 30_000]);
  });
});
