import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GfsSpec, RetentionSpec } from '../../shared/domain/job.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { gfsFlagsFor, NO_FLAGS, type RetainedPoint } from '../../shared/retention/gfs.ts';
import { local, localDate, runHistory } from './retention-oracle.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const DAY = 86_400_000;
const GFS: GfsSpec = { weekly: 4, monthly: 12, yearly: 3, weekday: 0, monthlyWeek: 'first', yearlyMonth: 0 };
const YEARLY_JOB: RetentionSpec = { keepPoints: 7, gfs: GFS };

/** Every day from `first` to `last` (YYYY-MM-DD) at a local time of day. */
function daily(zone: string, first: string, last: string, time = '22:00'): string[] {
  const times: string[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += DAY) times.push(local(zone, `${new Date(day).toISOString().slice(0, 10)} ${time}`));
  return times;
}

/** The dates of the first `weekday` of each month from `first` (YYYY-MM) for `months` months. */
function firstWeekdays(first: string, months: number, weekday: number): string[] {
  const dates: string[] = [];
  for (let index = 0; index < months; index++) {
    const start = new Date(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)) - 1 + index, 1));
    dates.push(new Date(start.getTime() + ((weekday - start.getUTCDay() + 7) % 7) * DAY).toISOString().slice(0, 10));
  }
  return dates;
}

const datesOf = (zone: string, points: readonly RetainedPoint[]) => points.map((point) => localDate(zone, point.completed));
const flagged = (zone: string, points: readonly RetainedPoint[], kind: keyof RetainedPoint['gfs']) => datesOf(zone, points.filter((point) => point.gfs[kind]));

describe('retention: a daily copy job with GFS (4 weekly, 12 monthly, 3 yearly) and keep 7', () => {
  it('after a year keeps exactly the newest 7, the Sundays of the last 4 weeks, the first Sundays of the last 12 months', () => {
    const { history, kept } = runHistory(daily(BERLIN, '2026-01-01', '2026-12-31'), YEARLY_JOB, BERLIN);
    const expected = new Set([
      ...['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'],
      ...['2026-12-06', '2026-12-13', '2026-12-20', '2026-12-27'],
      ...firstWeekdays('2026-01', 12, 0),
    ]);
    assert.deepEqual(datesOf(BERLIN, kept), [...expected].sort());
    assert.equal(kept.length, 21);
    // 2026-01-01 (a Thursday) is the first point of the week that began on Sunday 2025-12-28.
    assert.deepEqual(flagged(BERLIN, history, 'weekly').slice(0, 3), ['2026-01-01', '2026-01-04', '2026-01-11']);
    assert.deepEqual(flagged(BERLIN, history, 'monthly'), firstWeekdays('2026-01', 12, 0));
    assert.deepEqual(flagged(BERLIN, history, 'yearly'), ['2026-01-04']);
  });

  it('after three and a half years keeps the January points of the last 3 years, and says why each point is kept', () => {
    const { kept } = runHistory(daily(BERLIN, '2026-01-01', '2029-06-30'), YEARLY_JOB, BERLIN);
    const expected = new Set([
      ...daily(BERLIN, '2029-06-24', '2029-06-30').map((at) => localDate(BERLIN, at)),
      ...['2029-06-03', '2029-06-10', '2029-06-17', '2029-06-24'],
      ...firstWeekdays('2028-07', 12, 0),
      ...['2027-01-03', '2028-01-02', '2029-01-07'],
    ]);
    assert.deepEqual(datesOf(BERLIN, kept), [...expected].sort());
    const decisions = applyRetention(kept, YEARLY_JOB, kept.at(-1)!.completed, BERLIN);
    const reasons = Object.fromEntries(kept.map((point, index) => [localDate(BERLIN, point.completed), decisions[index]!.reasons]));
    assert.deepEqual(reasons['2027-01-03'], ['yearly point of 2027, kept for 3 years']);
    assert.deepEqual(reasons['2029-01-07'], ['monthly point of 2029-01, kept for 12 months', 'yearly point of 2029, kept for 3 years']);
    assert.deepEqual(reasons['2029-06-03'], ['weekly point of the week of 2029-06-03, kept for 4 weeks', 'monthly point of 2029-06, kept for 12 months']);
    assert.deepEqual(reasons['2029-06-24'], ['one of the newest 7', 'weekly point of the week of 2029-06-24, kept for 4 weeks']);
    assert.deepEqual(reasons['2029-06-25'], ['one of the newest 7']);
  });

  it('a stored flag whose count was lowered or turned off no longer keeps its point, and the words say so', () => {
    const { kept } = runHistory(daily(BERLIN, '2026-01-01', '2026-12-31'), YEARLY_JOB, BERLIN);
    const now = kept.at(-1)!.completed;
    const reasonsOf = (retention: RetentionSpec) => {
      const decisions = applyRetention(kept, retention, now, BERLIN);
      return Object.fromEntries(kept.map((point, index) => [localDate(BERLIN, point.completed), decisions[index]!]));
    };
    const off = reasonsOf({ keepPoints: 7 });
    assert.deepEqual(Object.keys(off).filter((date) => off[date]!.keep), ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
    assert.deepEqual(off['2026-12-20']!.reasons, ['older than the newest 7', 'weekly point of the week of 2026-12-20: weekly points are no longer kept']);
    assert.deepEqual(off['2026-01-04']!.reasons, [
      'older than the newest 7',
      'weekly point of the week of 2026-01-04: weekly points are no longer kept',
      'monthly point of 2026-01: monthly points are no longer kept', 'yearly point of 2026: yearly points are no longer kept',
    ]);

    const lowered = reasonsOf({ keepPoints: 7, gfs: { ...GFS, weekly: 2, monthly: 3 } });
    assert.deepEqual(Object.keys(lowered).filter((date) => lowered[date]!.keep), ['2026-01-04', '2026-10-04', '2026-11-01', '2026-12-06', '2026-12-20', ...Object.keys(off).slice(-7)]);
    assert.deepEqual(lowered['2026-12-13']!.reasons, ['older than the newest 7', 'weekly point of the week of 2026-12-13 expired (kept for 2 weeks)']);
    assert.deepEqual(lowered['2026-09-06']!.reasons, [
      'older than the newest 7',
      'weekly point of the week of 2026-09-06 expired (kept for 2 weeks)',
      'monthly point of 2026-09 expired (kept for 3 months)',
    ]);
    assert.deepEqual(lowered['2026-01-04']!.reasons, ['yearly point of 2026, kept for 3 years']);
  });
});

describe('retention: simple and its words', () => {
  const points = (count: number): RetainedPoint[] =>
    Array.from({ length: count }, (_, index) => {
      const at = new Date(Date.UTC(2026, 2, 1 + index, 21)).toISOString();
      return { id: `p${index}`, created: at, completed: at, gfs: { ...NO_FLAGS } };
    });

  it('keeps the newest N by created, then id, whatever the order given, one decision per point in that order', () => {
    const given = points(10).reverse();
    const decisions = applyRetention(given, { keepPoints: 3 }, '2026-03-20T00:00:00Z', BERLIN);
    assert.deepEqual(decisions.map((decision) => decision.id), given.map((point) => point.id));
    assert.deepEqual(decisions.filter((decision) => decision.keep).map((decision) => decision.id), ['p9', 'p8', 'p7']);
    assert.deepEqual(decisions[0]!.reasons, ['one of the newest 3']);
    assert.deepEqual(decisions[3]!.reasons, ['older than the newest 3 and no GFS flag keeps it']);
    // Same created: the id decides.
    const tied = [{ ...points(1)[0]!, id: 'b' }, { ...points(1)[0]!, id: 'a' }];
    assert.deepEqual(applyRetention(tied, { keepPoints: 1 }, '2026-03-20T00:00:00Z', BERLIN), [
      { id: 'b', keep: true, reasons: ['the newest point'] },
      { id: 'a', keep: false, reasons: ['older than the newest 1 and no GFS flag keeps it'] },
    ]);
  });

  it('never removes the newest point, even with nothing to keep', () => {
    const decisions = applyRetention(points(3), { keepPoints: 0 }, '2026-03-20T00:00:00Z', BERLIN);
    assert.deepEqual(decisions.map((decision) => decision.keep), [false, false, true]);
    assert.deepEqual(decisions[2]!.reasons, ['the newest point, always kept']);
    assert.deepEqual(applyRetention([], { keepPoints: 7 }, '2026-03-20T00:00:00Z', BERLIN), []);
  });

  it('a job without GFS flags nothing', () => {
    const flags = gfsFlagsFor('2026-03-01T10:00:00Z', [], undefined, BERLIN);
    assert.deepEqual(flags, NO_FLAGS);
    flags.weekly = true;
    assert.equal(NO_FLAGS.weekly, false, 'the shared NO_FLAGS was handed out and changed');
    assert.deepEqual(gfsFlagsFor('2026-03-01T10:00:00Z', [], { ...GFS, weekly: 0, monthly: 0, yearly: 0 }, BERLIN), NO_FLAGS);
  });
});

describe('GFS flags on local calendar days', () => {
  /** The flags each point of `times` gets in a history (retention keeping everything). */
  function flagsOf(zone: string, gfs: GfsSpec, times: readonly string[]): Record<string, string> {
    const { history } = runHistory(times, { keepPoints: 999, gfs }, zone);
    return Object.fromEntries(
      history.map((point) => [
        new Intl.DateTimeFormat('sv', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(point.completed)),
        (['weekly', 'monthly', 'yearly'] as const).filter((kind) => point.gfs[kind]).join(' '),
      ]),
    );
  }

  for (const [zone, spring, fall] of [
    [BERLIN, '2026-03-29', '2026-10-25'],
    [NEW_YORK, '2026-03-08', '2026-11-01'],
  ] as const) {
    it(`${zone}: the week starts at local midnight of the weekday across both DST changes`, () => {
      const weekly: GfsSpec = { ...GFS, monthly: 0, yearly: 0 };
      for (const change of [spring, fall]) {
        const day = Date.parse(`${change}T00:00:00Z`);
        const date = (offset: number) => new Date(day + offset * DAY).toISOString().slice(0, 10);
        const times = [`${date(-2)} 12:00`, `${date(-1)} 21:00`, `${date(-1)} 23:59`, `${date(0)} 00:30`, `${date(0)} 03:30`, `${date(0)} 23:30`, `${date(1)} 00:10`];
        const flags = flagsOf(zone, weekly, times.map((text) => local(zone, text)));
        assert.deepEqual(Object.values(flags), ['weekly', '', '', 'weekly', '', '', ''], `${zone} around ${change}: ${JSON.stringify(flags)}`);
      }
    });

    it(`${zone}: a weekly point is kept for N local weeks, whatever the DST change in between`, () => {
      const weekly: GfsSpec = { ...GFS, weekly: 1, monthly: 0, yearly: 0 };
      const before = local(zone, `${new Date(Date.parse(spring) - DAY).toISOString().slice(0, 10)} 23:59`);
      const now = local(zone, `${spring} 00:30`);
      const points: RetainedPoint[] = [
        { id: 'a', created: before, completed: before, gfs: { weekly: true, monthly: false, yearly: false } },
        { id: 'b', created: now, completed: now, gfs: { ...NO_FLAGS } },
      ];
      assert.deepEqual(applyRetention(points, { keepPoints: 1, gfs: weekly }, now, zone)[0]!.keep, false, 'last week\'s point is kept for 1 week');
      assert.deepEqual(applyRetention(points, { keepPoints: 1, gfs: { ...weekly, weekly: 2 } }, now, zone)[0]!.keep, true);
      // Six days and 23 hours later, still the same local week: kept for 2 weeks.
      const later = local(zone, `${new Date(Date.parse(spring) + 6 * DAY).toISOString().slice(0, 10)} 23:59`);
      assert.equal(applyRetention(points, { keepPoints: 1, gfs: { ...weekly, weekly: 2 } }, later, zone)[0]!.keep, true);
      const nextWeek = local(zone, `${new Date(Date.parse(spring) + 7 * DAY).toISOString().slice(0, 10)} 00:00`);
      assert.equal(applyRetention(points, { keepPoints: 1, gfs: { ...weekly, weekly: 2 } }, nextWeek, zone)[0]!.keep, false);
    });
  }

  it('the point of the weekday itself, or the first after it in its week, when the job did not run that day', () => {
    const times = ['2026-03-02 22:00', '2026-03-04 22:00', '2026-03-09 22:00', '2026-03-10 22:00'].map((text) => local(BERLIN, text));
    // Weeks from Tuesday: Mar 2 (Monday) belongs to the week of Feb 24, Mar 4 is the first of the week of Mar 3.
    assert.deepEqual(Object.values(flagsOf(BERLIN, { ...GFS, weekday: 2, monthly: 0, yearly: 0 }, times)), ['weekly', 'weekly', '', 'weekly']);
  });

  it('monthly, first week: from the month\'s first weekday (not its first day) to its end', () => {
    // March 2026 begins on a Sunday; its first Wednesday is the 4th.
    const times = ['2026-02-26 22:00', '2026-03-01 22:00', '2026-03-03 22:00', '2026-03-05 22:00', '2026-03-30 22:00', '2026-04-01 09:00'].map((text) => local(BERLIN, text));
    assert.deepEqual(Object.values(flagsOf(BERLIN, { ...GFS, weekly: 0, weekday: 3 }, times)), ['monthly', '', '', 'monthly', '', 'monthly']);
  });

  it('monthly, last week: from the month\'s last weekday, whatever the month\'s length (leap February included)', () => {
    const gfs: GfsSpec = { ...GFS, weekly: 0, yearly: 0, weekday: 2, monthlyWeek: 'last' };
    // The last Tuesday of February 2028 is its 29th; of February 2027 the 23rd; of April 2026 the 28th (30 days).
    const times = ['2027-02-22 12:00', '2027-02-23 12:00', '2027-02-28 12:00', '2028-02-28 12:00', '2028-02-29 12:00', '2026-04-27 12:00', '2026-04-30 12:00'];
    const sorted = times.map((text) => local(BERLIN, text)).sort();
    const flags = flagsOf(BERLIN, gfs, sorted);
    assert.deepEqual(flags, {
      '2026-04-27 12:00': '',
      '2026-04-30 12:00': 'monthly',
      '2027-02-22 12:00': '',
      '2027-02-23 12:00': 'monthly',
      '2027-02-28 12:00': '',
      '2028-02-28 12:00': '',
      '2028-02-29 12:00': 'monthly',
    });
  });

  it('yearly: the monthly window of the chosen month, once a year, in local time (New Year\'s Eve in New York is already January in UTC)', () => {
    const gfs: GfsSpec = { ...GFS, weekly: 0, monthly: 0, yearly: 2, weekday: 4, monthlyWeek: 'last', yearlyMonth: 11 };
    // The last Thursday of December 2026 is the 31st.
    const times = ['2026-12-30 20:00', '2026-12-31 20:00', '2026-12-31 23:00', '2027-01-01 09:00', '2027-12-30 19:00'].map((text) => local(NEW_YORK, text));
    assert.deepEqual(Object.values(flagsOf(NEW_YORK, gfs, times)), ['', 'yearly', '', '', 'yearly']);
  });

  it('a point can carry several flags: the first point of January\'s first week is weekly, monthly and yearly', () => {
    const flags = gfsFlagsFor(local(BERLIN, '2026-01-04 08:00'), [], GFS, BERLIN);
    assert.deepEqual(flags, { weekly: true, monthly: true, yearly: true });
  });
});
