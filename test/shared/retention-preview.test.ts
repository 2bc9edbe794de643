// The schedule's wall-clock times are the process's zone: the engine's.
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyScheduleSpec, GfsSpec, RetentionSpec } from '../../shared/domain/job.ts';
import { NO_FLAGS, type RetainedPoint } from '../../shared/retention/gfs.ts';
import { previewRetention, SIMULATION_LIMIT } from '../../shared/retention/preview.ts';
import { local, localDate, runHistory } from './retention-oracle.ts';

const ZONE = 'Europe/Berlin';
const GFS: GfsSpec = { weekly: 4, monthly: 12, yearly: 3, weekday: 0, monthlyWeek: 'first', yearlyMonth: 0 };
const RETENTION: RetentionSpec = { keepPoints: 7, gfs: GFS };
const EVERY_DAY: AnyScheduleSpec = { mode: 'daily', at: '22:00', weekdays: [0, 1, 2, 3, 4, 5, 6] };

const preview = (options: Partial<Parameters<typeof previewRetention>[0]>) =>
  previewRetention({ retention: RETENTION, points: [], schedule: EVERY_DAY, months: 12, now: new Date(local(ZONE, '2026-01-01 00:00')), timeZone: ZONE, ...options });

describe('retention preview (simulation)', () => {
  it('a year of a daily job: a point at each run, flagged and removed as retention after each run would', () => {
    const result = preview({});
    assert.equal(result.until, local(ZONE, '2027-01-01 00:00'));
    assert.equal(result.timeline.length, 365);
    assert.deepEqual(result.notes, []);
    const byDate = new Map(result.timeline.map((point) => [localDate(ZONE, point.completed), point]));
    assert.equal(byDate.get('2026-01-02')!.removedAt, local(ZONE, '2026-01-09 22:00'), 'a plain point leaves when 7 newer ones exist');
    assert.deepEqual(byDate.get('2026-01-04'), { id: null, completed: local(ZONE, '2026-01-04 22:00'), gfs: { weekly: true, monthly: true, yearly: true }, removedAt: null });
    assert.equal(byDate.get('2026-01-11')!.removedAt, local(ZONE, '2026-02-08 22:00'), 'a weekly point leaves with the first run of its fifth week');

    // The same as the product's loop: flag when written, retention after each run.
    const { kept } = runHistory(
      result.timeline.map((point) => point.completed),
      RETENTION,
      ZONE,
    );
    assert.deepEqual(
      result.timeline.filter((point) => point.removedAt === null).map((point) => point.completed),
      kept.map((point) => point.completed),
    );
    assert.equal(result.peakKept, 7 + 11 + 3);
  });

  it('decides on the current points now, with reasons, and simulates on from the ones it keeps', () => {
    const point = (id: string, text: string, gfs = NO_FLAGS): RetainedPoint => ({ id, created: local(ZONE, text), completed: local(ZONE, text), gfs });
    const points = [point('old-monthly', '2025-03-02 22:00', { weekly: false, monthly: true, yearly: false }), point('recent-monthly', '2025-12-07 22:00', { weekly: false, monthly: true, yearly: false }), point('a', '2025-12-30 22:00'), point('b', '2025-12-31 22:00')];
    const result = preview({ points, retention: { keepPoints: 1, gfs: { ...GFS, monthly: 2 } }, months: 2 });
    assert.deepEqual(result.current, [
      { id: 'old-monthly', keep: false, reasons: ['older than the newest 1', 'monthly point of 2025-03 expired (kept for 2 months)'] },
      { id: 'recent-monthly', keep: true, reasons: ['monthly point of 2025-12, kept for 2 months'] },
      { id: 'a', keep: false, reasons: ['older than the newest 1 and no GFS flag keeps it'] },
      { id: 'b', keep: true, reasons: ['the newest point'] },
    ]);
    assert.deepEqual(result.timeline.slice(0, 2).map((entry) => [entry.id, entry.removedAt]), [
      ['recent-monthly', local(ZONE, '2026-02-01 22:00')],
      ['b', local(ZONE, '2026-01-01 22:00')],
    ]);
    assert.ok(result.timeline.slice(2).every((entry) => entry.id === null));
    // Each month's monthly point is its first Sunday's (the current points carry none of January).
    assert.deepEqual(result.timeline.filter((entry) => entry.gfs.monthly).map((entry) => localDate(ZONE, entry.completed)), ['2025-12-07', '2026-01-04', '2026-02-01']);
  });

  it('manual and immediate schedules, or none: one point a day, and says so', () => {
    for (const schedule of [{ mode: 'manual' } as const, { mode: 'immediate' } as const, undefined]) {
      const result = preview({ schedule, months: 2, now: new Date(local(ZONE, '2026-03-10 09:15')) });
      assert.equal(result.timeline.length, 31 + 30 - 9 + 9, JSON.stringify(schedule));
      assert.ok(result.timeline.every((entry) => new Date(entry.completed).getHours() === 9 && new Date(entry.completed).getMinutes() === 15));
      assert.equal(result.notes.length, schedule ? 1 : 0);
      if (schedule) assert.match(result.notes[0]!, /assumes one point a day/);
    }
  });

  it(`a schedule that runs more often stops at ${SIMULATION_LIMIT} points, and says where`, () => {
    const result = preview({ schedule: { mode: 'periodic', every: 15, unit: 'minutes', startAt: '2026-01-01T00:00:00Z' }, months: 36 });
    assert.equal(result.timeline.length, SIMULATION_LIMIT);
    assert.equal(result.until, result.timeline.at(-1)!.completed);
    assert.equal(result.until, new Date(Date.parse('2026-01-01T00:00:00Z') + (SIMULATION_LIMIT - 1) * 15 * 60_000).toISOString());
    assert.match(result.notes[0]!, new RegExp(`more than ${SIMULATION_LIMIT} points in 36 month\\(s\\): the simulation stops at the ${SIMULATION_LIMIT}th, ${result.until}`));
    // The newest 7, then the first point of each of the last 4 weeks (Sundays, 00:00), and January's monthly and yearly point.
    const kept = result.timeline.filter((entry) => entry.removedAt === null);
    assert.deepEqual(
      kept.slice(0, -7).map((entry) => entry.completed),
      ['2026-01-04', '2026-01-11', '2026-01-18', '2026-01-25', '2026-02-01'].map((date) => local(ZONE, `${date} 00:00`)),
    );
  });

  it('simulates whole local calendar months: the day clamped to the month\'s length, the time of day kept across a DST change', () => {
    assert.equal(preview({ now: new Date(local(ZONE, '2026-01-31 10:00')), months: 1 }).until, local(ZONE, '2026-02-28 10:00'));
    assert.equal(preview({ now: new Date(local(ZONE, '2026-03-01 12:00')), months: 1 }).until, local(ZONE, '2026-04-01 12:00'));
    assert.equal(preview({ now: new Date(local(ZONE, '2026-10-31 23:30')), months: 36 }).until, local(ZONE, '2029-10-31 23:30'));
  });
});
