import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { blobId } from '../../app/format/hash.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import {
  encodePackHeader,
  PACK_ENTRY_LENGTH,
  PACK_HEADER_FIXED,
  PACK_TARGET_SIZE,
  packHeaderOpener,
  packHeaderSealer,
  packId,
  packIdOfParts,
  PackWriter,
  parsePackHeader,
  type PackBlob,
  type PackSource,
  readPackHeader,
} from '../../app/format/pack.ts';
import { flipBit } from './helpers.ts';

const corrupt = { name: 'FerryError', code: 'corrupt_data' };

const blobArb = fc.record({
  stored: fc.uint8Array({ maxLength: 3000 }),
  type: fc.constantFrom('data' as const, 'tree' as const),
  codec: fc.constantFrom('raw' as const, 'zstd' as const),
  plaintextLength: fc.nat(),
});

function build(
  blobs: { stored: Uint8Array; type: 'data' | 'tree'; codec: 'raw' | 'zstd'; plaintextLength: number }[],
  key?: Buffer,
) {
  const writer = new PackWriter();
  const added: PackBlob[] = blobs.map((blob, k) => ({ ...blob, id: blobId(Buffer.from(`${k}`)) }));
  for (const blob of added) writer.add(blob);
  return { ...writer.finish(key ? packHeaderSealer(key) : undefined), added };
}

/** A PackSource over bytes, counting reads. */
function source(bytes: Buffer): PackSource & { reads: number } {
  return {
    size: bytes.length,
    reads: 0,
    async read(offset, length) {
      this.reads++;
      return bytes.subarray(offset, offset + length);
    },
  };
}

describe('packs', () => {
  it('lays out [blobs][header][u32 LE header length] and reads the header back', async () => {
    fc.assert(
      fc.property(fc.array(blobArb, { maxLength: 40 }), fc.boolean(), (blobs, encrypted) => {
        const key = encrypted ? randomBytes(32) : undefined;
        const { bytes, entries, added } = build(blobs, key);
        const headerLength = bytes.readUInt32LE(bytes.length - 4);
        const plainHeader = PACK_HEADER_FIXED + PACK_ENTRY_LENGTH * blobs.length;
        assert.equal(headerLength, plainHeader + (encrypted ? 28 : 0));
        const blobBytes = added.reduce((sum, blob) => sum + blob.stored.length, 0);
        assert.equal(bytes.length, blobBytes + headerLength + 4);
        const parsed = parsePackHeader(bytes, { name: 'p', ...(key ? { openHeader: packHeaderOpener(key) } : {}) });
        assert.deepEqual(parsed, entries);
        parsed.forEach((entry, k) => {
          const blob = added[k]!;
          assert.ok(entry.id.equals(blob.id));
          assert.equal(entry.type, blob.type);
          assert.equal(entry.codec, blob.codec);
          assert.equal(entry.plaintextLength, blob.plaintextLength);
          assert.ok(bytes.subarray(entry.offset, entry.offset + entry.storedLength).equals(blob.stored));
        });
        if (!encrypted) assert.ok(bytes.subarray(blobBytes, blobBytes + headerLength).equals(encodePackHeader(entries)));
      }),
      { numRuns: 100 },
    );
  });

  it('pins the header encoding byte by byte', () => {
    const writer = new PackWriter();
    writer.add({ id: Buffer.alloc(32, 0xaa), type: 'tree', codec: 'zstd', plaintextLength: 0x01020304, stored: Buffer.from('xyz') });
    const { bytes } = writer.finish();
    const expected = Buffer.concat([
      Buffer.from('xyz'),
      Buffer.from('FRPK', 'latin1'),
      Buffer.from([1, 0, 0, 0, 1, 0, 0, 0]),
      Buffer.alloc(32, 0xaa),
      Buffer.from([1, 1, 3, 0, 0, 0, 4, 3, 2, 1]),
    ]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(expected.subarray(3)));
    assert.deepEqual([...bytes], [...expected, ...crc, 58, 0, 0, 0]);
  });

  it('reads a header through a ranged reader with one read (two for big headers)', async () => {
    const small = build([{ stored: randomBytes(100_000), type: 'data', codec: 'raw', plaintextLength: 100_000 }]);
    const src = source(small.bytes);
    assert.deepEqual(await readPackHeader(src, { name: 'p' }), small.entries);
    assert.equal(src.reads, 1);
    const many = Array.from({ length: 3000 }, () => ({ stored: randomBytes(10), type: 'tree' as const, codec: 'raw' as const, plaintextLength: 10 }));
    const key = randomBytes(32);
    const big = build(many, key);
    const bigSource = source(big.bytes);
    assert.deepEqual(await readPackHeader(bigSource, { name: 'p', openHeader: packHeaderOpener(key) }), big.entries);
    assert.equal(bigSource.reads, 2);
    assert.deepEqual(await readPackHeader(big.bytes, { name: 'p', openHeader: packHeaderOpener(key) }), big.entries);
  });

  it('finishParts gives the same bytes and id without joining them', () => {
    fc.assert(
      fc.property(fc.array(blobArb, { maxLength: 20 }), fc.boolean(), (blobs, encrypted) => {
        const key = encrypted ? randomBytes(32) : undefined;
        const twin = (): PackWriter => {
          const writer = new PackWriter();
          blobs.forEach((blob, k) => writer.add({ ...blob, id: blobId(Buffer.from(`${k}`)) }));
          return writer;
        };
        // A fixed "seal" so both writers produce identical bytes.
        const sealer = key ? (header: Buffer) => Buffer.concat([Buffer.from('sealed:'), header]) : undefined;
        const whole = twin().finish(sealer);
        const { parts, size, entries } = twin().finishParts(sealer);
        const joined = Buffer.concat(parts);
        assert.equal(size, joined.length);
        assert.ok(joined.equals(whole.bytes));
        assert.deepEqual(entries, whole.entries);
        assert.ok(packIdOfParts(parts).equals(packId(whole.bytes)));
      }),
      { numRuns: 50 },
    );
  });

  it('handles an empty pack', () => {
    const { bytes, entries } = new PackWriter().finish();
    assert.deepEqual(entries, []);
    assert.equal(bytes.length, 20);
    assert.deepEqual(parsePackHeader(bytes, { name: 'p' }), []);
  });

  it('turns any flipped bit in a sealed header or its length into corrupt_data naming the pack', () => {
    const key = randomBytes(32);
    const { bytes } = build(
      Array.from({ length: 5 }, (_, k) => ({ stored: randomBytes(500 + k), type: 'data' as const, codec: 'raw' as const, plaintextLength: 9 })),
      key,
    );
    const headerStart = bytes.length - 4 - bytes.readUInt32LE(bytes.length - 4);
    const opts = { name: 'abc123', openHeader: packHeaderOpener(key) };
    fc.assert(
      fc.property(fc.integer({ min: headerStart * 8, max: bytes.length * 8 - 1 }), (bit) => {
        assert.throws(() => parsePackHeader(flipBit(bytes, bit), opts), { ...corrupt, message: /^The pack abc123 is damaged/ });
      }),
      { numRuns: 400 },
    );
    assert.throws(() => parsePackHeader(bytes, { name: 'x', openHeader: packHeaderOpener(randomBytes(32)) }), corrupt);
    assert.throws(() => parsePackHeader(bytes, { name: 'x' }), corrupt, 'a sealed header read as plain');
  });

  it('detects every flipped bit in a plain header or its length', () => {
    const { bytes } = build(
      Array.from({ length: 3 }, () => ({ stored: randomBytes(50), type: 'data' as const, codec: 'raw' as const, plaintextLength: 50 })),
    );
    const headerLength = bytes.readUInt32LE(bytes.length - 4);
    const headerStart = bytes.length - 4 - headerLength;
    for (let bit = headerStart * 8; bit < bytes.length * 8; bit++) {
      assert.throws(() => parsePackHeader(flipBit(bytes, bit), { name: 'p' }), corrupt, `bit ${bit}`);
    }
  });

  it('reports truncated packs as corrupt_data', async () => {
    const { bytes } = build([{ stored: randomBytes(1000), type: 'data', codec: 'raw', plaintextLength: 1000 }]);
    for (const length of [0, 3, 4, 50, bytes.length - 1]) {
      assert.throws(() => parsePackHeader(bytes.subarray(0, length), { name: 'p' }), corrupt, `length ${length}`);
      await assert.rejects(readPackHeader(source(bytes.subarray(0, length)), { name: 'p' }), corrupt);
    }
    // Missing the start only: the lengths no longer add up.
    assert.throws(() => parsePackHeader(bytes.subarray(1), { name: 'p' }), corrupt);
    const short: PackSource = { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length - 1) };
    await assert.rejects(readPackHeader(short, { name: 'p' }), corrupt);
  });

  it('writer: lays packs out in a given buffer, lets the caller fill a blob\'s place, grows when a blob does not fit', () => {
    const stored = [Buffer.alloc(700, 1), Buffer.alloc(500, 2), Buffer.alloc(3000, 3)];
    const blob = (k: number) => ({ id: blobId(Buffer.from(`${k}`)), type: 'data' as const, codec: 'raw' as const, plaintextLength: stored[k]!.length });
    const reference = new PackWriter({ targetSize: 1000 });
    stored.forEach((data, k) => reference.add({ ...blob(k), stored: data }));
    const expected = reference.finish().bytes;

    const buffer = Buffer.alloc(2000);
    const writer = new PackWriter({ targetSize: 1000, buffer });
    writer.add({ ...blob(0), stored: stored[0]! });
    const entry = writer.write(blob(1), stored[1]!.length, (space) => space.set(stored[1]!));
    assert.equal(entry.offset, 700);
    assert.equal(writer.buffer, buffer);
    writer.add({ ...blob(2), stored: stored[2]! });
    assert.notEqual(writer.buffer, buffer, 'grown');
    const { bytes } = writer.finish();
    assert.ok(bytes.equals(expected));
    assert.equal(bytes.buffer, writer.buffer.buffer, 'the pack is a view of the writer\'s buffer');
  });

  it('writer: a blob whose filling fails is left out, as if never added', () => {
    const stored = [Buffer.alloc(700, 1), Buffer.alloc(500, 2), Buffer.alloc(300, 3)];
    const blob = (k: number) => ({ id: blobId(Buffer.from(`${k}`)), type: 'data' as const, codec: 'raw' as const, plaintextLength: stored[k]!.length });
    const reference = new PackWriter({ targetSize: 1000 });
    reference.add({ ...blob(0), stored: stored[0]! });
    reference.add({ ...blob(2), stored: stored[2]! });

    const writer = new PackWriter({ targetSize: 1000 });
    writer.add({ ...blob(0), stored: stored[0]! });
    const failing = new FerryError('corrupt_data', 'damaged as it was written');
    assert.throws(
      () =>
        writer.write(blob(1), stored[1]!.length, (space) => {
          space.fill(0xee);
          throw failing;
        }),
      (error) => error === failing,
    );
    assert.equal(writer.has(blob(1).id), false);
    assert.equal(writer.size, 700);
    writer.add({ ...blob(2), stored: stored[2]! });
    const { bytes, entries } = writer.finish();
    assert.ok(bytes.equals(reference.finish().bytes));
    assert.deepEqual(entries.map((e) => e.offset), [0, 700]);
  });

  it('writer: tracks size and fullness, refuses duplicates and reuse', () => {
    const writer = new PackWriter({ targetSize: 1000 });
    assert.equal(new PackWriter().targetSize, PACK_TARGET_SIZE);
    const id = blobId(Buffer.from('a'));
    const entry = writer.add({ id, type: 'data', codec: 'raw', plaintextLength: 600, stored: Buffer.alloc(600) });
    assert.equal(entry.offset, 0);
    assert.ok(writer.has(id));
    assert.equal(writer.full, false);
    assert.throws(() => writer.add({ id, type: 'data', codec: 'raw', plaintextLength: 1, stored: Buffer.alloc(1) }), { code: 'internal' });
    const second = writer.add({ id: blobId(Buffer.from('b')), type: 'data', codec: 'raw', plaintextLength: 600, stored: Buffer.alloc(600) });
    assert.equal(second.offset, 600);
    assert.equal(writer.size, 1200);
    assert.equal(writer.count, 2);
    assert.equal(writer.full, true);
    const { bytes } = writer.finish();
    assert.equal(packId(bytes).length, 32);
    assert.throws(() => writer.finish(), { code: 'internal' });
    assert.throws(() => writer.add({ id: blobId(Buffer.from('c')), type: 'data', codec: 'raw', plaintextLength: 1, stored: Buffer.alloc(1) }), {
      code: 'internal',
    });
  });
});
