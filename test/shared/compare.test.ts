import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareCodeUnits } from '../../shared/util/compare.ts';

describe('compareCodeUnits', () => {
  it('orders as the default sort does, and is a total order (antisymmetric, 0 only for equal strings)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (strings) => {
        assert.deepEqual([...strings].sort(compareCodeUnits), [...strings].sort());
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        assert.equal(compareCodeUnits(a, b) + compareCodeUnits(b, a), 0);
        assert.equal(compareCodeUnits(a, b) === 0, a === b);
      }),
    );
  });

  it('puts ISO timestamps of one form in time order', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (a, b) => {
        assert.equal(Math.sign(compareCodeUnits(a.toISOString(), b.toISOString())), Math.sign(a.getTime() - b.getTime()));
      }),
    );
  });
});
