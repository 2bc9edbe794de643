import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBlob, resealBlob, storeBlob, storeBlobAsync, type UnsealedBlob } from '../../app/format/blob-sealer.ts';
import { encodeBlob } from '../../app/format/codec.ts';
import { SEAL_OVERHEAD } from '../../app/format/crypto.ts';
import { blobId, idToHex } from '../../app/format/hash.ts';
import { flipBit, pseudoRandom, textLike } from './helpers.ts';

const corrupt = { name: 'FerryError', code: 'corrupt_data' };

function stored(plaintext: Buffer, key?: Buffer) {
  const id = blobId(plaintext);
  const blob = storeBlob(id, plaintext, { key });
  return { id, blob, ref: { id, codec: blob.codec, plaintextLength: blob.plaintextLength } };
}

/** What a resealed blob writes into its place in a pack. */
function written(blob: UnsealedBlob): Buffer {
  const place = Buffer.alloc(blob.storedLength);
  blob.write(place);
  return place;
}

describe('blob sealer', () => {
  it('round-trips blobs, encrypted or not, compressed or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200_000, size: 'max' }), fc.boolean(), fc.boolean(), (bytes, compressible, encrypted) => {
        const plaintext = compressible ? textLike(bytes.length, bytes.length) : Buffer.from(bytes);
        const key = encrypted ? randomBytes(32) : undefined;
        const { blob, ref } = stored(plaintext, key);
        const encoded = encodeBlob(plaintext);
        assert.equal(blob.codec, encoded.codec);
        assert.equal(blob.stored.length, encoded.data.length + (key ? SEAL_OVERHEAD : 0));
        assert.ok(loadBlob(ref, blob.stored, key).equals(plaintext));
      }),
      { numRuns: 60 },
    );
  });

  it('storeBlobAsync stores what storeBlob stores', async () => {
    const key = randomBytes(32);
    for (const plaintext of [textLike(500_000, 20), pseudoRandom(500_000, 21), Buffer.alloc(0)]) {
      const id = blobId(plaintext);
      const blob = await storeBlobAsync(id, plaintext, { key, level: 5 });
      assert.equal(blob.codec, storeBlob(id, plaintext, { level: 5 }).codec);
      assert.ok(loadBlob({ id, codec: blob.codec, plaintextLength: blob.plaintextLength }, blob.stored, key).equals(plaintext));
    }
  });

  it('chooses raw for random chunks and zstd for text', () => {
    assert.equal(stored(pseudoRandom(1 << 20, 1)).blob.codec, 'raw');
    assert.equal(stored(textLike(1 << 20, 2), randomBytes(32)).blob.codec, 'zstd');
  });

  for (const [label, plaintext] of [
    ['raw', pseudoRandom(20_000, 3)],
    ['zstd', textLike(50_000, 4)],
  ] as const) {
    it(`turns any flipped bit of a sealed ${label} blob into corrupt_data with the blob id`, () => {
      const key = randomBytes(32);
      const { id, blob, ref } = stored(plaintext, key);
      assert.equal(blob.codec, label);
      fc.assert(
        fc.property(fc.nat(blob.stored.length * 8 - 1), (bit) => {
          assert.throws(() => loadBlob(ref, flipBit(blob.stored, bit), key), {
            ...corrupt,
            details: { blobId: idToHex(id) },
          });
        }),
        { numRuns: 300 },
      );
    });

    it(`never returns wrong bytes for a damaged unencrypted ${label} blob`, () => {
      const { blob, ref } = stored(plaintext);
      fc.assert(
        fc.property(fc.nat(blob.stored.length * 8 - 1), (bit) => {
          let out: Buffer | undefined;
          try {
            out = loadBlob(ref, flipBit(blob.stored, bit));
          } catch (error) {
            assert.equal((error as { code?: string }).code, 'corrupt_data');
            return;
          }
          // zstd ignores a few bits (e.g. unused frame header flags): harmless, same data.
          assert.ok(out.equals(plaintext));
        }),
        { numRuns: 300 },
      );
      if (label === 'raw') assert.throws(() => loadBlob(ref, flipBit(blob.stored, 12345)), corrupt);
    });
  }

  it('refuses a blob under another id, with another key, codec or length', () => {
    const key = randomBytes(32);
    const a = stored(textLike(10_000, 5), key);
    const b = stored(textLike(10_000, 6), key);
    // b's bytes put where a's should be: the AAD (id) no longer matches.
    assert.throws(() => loadBlob(a.ref, b.blob.stored, key), corrupt);
    assert.throws(() => loadBlob(a.ref, a.blob.stored, randomBytes(32)), corrupt);
    assert.throws(() => loadBlob({ ...a.ref, codec: 'raw' }, a.blob.stored, key), corrupt);
    assert.throws(() => loadBlob({ ...a.ref, plaintextLength: 9_999 }, a.blob.stored, key), corrupt);
    assert.throws(() => loadBlob(a.ref, a.blob.stored), corrupt, 'sealed bytes read as unencrypted');
    // Unencrypted: swapped content is caught by the id check.
    const c = stored(textLike(10_000, 7));
    const d = stored(textLike(10_000, 8));
    assert.throws(() => loadBlob(c.ref, d.blob.stored), corrupt);
  });

  it('reseals between any two of (no key, key A, key B) without changing codec or lengths', () => {
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    for (const plaintext of [textLike(300_000, 9), pseudoRandom(300_000, 10)]) {
      for (const from of [undefined, keyA]) {
        for (const to of [undefined, keyA, keyB]) {
          const { blob, ref } = stored(plaintext, from);
          const resealed = written(resealBlob(ref, blob.stored, from, to));
          const encodedLength = blob.stored.length - (from ? SEAL_OVERHEAD : 0);
          assert.equal(resealed.length, encodedLength + (to ? SEAL_OVERHEAD : 0));
          assert.ok(loadBlob(ref, resealed, to).equals(plaintext));
          if (to) assert.throws(() => loadBlob(ref, resealed, to === keyA ? keyB : keyA), corrupt);
          if (from && to === from) assert.ok(!resealed.equals(blob.stored), 'a fresh nonce');
        }
      }
    }
  });

  it('verifies while resealing: damaged sources never reach the target', () => {
    const key = randomBytes(32);
    const target = randomBytes(32);
    const text = textLike(100_000, 11);
    const sealed = stored(text, key);
    fc.assert(
      fc.property(fc.nat(sealed.blob.stored.length * 8 - 1), (bit) => {
        // Checked as it is written (decrypted and re-encrypted in one pass), to either target.
        assert.throws(() => written(resealBlob(sealed.ref, flipBit(sealed.blob.stored, bit), key, target)), corrupt);
        assert.throws(() => written(resealBlob(sealed.ref, flipBit(sealed.blob.stored, bit), key, undefined)), corrupt);
      }),
      { numRuns: 200 },
    );
    // Unencrypted sources are decoded and hashed; a wrong blob in the slot is caught.
    const plain = stored(text);
    const other = stored(textLike(100_000, 12));
    assert.throws(() => resealBlob(plain.ref, other.blob.stored, undefined, target), corrupt);
    assert.throws(() => resealBlob(plain.ref, other.blob.stored, undefined, undefined), corrupt);
    const raw = stored(pseudoRandom(100_000, 13));
    assert.throws(() => resealBlob(raw.ref, flipBit(raw.blob.stored, 7), undefined, target), corrupt);
    // 'full' also hashes encrypted sources: catches a writer bug that sealed the wrong
    // content under an id, which GCM alone accepts.
    const forged = storeBlob(sealed.id, textLike(100_000, 14), { key });
    const forgedRef = { id: sealed.id, codec: forged.codec, plaintextLength: forged.plaintextLength };
    assert.doesNotThrow(() => written(resealBlob(forgedRef, forged.stored, key, target)));
    assert.throws(() => resealBlob(forgedRef, forged.stored, key, target, { verify: 'full' }), corrupt);
    assert.throws(() => loadBlob(forgedRef, forged.stored, key), corrupt);
  });

  it('writes a resealed blob into the place given, not into the source buffer', () => {
    const pack = pseudoRandom(1 << 20, 15);
    const slice = pack.subarray(1000, 2000);
    const ref = { id: blobId(slice), codec: 'raw' as const, plaintextLength: 1000 };
    const before = Buffer.from(pack);
    const copy = written(resealBlob(ref, slice, undefined, undefined));
    assert.ok(copy.equals(slice));
    assert.ok(pack.equals(before));
  });
});
