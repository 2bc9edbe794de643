import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zstdCompressSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeBlob, encodeBlob, encodeBlobAsync, SAMPLE_BYTES } from '../../app/format/codec.ts';
import { flipBit, pseudoRandom, textLike } from './helpers.ts';

describe('codec', () => {
  it('round-trips any input, and never stores more than the plaintext', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300_000, size: 'max' }), fc.integer({ min: 1, max: 9 }), (data, level) => {
        const encoded = encodeBlob(data, { level });
        assert.ok(encoded.data.length <= data.length);
        assert.ok(decodeBlob(encoded.codec, encoded.data, data.length).equals(data));
      }),
      { numRuns: 60 },
    );
  });

  it('encodeBlobAsync gives the same result as encodeBlob', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300_000, size: 'max' }), fc.boolean(), async (bytes, text) => {
        const data = text ? textLike(bytes.length, bytes.length) : Buffer.from(bytes);
        const [sync, async] = [encodeBlob(data), await encodeBlobAsync(data)];
        assert.equal(async.codec, sync.codec);
        assert.ok(async.data.equals(sync.data));
      }),
      { numRuns: 30 },
    );
    assert.equal((await encodeBlobAsync(pseudoRandom(1 << 20, 9))).codec, 'raw');
  });

  it('refuses invalid levels instead of letting zstd clamp them', () => {
    for (const level of [23, -8, 1.5, Number.NaN]) assert.throws(() => encodeBlob(Buffer.from('x'), { level }), RangeError);
  });

  it('does not pin oversized output buffers', () => {
    const { data } = encodeBlob(textLike(1 << 20, 10));
    assert.ok(data.buffer.byteLength <= 2 * data.length);
  });

  it('stores random data raw and text compressed', () => {
    const random = pseudoRandom(1024 * 1024, 1);
    const raw = encodeBlob(random);
    assert.equal(raw.codec, 'raw');
    assert.equal(raw.data, random, 'raw data is the input itself, not a copy');
    const text = textLike(1024 * 1024, 2);
    const compressed = encodeBlob(text);
    assert.equal(compressed.codec, 'zstd');
    assert.ok(compressed.data.length < text.length / 3);
    assert.equal(encodeBlob(Buffer.alloc(0)).codec, 'raw');
    assert.equal(encodeBlob(Buffer.alloc(100_000)).codec, 'zstd');
    assert.equal(encodeBlob(pseudoRandom(50, 3)).codec, 'raw', 'tiny incompressible blobs stay raw');
  });

  it('samples the whole chunk, not just its start', () => {
    // A compressed-looking head followed by text: the sample sees the text and compresses.
    const mixed = Buffer.concat([pseudoRandom(SAMPLE_BYTES, 4), textLike(1024 * 1024, 5)]);
    assert.equal(encodeBlob(mixed).codec, 'zstd');
    // Random data with a little text: whatever the sample decides, the result is never
    // larger than the input and decodes back.
    const mostlyRandom = Buffer.concat([textLike(16 * 1024, 6), pseudoRandom(1024 * 1024, 7)]);
    const encoded = encodeBlob(mostlyRandom);
    assert.ok(encoded.data.length <= mostlyRandom.length);
    assert.ok(decodeBlob(encoded.codec, encoded.data, mostlyRandom.length).equals(mostlyRandom));
  });

  it('reports damaged zstd data, wrong lengths and unknown codecs as corrupt_data', () => {
    const text = textLike(200_000, 8);
    const { codec, data } = encodeBlob(text);
    assert.equal(codec, 'zstd');
    const corrupt = { name: 'FerryError', code: 'corrupt_data' };
    assert.throws(() => decodeBlob('zstd', data, text.length - 1), corrupt);
    assert.throws(() => decodeBlob('zstd', data, text.length + 1), corrupt);
    assert.throws(() => decodeBlob('zstd', data.subarray(0, data.length - 3), text.length), corrupt);
    assert.throws(() => decodeBlob('zstd', Buffer.alloc(0), 0), corrupt);
    assert.throws(() => decodeBlob('raw', text, text.length + 1), corrupt);
    assert.throws(() => decodeBlob('lz4' as never, text, text.length), corrupt);
    // A bit flip fails to decode with corrupt_data, or decodes to some bytes (zstd has no
    // checksum here: the blob id check in blob-sealer catches those); nothing else escapes.
    fc.assert(
      fc.property(fc.nat(data.length * 8 - 1), (bit) => {
        try {
          decodeBlob('zstd', flipBit(data, bit), text.length);
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'corrupt_data');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a frame that inflates beyond the expected length (zip bomb)', () => {
    const bomb = zstdCompressSync(Buffer.alloc(64 * 1024 * 1024));
    assert.throws(() => decodeBlob('zstd', bomb, 1024), { code: 'corrupt_data' });
  });
});
