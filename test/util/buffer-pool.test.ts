import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferPool } from '../../app/util/buffer-pool.ts';

describe('BufferPool', () => {
  it('reuses buffers of its size and lets others go', () => {
    const pool = new BufferPool(1 << 20, Buffer.allocUnsafeSlow);
    const a = pool.take();
    pool.give(a);
    assert.equal(pool.take(), a);
    pool.give(Buffer.allocUnsafeSlow(10));
    assert.notEqual(pool.take().length, 10);
  });

  it('frees the idle buffers on release, and each buffer still out when it is given back', () => {
    const pool = new BufferPool(1 << 20, Buffer.allocUnsafeSlow);
    const idle = pool.take();
    const out = pool.take();
    pool.give(idle);
    pool.release();
    assert.equal(idle.length, 0, 'the idle buffer is freed at once');
    assert.equal(out.length, 1 << 20, 'a buffer in use is left alone');
    out.fill(7);
    pool.give(out);
    assert.equal(out.length, 0, 'and freed once given back');
  });

  it('never frees a slice of a shared ArrayBuffer: its neighbours would go with it', () => {
    const shared = Buffer.allocUnsafeSlow(2 << 20);
    const pool = new BufferPool(1 << 20, (size) => shared.subarray(0, size));
    const slice = pool.take();
    const neighbour = shared.subarray(1 << 20).fill(1);
    pool.give(slice);
    pool.release();
    assert.equal(slice.length, 1 << 20);
    assert.equal(neighbour.length, 1 << 20);
    assert.equal(neighbour[0], 1);
  });
});
