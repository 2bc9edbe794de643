import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadBlob, loadBlobAsync, storeBlob } from '../../app/format/blob-sealer.ts';
import { blobId, idToHex } from '../../app/format/hash.ts';
import { flipBit, pseudoRandom, textLike } from './helpers.ts';

const corrupt = { name: 'FerryError', code: 'corrupt_data' };

describe('loadBlobAsync', () => {
  for (const [label, plaintext] of [
    ['raw', pseudoRandom(300_000, 1)],
    ['zstd', textLike(300_000, 2)],
    ['small zstd', textLike(5_000, 3)],
    ['empty', Buffer.alloc(0)],
  ] as const) {
    it(`returns what loadBlob returns (${label}), with a raw key, a KeyObject or none`, async () => {
      const raw = randomBytes(32);
      for (const key of [undefined, raw, createSecretKey(raw)]) {
        const id = blobId(plaintext);
        const blob = storeBlob(id, plaintext, { key });
        const ref = { id, codec: blob.codec, plaintextLength: blob.plaintextLength };
        const loaded = await loadBlobAsync(ref, blob.stored, key);
        assert.ok(loaded.equals(plaintext));
        assert.ok(loaded.equals(loadBlob(ref, blob.stored, key)));
      }
    });
  }

  it('decodes blobs after a damaged one as if it had not been there, one at a time or many at once', async () => {
    const blobs = Array.from({ length: 12 }, (_, i) => {
      const plaintext = textLike(200_000 + i * 5_000, 10 + i);
      const id = blobId(plaintext);
      const blob = storeBlob(id, plaintext);
      assert.equal(blob.codec, 'zstd');
      return { plaintext, stored: blob.stored, ref: { id, codec: blob.codec, plaintextLength: blob.plaintextLength } };
    });
    for (const [i, { plaintext, stored, ref }] of blobs.entries()) {
      // A frame cut short leaves zstd mid-frame; the next blob must not be read as its continuation.
      if (i % 3 === 1) await assert.rejects(loadBlobAsync(ref, stored.subarray(0, stored.length >> 1)), corrupt);
      if (i % 3 === 2) await assert.rejects(loadBlobAsync(ref, flipBit(stored, stored.length * 4)), corrupt);
      assert.ok((await loadBlobAsync(ref, stored)).equals(plaintext), `blob ${i}`);
    }
    const all = await Promise.all(blobs.map(({ stored, ref }) => loadBlobAsync(ref, stored)));
    assert.ok(all.every((plaintext, i) => plaintext.equals(blobs[i]!.plaintext)));
  });

  it('turns damage into corrupt_data with the blob id, encrypted or not', async () => {
    const key = randomBytes(32);
    for (const plaintext of [pseudoRandom(100_000, 4), textLike(100_000, 5)]) {
      for (const sealKey of [undefined, key]) {
        const id = blobId(plaintext);
        const blob = storeBlob(id, plaintext, { key: sealKey });
        const ref = { id, codec: blob.codec, plaintextLength: blob.plaintextLength };
        for (const bit of [0, 8 * 40 + 3, blob.stored.length * 8 - 1]) {
          await assert.rejects(loadBlobAsync(ref, flipBit(blob.stored, bit), sealKey), { ...corrupt, details: { blobId: idToHex(id) } });
        }
        await assert.rejects(loadBlobAsync({ ...ref, plaintextLength: ref.plaintextLength - 1 }, blob.stored, sealKey), corrupt);
        await assert.rejects(loadBlobAsync({ ...ref, id: blobId(Buffer.from('another')) }, blob.stored, sealKey), corrupt);
      }
    }
  });
});
