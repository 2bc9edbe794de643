import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BlobIndex, type IndexEntry } from '../../app/repository/blob-index.ts';

// Ids drawn from a small set, many sharing their first word (the hash): lookups must probe
// past each other, and a set of a known id must move it, not add it.
const prefix = fc.constantFrom('00000000', '00000001', 'ffffffff', '0000000a');
const id = fc.tuple(prefix, fc.constantFrom(...'0123456789abcdef'.split('')), fc.constantFrom('0'.repeat(55), 'f'.repeat(55), 'a'.repeat(55))).map(([p, c, rest]) => p + c + rest);
const size = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constant(Number.MAX_SAFE_INTEGER));
const entry: fc.Arbitrary<IndexEntry> = fc.record({
  pack: fc.constantFrom('a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)),
  type: fc.constantFrom('data', 'tree'),
  codec: fc.constantFrom('raw', 'zstd'),
  offset: size,
  length: size,
  plain: size,
});
const operation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), id, entry }),
  fc.record({ op: fc.constant('reserve' as const), total: fc.nat(300) }),
  fc.record({ op: fc.constant('get' as const), id: fc.oneof(id, fc.constantFrom('', 'A'.repeat(64), '0'.repeat(63), '0'.repeat(65), 'xyz')) }),
);

describe('BlobIndex', () => {
  it('answers as a Map of entries would, through growth, probing and moves', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        const index = new BlobIndex();
        const model = new Map<string, IndexEntry>();
        for (const step of operations) {
          if (step.op === 'set') {
            index.set(step.id, step.entry);
            model.set(step.id, { ...step.entry });
          } else if (step.op === 'reserve') {
            index.reserve(step.total);
          } else {
            assert.deepEqual(index.get(step.id), model.get(step.id));
            assert.equal(index.has(step.id), model.has(step.id));
          }
          assert.equal(index.size, model.size);
        }
        for (const [known, value] of model) assert.deepEqual(index.get(known), value);
      }),
    );
  });

  it('holds many blobs: each is found, and an absent one is not', () => {
    const index = new BlobIndex();
    const hex = (n: number) => n.toString(16).padStart(64, '0');
    for (let n = 0; n < 50_000; n++) index.set(hex(n * 7919), { pack: hex(n >> 8), type: 'data', codec: 'zstd', offset: n, length: n + 1, plain: n + 2 });
    assert.equal(index.size, 50_000);
    for (let n = 0; n < 50_000; n += 997) assert.deepEqual(index.get(hex(n * 7919)), { pack: hex(n >> 8), type: 'data', codec: 'zstd', offset: n, length: n + 1, plain: n + 2 });
    assert.equal(index.has(hex(1)), false);
  });

  it('refuses what is not a blob id', () => {
    assert.throws(() => new BlobIndex().set('A'.repeat(64), { pack: 'p', type: 'data', codec: 'raw', offset: 0, length: 0, plain: 0 }), /Not a blob id/);
  });
});
