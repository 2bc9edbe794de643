import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { nextWindowChange, windowOpenAt } from '../../shared/schedule/window.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = {
  'Europe/Berlin': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
} as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The oracle: the window's bit for the local weekday and hour Intl gives. */
function openByIntl(format: Intl.DateTimeFormat, window: number[], at: number): boolean {
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return ((window[WEEKDAYS.indexOf(parts.weekday!)]! >>> Number(parts.hour)) & 1) === 1;
}

const masks = fc.oneof(
  fc.integer({ min: 0, max: 0xffffff }),
  // Sparse and dense masks: long waits, and windows that open for a single hour.
  fc.integer({ min: 0, max: 23 }).map((hour) => 1 << hour),
  fc.integer({ min: 0, max: 23 }).map((hour) => 0xffffff & ~(1 << hour)),
  fc.constantFrom(0, 0xffffff),
);
const windows = fc.array(masks, { minLength: 7, maxLength: 7 });

for (const zone of Object.keys(ZONES) as (keyof typeof ZONES)[]) {
  describe(`transfer window in ${zone}`, () => {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
    const moments = fc.oneof(
      fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
      fc.tuple(fc.constantFrom(...ZONES[zone].map((text) => Date.parse(text))), fc.integer({ min: -15 * DAY, max: 2 * DAY })).map(([change, offset]) => change + offset),
    );
    before(() => {
      process.env.TZ = zone;
    });

    it('windowOpenAt agrees with the local weekday and hour', () => {
      fc.assert(
        fc.property(windows, moments, (window, at) => {
          assert.equal(windowOpenAt(window, new Date(at)), openByIntl(format, window, at));
        }),
        { numRuns: 2000 },
      );
    });

    it('nextWindowChange agrees with an hour-by-hour brute force (DST included)', () => {
      fc.assert(
        fc.property(windows, moments, (window, at) => {
          const change = nextWindowChange(window, new Date(at));
          const open = openByIntl(format, window, at);
          // Local hours begin on whole UTC hours in both zones.
          let expected: number | null = null;
          for (let hour = Math.floor(at / HOUR) * HOUR + HOUR; hour <= at + 16 * DAY; hour += HOUR) {
            if (openByIntl(format, window, hour) !== open) {
              expected = hour;
              break;
            }
          }
          assert.equal(change?.getTime() ?? null, expected);
        }),
        { numRuns: 400 },
      );
    });

    it('no window is always open and never changes', () => {
      assert.equal(windowOpenAt(undefined, new Date()), true);
      assert.equal(nextWindowChange(undefined, new Date()), null);
    });

    it('a window open 20:00–06:00 closes at 06:00 and opens at 20:00', () => {
      const night = Array.from({ length: 7 }, () => 0xffffff & ~0b11111111111111000000);
      const noon = new Date(2026, 5, 10, 12, 0);
      assert.equal(windowOpenAt(night, noon), false);
      assert.deepEqual(nextWindowChange(night, noon), new Date(2026, 5, 10, 20, 0));
      assert.deepEqual(nextWindowChange(night, new Date(2026, 5, 10, 20, 0)), new Date(2026, 5, 11, 6, 0));
    });
  });
}
