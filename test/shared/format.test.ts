import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatBytes, parseBytes } from '../../shared/format/bytes.ts';

const parse = (text: string): number => parseBytes(text)!;

describe('parseBytes', () => {
  it('reads what people type for sizes and rates', () => {
    assert.equal(parseBytes('500'), 500);
    assert.equal(parseBytes('20M'), 20e6);
    assert.equal(parseBytes('20 MB/s'), 20e6);
    assert.equal(parseBytes('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(parseBytes('64k'), 64e3);
    assert.equal(parseBytes('64KiB'), 65536);
    for (const bad of ['', 'fast', '-5M', '5 X', '1e6']) assert.equal(parseBytes(bad), undefined, bad);
  });

  it('reads back what formatBytes shows, within its rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), (bytes) => {
        const back = parseBytes(formatBytes(bytes))!;
        assert.ok(Math.abs(back - bytes) <= Math.max(0.5, bytes * 0.005), `${bytes} → ${formatBytes(bytes)}`);
      }),
    );
  });
});

describe('formatBytes', () => {
  it('reads back within rounding of the input', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e20, noNaN: true }), (bytes) => {
        const shown = formatBytes(bytes);
        const back = parse(shown);
        assert.ok(Math.abs(back - bytes) <= Math.max(0.5, bytes * 0.005), `${bytes} → ${shown}`);
      }),
    );
  });

  it('never shows more than three significant digits or a four-digit number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: Number.MAX_SAFE_INTEGER }), (bytes) => {
        const [value] = formatBytes(bytes).split(' ');
        assert.ok(Number(value) < 1000, formatBytes(bytes));
        assert.ok(value!.replace('.', '').replace(/^0+/, '').length <= 3, formatBytes(bytes));
      }),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), fc.integer({ min: 0, max: 1e15 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(parse(formatBytes(lo)) <= parse(formatBytes(hi)));
      }),
    );
  });

  it('names the edge cases', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.00 KB');
    assert.equal(formatBytes(999_499), '999 KB');
    assert.equal(formatBytes(999_500), '1.00 MB');
    assert.equal(formatBytes(-1), '—');
    assert.equal(formatBytes(Number.NaN), '—');
  });
});
