import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { AnyScheduleSpec } from '../../shared/domain/job.ts';
import { dueRun, intervalAt, nextRun, nextRuns } from '../../shared/schedule/calendar.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each zone with its 2026 DST changes (UTC): spring forward (02:00 → 03:00 local), fall back. */
const ZONES = {
  'Europe/Berlin': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
} as const;
/** A wall-clock time the fall-back day has twice. */
const REPEATED = { 'Europe/Berlin': '02:30', 'America/New_York': '01:30' } as const;

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string): Intl.DateTimeFormat {
  let found = formats.get(zone);
  if (!found) {
    const options = { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' } as const;
    found = new Intl.DateTimeFormat('en-US', options);
    formats.set(zone, found);
  }
  return found;
}

// The oracle: whether a whole minute is a scheduled time, from its wall clock alone
// (Intl, not the Date getters the code under test uses).
function wall(zone: string, at: number): { day: number; weekday: number; minutes: number; value: number } {
  const parts = Object.fromEntries(
    format(zone)
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const day = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY;
  const minutes = Number(parts.hour) * 60 + Number(parts.minute);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { day, weekday, minutes, value: day * DAY + minutes * MINUTE };
}

/** The first moment the wall clock shows `minutes` on the wall day of `at`: the time itself, or the end of a gap that skipped it. */
function isWallTime(zone: string, at: number, minutes: number): boolean {
  const now = wall(zone, at);
  const wanted = now.day * DAY + minutes * MINUTE;
  if (now.value === wanted) return wall(zone, at - HOUR).value !== wanted;
  return wall(zone, at - MINUTE).value < wanted && now.value > wanted;
}

function isScheduled(zone: string, schedule: AnyScheduleSpec, at: number): boolean {
  if (schedule.mode === 'daily') {
    const [hours, minutes] = schedule.at.split(':').map(Number);
    return schedule.weekdays.includes(wall(zone, at).weekday) && isWallTime(zone, at, hours! * 60 + minutes!);
  }
  if (schedule.mode !== 'periodic') return false;
  const start = Date.parse(schedule.startAt);
  if (at < start) return false;
  if (schedule.unit !== 'days') return (at - start) % (schedule.every * (schedule.unit === 'hours' ? HOUR : MINUTE)) === 0;
  if (at === start) return true;
  const first = wall(zone, start);
  const days = wall(zone, at).day - first.day;
  return days > 0 && days % schedule.every === 0 && isWallTime(zone, at, first.minutes);
}

/** Every scheduled whole minute in (from, to]. */
function bruteForce(zone: string, schedule: AnyScheduleSpec, from: number, to: number): number[] {
  const found: number[] = [];
  for (let at = Math.floor(from / MINUTE) * MINUTE + MINUTE; at <= to; at += MINUTE) if (isScheduled(zone, schedule, at)) found.push(at);
  return found;
}

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_END = Date.parse('2027-01-01T00:00:00Z');
const wholeMinute = fc.integer({ min: YEAR_START / MINUTE, max: YEAR_END / MINUTE }).map((minute) => minute * MINUTE);

function moments(zone: keyof typeof ZONES): fc.Arbitrary<number> {
  // Half the moments within two days of a DST change.
  const nearChange = fc
    .tuple(fc.constantFrom(...ZONES[zone].map((text) => Date.parse(text))), fc.integer({ min: -2 * DAY, max: 2 * DAY }))
    .map(([change, offset]) => change + offset);
  return fc.oneof(fc.integer({ min: YEAR_START, max: YEAR_END }), nearChange);
}

function schedules(zone: keyof typeof ZONES): fc.Arbitrary<AnyScheduleSpec> {
  const startAt = fc.oneof(wholeMinute, moments(zone).map((at) => Math.floor(at / MINUTE) * MINUTE)).map((at) => new Date(at).toISOString());
  const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  return fc.oneof(
    fc.record({ mode: fc.constant('periodic' as const), every: fc.integer({ min: 1, max: 600 }), unit: fc.constant('minutes' as const), startAt }),
    fc.record({ mode: fc.constant('periodic' as const), every: fc.integer({ min: 1, max: 30 }), unit: fc.constant('hours' as const), startAt }),
    fc.record({ mode: fc.constant('periodic' as const), every: fc.integer({ min: 1, max: 3 }), unit: fc.constant('days' as const), startAt }),
    fc.record({
      mode: fc.constant('daily' as const),
      // DST changes happen around 02:00: times near it half the time.
      at: fc.oneof(time, fc.constantFrom('01:30', '02:00', '02:30', '02:59', '03:00')),
      weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    }),
  );
}

for (const zone of Object.keys(ZONES) as (keyof typeof ZONES)[]) {
  describe(`schedule calendar in ${zone}`, () => {
    before(() => {
      process.env.TZ = zone;
    });

    it('nextRuns: strictly increasing, after `after`, each a scheduled time, none skipped (minute-by-minute brute force over 3 days)', () => {
      fc.assert(
        fc.property(schedules(zone), moments(zone), (schedule, after) => {
          const runs = nextRuns(schedule, new Date(after), 6).map((run) => run.getTime());
          assert.equal(runs.length, 6);
          runs.forEach((run, index) => {
            assert.ok(run > (index === 0 ? after : runs[index - 1]!), `run ${index} not after its predecessor`);
            assert.ok(isScheduled(zone, schedule, run), `${new Date(run).toISOString()} is not a scheduled time`);
          });
          const horizon = Math.min(runs.at(-1)!, after + 3 * DAY);
          assert.deepEqual(runs.filter((run) => run <= horizon), bruteForce(zone, schedule, after, horizon));
        }),
        { numRuns: 40 },
      );
    });

    it('dueRun: the latest scheduled time in (since, now], or none when nothing is due there', () => {
      fc.assert(
        fc.property(schedules(zone), moments(zone), fc.option(fc.integer({ min: 0, max: 10 * DAY })), (schedule, now, back) => {
          const since = back === null ? null : new Date(now - back);
          const due = dueRun(schedule, since, new Date(now));
          const afterSince = nextRun(schedule, since ?? new Date(YEAR_START - 400 * DAY));
          if (!due) {
            assert.ok(!afterSince || afterSince.getTime() > now, 'a scheduled time in (since, now] was not due');
            return;
          }
          assert.ok(due.getTime() <= now && (!since || due.getTime() > since.getTime()));
          assert.ok(isScheduled(zone, schedule, due.getTime()));
          assert.ok(nextRun(schedule, due)!.getTime() > now, 'a later scheduled time was due');
        }),
        { numRuns: 300 },
      );
    });

    it('a scheduler polling a clock that jumps back and forward serves each time once, in order, and drops only times superseded before it looked', () => {
      const steps = fc.array(
        fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min: 1, max: 90 * MINUTE }) },
          { weight: 1, arbitrary: fc.integer({ min: -3 * HOUR, max: -1 }) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * DAY }) },
        ),
        { minLength: 1, maxLength: 120 },
      );
      fc.assert(
        fc.property(schedules(zone), moments(zone), steps, (schedule, start, jumps) => {
          let now = start;
          let served: Date | null = null;
          const ran: number[] = [];
          const looks: { at: number; served: number }[] = [];
          for (const jump of jumps) {
            now += jump;
            looks.push({ at: now, served: served?.getTime() ?? -Infinity });
            const due = dueRun(schedule, served, new Date(now));
            if (!due) continue;
            assert.ok(due.getTime() <= now);
            ran.push(due.getTime());
            served = due;
          }
          for (let index = 1; index < ran.length; index++) assert.ok(ran[index]! > ran[index - 1]!, 'a run was served twice or out of order');
          // A scheduled time is skipped only when no look saw it as the latest due time
          // (the clock jumped past the next one, or a later one was already served).
          for (const time of nextRuns(schedule, new Date(start - 3 * HOUR), 300).map((run) => run.getTime())) {
            if (ran.includes(time)) continue;
            const following = nextRun(schedule, new Date(time))!.getTime();
            const sawIt = looks.find((look) => look.served < time && look.at >= time && look.at < following);
            assert.ok(!sawIt, `${new Date(time).toISOString()} was dropped`);
          }
        }),
        { numRuns: 100 },
      );
    });

    it('intervalAt: [start, end) holds `at`, between two consecutive scheduled times', () => {
      fc.assert(
        fc.property(schedules(zone), moments(zone), (schedule, at) => {
          const interval = intervalAt(schedule, new Date(at));
          if (!interval) {
            assert.ok(schedule.mode === 'periodic' && Date.parse(schedule.startAt) > at);
            return;
          }
          assert.ok(interval.start.getTime() <= at && at < interval.end.getTime());
          assert.ok(isScheduled(zone, schedule, interval.start.getTime()));
          assert.deepEqual(nextRun(schedule, interval.start), interval.end);
        }),
        { numRuns: 300 },
      );
    });

    it('daily: a skipped time runs at the end of the gap (03:00), a repeated one once, at its first occurrence', () => {
      const [spring, fall] = ZONES[zone].map((text) => Date.parse(text));
      const skipped: AnyScheduleSpec = { mode: 'daily', at: '02:30', weekdays: [0, 1, 2, 3, 4, 5, 6] };
      const springRuns = nextRuns(skipped, new Date(spring! - 12 * HOUR), 3).map((run) => run.getTime() - spring!);
      assert.deepEqual(springRuns, [0, DAY - HOUR / 2, 2 * DAY - HOUR / 2]);
      const repeated: AnyScheduleSpec = { mode: 'daily', at: REPEATED[zone], weekdays: [0, 1, 2, 3, 4, 5, 6] };
      const fallRuns = nextRuns(repeated, new Date(fall! - 12 * HOUR), 3).map((run) => run.getTime() - fall!);
      assert.deepEqual(fallRuns, [-HOUR / 2, DAY + HOUR / 2, 2 * DAY + HOUR / 2]);
      assert.equal(dueRun(repeated, new Date(fall! - HOUR / 2), new Date(fall! + HOUR / 2 + MINUTE)), undefined, 'the repeated time ran again');
    });

    it('daily on chosen weekdays skips the others', () => {
      const schedule: AnyScheduleSpec = { mode: 'daily', at: '22:00', weekdays: [1, 3, 5] };
      const runs = nextRuns(schedule, new Date('2026-06-01T00:00:00Z'), 9);
      assert.deepEqual(
        runs.map((run) => run.getDay()),
        [1, 3, 5, 1, 3, 5, 1, 3, 5],
      );
      assert.ok(runs.every((run) => run.getHours() === 22 && run.getMinutes() === 0));
    });

    it('manual and immediate schedules have no runs', () => {
      for (const schedule of [{ mode: 'manual' }, { mode: 'immediate' }] as AnyScheduleSpec[]) {
        assert.deepEqual(nextRuns(schedule, new Date(), 3), []);
        assert.equal(dueRun(schedule, null, new Date()), undefined);
        assert.equal(intervalAt(schedule, new Date()), undefined);
      }
    });
  });
}
