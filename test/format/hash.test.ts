import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { blobId, blobIdAsync, idFromHex, idsEqual, idToHex, isHexId, packId } from '../../app/format/hash.ts';

describe('hash', () => {
  it('blobId is the SHA-256 of the plaintext (known vectors)', () => {
    assert.equal(idToHex(blobId(Buffer.alloc(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(idToHex(blobId(Buffer.from('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(packId, blobId);
  });

  it('blobIdAsync agrees with blobId, below and above the size it hashes on the pool', async () => {
    for (const size of [0, 1000, 64 * 1024 - 1, 64 * 1024, 300_000]) {
      const data = Buffer.alloc(size, size % 251);
      assert.ok((await blobIdAsync(data)).equals(blobId(data)), `${size} bytes`);
    }
  });

  it('round-trips ids through hex and agrees with createHash on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        const id = blobId(data);
        assert.equal(id.length, 32);
        assert.ok(id.equals(createHash('sha256').update(data).digest()));
        const hex = idToHex(id);
        assert.ok(isHexId(hex));
        assert.ok(idsEqual(idFromHex(hex), id));
      }),
    );
  });

  it('refuses malformed hex ids and ids of the wrong length', () => {
    for (const bad of ['', 'abc', 'A'.repeat(64), 'g'.repeat(64), '0'.repeat(63), '0'.repeat(65)]) {
      assert.throws(() => idFromHex(bad), { name: 'FerryError', code: 'invalid_input' });
      assert.equal(isHexId(bad), false);
    }
    assert.throws(() => idToHex(Buffer.alloc(31)), { code: 'internal' });
    assert.equal(idsEqual(Buffer.alloc(32), Buffer.alloc(31)), false);
  });
});
