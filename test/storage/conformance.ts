// One behaviour for every ObjectStore: each backend's test file runs this suite against
// a real instance (a temporary folder, an s3rver bucket).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type TestContext, describe, it } from 'node:test';
import fc from 'fast-check';
import { forEachBounded } from '../../app/storage/bounded.ts';
import { type ObjectInfo, type ObjectStore, StoreError } from '../../app/storage/object-store.ts';

export type OpenStore = (t: TestContext) => Promise<ObjectStore>;

const byKey = (a: ObjectInfo, b: ObjectInfo) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function listAll(store: ObjectStore, prefix: string): Promise<ObjectInfo[]> {
  const found: ObjectInfo[] = [];
  for await (const info of store.list(prefix)) found.push(info);
  return found.sort(byKey);
}

/** Resolves to the StoreError a call fails with; fails the test when it succeeds or throws something else. */
export async function storeErrorOf(call: Promise<unknown> | (() => Promise<unknown>)): Promise<StoreError> {
  const error = await (typeof call === 'function' ? call() : call).then(
    () => assert.fail('expected a StoreError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
  return error;
}

/** Random bytes: a wrong offset or a mixed-up part cannot go unnoticed. */
const patterned = (size: number): Buffer => randomBytes(size);

/**
 * @param largeSizes sizes that cross the backend's interesting boundaries (on S3: one part
 *   exactly, one byte over, several parts).
 */
export function objectStoreConformance(name: string, open: OpenStore, options: { largeSizes: number[] }): void {
  describe(`${name}: ObjectStore conformance`, () => {
    it('round-trips objects of every size, and stat reports each size', async (t) => {
      const store = await open(t);
      for (const size of [0, 1, 4097, ...options.largeSizes]) {
        const data = patterned(size);
        const key = `sizes/object-${size}`;
        await store.put(key, data);
        assert.ok((await store.get(key)).equals(data), `content of ${size} bytes`);
        assert.deepEqual(await store.stat(key), { key, size });
      }
      assert.equal((await listAll(store, 'sizes/')).length, 3 + options.largeSizes.length);
    });

    it('overwrites: the new object replaces the old whole, shorter or longer', async (t) => {
      const store = await open(t);
      const sizes = [10, ...options.largeSizes, 3, 0, 7];
      for (const size of sizes) {
        const data = patterned(size);
        await store.put('over/written', data);
        assert.ok((await store.get('over/written')).equals(data), `after writing ${size} bytes`);
        assert.equal((await store.stat('over/written'))?.size, size);
      }
      assert.deepEqual(await listAll(store, 'over/'), [{ key: 'over/written', size: 7 }]);
    });

    it('reads ranges at the start, middle and end, and refuses ranges past the end', async (t) => {
      const store = await open(t);
      const size = Math.max(...options.largeSizes);
      const data = patterned(size);
      await store.put('ranges/big', data);
      const cases: [number, number][] = [
        [0, 1],
        [0, 1000],
        [12345, 1],
        [Math.floor(size / 2) - 500, 1000],
        [size - 1000, 1000],
        [size - 1, 1],
        [0, size],
        [7, 0],
      ];
      for (const [offset, length] of cases) {
        const got = await store.getRange('ranges/big', offset, length);
        assert.ok(got.equals(data.subarray(offset, offset + length)), `range ${offset}+${length}`);
      }
      for (const [offset, length] of [[size - 10, 11], [size, 1], [size + 100, 5]] as const) {
        const error = await storeErrorOf(store.getRange('ranges/big', offset, length));
        assert.equal(error.kind, 'io', `range ${offset}+${length}: ${error.message}`);
        assert.match(error.message, /shorter than expected/);
      }
      await assert.rejects(store.getRange('ranges/big', -1, 1), RangeError);
      await assert.rejects(store.getRange('ranges/big', 0, 1.5), RangeError);
    });

    it('reports absent objects: stat → undefined, get and getRange → not_found naming the object', async (t) => {
      const store = await open(t);
      assert.equal(await store.stat('absent/key'), undefined);
      for (const call of [() => store.get('absent/key'), () => store.getRange('absent/key', 0, 10), () => store.getRange('absent/key', 0, 0)]) {
        const error = await storeErrorOf(call);
        assert.equal(error.kind, 'not_found', error.message);
        assert.equal(error.key, 'absent/key');
        assert.ok(error.message.includes('absent'), error.message);
      }
    });

    it('lists by folder-like prefix, recursively, with sizes', async (t) => {
      const store = await open(t);
      const objects: Record<string, number> = { 'l/a/1': 1, 'l/a/b/2': 2, 'l/a/b/c/3': 3, 'l/ab/4': 4, 'l/top': 5, 'x-top': 6 };
      for (const [key, size] of Object.entries(objects)) await store.put(key, Buffer.alloc(size, 1));
      const keys = async (prefix: string) => (await listAll(store, prefix)).map((o) => `${o.key}:${o.size}`);
      assert.deepEqual(await keys(''), ['l/a/1:1', 'l/a/b/2:2', 'l/a/b/c/3:3', 'l/ab/4:4', 'l/top:5', 'x-top:6']);
      assert.deepEqual(await keys('l/a/'), ['l/a/1:1', 'l/a/b/2:2', 'l/a/b/c/3:3'], "'l/a/' must not match 'l/ab/'");
      assert.deepEqual(await keys('l/a/b/c/'), ['l/a/b/c/3:3']);
      assert.deepEqual(await keys('nothing/'), []);
      assert.deepEqual(await keys('l/top/'), [], 'an object is not a folder');
      for (const bad of ['l/a', '/l/', 'l//', '../', 'l/../']) {
        await assert.rejects(listAll(store, bad), (e) => e instanceof StoreError && e.kind === 'invalid_key', `prefix ${bad}`);
      }
    });

    it('names the folders directly under a prefix, whatever lies deeper', async (t) => {
      const store = await open(t);
      for (const key of ['f/a/1', 'f/a/b/2', 'f/ab/3', 'f/top', 'g/w', 'g/x/y/z', 'h']) await store.put(key, Buffer.from(key));
      const folders = async (prefix: string) => (await store.folders(prefix)).sort();
      assert.deepEqual(await folders(''), ['f', 'g']);
      assert.deepEqual(await folders('f/'), ['a', 'ab']);
      assert.deepEqual(await folders('f/a/'), ['b']);
      assert.deepEqual(await folders('g/x/'), ['y']);
      assert.deepEqual(await folders('f/a/b/'), []);
      assert.deepEqual(await folders('nothing/'), []);
      assert.deepEqual(await folders('f/top/'), [], 'an object is not a folder');
      for (const bad of ['f', '/f/', 'f//', '../']) {
        await assert.rejects(store.folders(bad), (e) => e instanceof StoreError && e.kind === 'invalid_key', `prefix ${bad}`);
      }
    });

    it('names more than 1,000 folders (S3 pages by 1,000)', async (t) => {
      const store = await open(t);
      const names = Array.from({ length: 1003 }, (_, i) => `n${String(i).padStart(4, '0')}`);
      await forEachBounded(names, 16, (name) => store.put(`wide/${name}/object`, Buffer.from(name)));
      assert.deepEqual((await store.folders('wide/')).sort(), names);
    });

    it('lists more than 1,000 objects (S3 pages by 1,000)', async (t) => {
      const store = await open(t);
      const keys = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      await forEachBounded(keys, 16, (key) => store.put(key, Buffer.from(key)));
      const listed = await listAll(store, 'many/');
      assert.deepEqual(listed.map((o) => o.key), keys);
      assert.ok(listed.every((o) => o.size === 9));
    });

    it('deletes idempotently', async (t) => {
      const store = await open(t);
      await store.put('d/x', Buffer.from('x'));
      await store.put('d/y', Buffer.from('y'));
      await store.delete('d/x');
      assert.equal(await store.stat('d/x'), undefined);
      assert.equal((await storeErrorOf(store.get('d/x'))).kind, 'not_found');
      await store.delete('d/x');
      await store.delete('never/existed');
      assert.deepEqual((await listAll(store, 'd/')).map((o) => o.key), ['d/y']);
    });

    it('rejects invalid keys in every operation, before touching storage', async (t) => {
      const store = await open(t);
      const bad = ['../x', '/abs', 'a//b', 'a/./b', 'a/../b', '', 'a/', '.', '..', 'a b', 'a\\b', 'é', 'x'.repeat(1025)];
      for (const key of bad) {
        const calls = [
          () => store.put(key, Buffer.from('x')),
          () => store.get(key),
          () => store.getRange(key, 0, 1),
          () => store.stat(key),
          () => store.delete(key),
        ];
        for (const call of calls) {
          const error = await storeErrorOf(call);
          assert.equal(error.kind, 'invalid_key', `${JSON.stringify(key)}: ${error.message}`);
        }
      }
      assert.deepEqual(await listAll(store, ''), []);
    });

    it('round-trips random valid keys and contents (property)', async (t) => {
      const store = await open(t);
      const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,15}$/);
      const key = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
      // No key may be another's folder (a file cannot also be a folder), nor equal it
      // without regard to case (case-insensitive file systems).
      const keySet = fc
        .uniqueArray(key, { minLength: 1, maxLength: 8, selector: (k) => k.toLowerCase() })
        .filter((keys) => !keys.some((a) => keys.some((b) => b.toLowerCase().startsWith(`${a.toLowerCase()}/`))));
      const entries = keySet.chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), fc.uint8Array({ maxLength: 3000 })))));
      let run = 0;
      await fc.assert(
        fc.asyncProperty(entries, async (pairs) => {
          const base = `prop/${++run}/`;
          await Promise.all(pairs.map(([k, data]) => store.put(base + k, data)));
          for (const [k, data] of pairs) {
            assert.ok((await store.get(base + k)).equals(data), k);
            assert.equal((await store.stat(base + k))?.size, data.length);
          }
          const listed = await listAll(store, base);
          assert.deepEqual(listed, pairs.map(([k, d]) => ({ key: base + k, size: d.length })).sort(byKey));
          await Promise.all(pairs.map(([k]) => store.delete(base + k)));
          assert.deepEqual(await listAll(store, base), []);
        }),
        { numRuns: 30, seed: 20261122 },
      );
    });

    it('says where it is', async (t) => {
      const store = await open(t);
      assert.ok(store.location.length > 0);
    });
  });
}
