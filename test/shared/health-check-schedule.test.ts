import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_HEALTH_CHECK, type HealthCheckSpec } from '../../shared/domain/job.ts';
import { healthCheckDue, lastHealthCheckDay } from '../../shared/schedule/health-check.ts';
import { local, localDate } from './retention-oracle.ts';

const DAY = 86_400_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'] as const;

const spec: fc.Arbitrary<HealthCheckSpec> = fc.record({
  enabled: fc.constant(true),
  frequency: fc.constantFrom('weekly' as const, 'monthly' as const),
  weekday: fc.integer({ min: 0, max: 6 }),
  week: fc.constantFrom('first' as const, 'second' as const, 'third' as const, 'fourth' as const, 'last' as const),
});
const instant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') });

/** Oracle: whether a local date (YYYY-MM-DD) is a scheduled day, from plain UTC dates. */
function scheduled(date: string, check: HealthCheckSpec): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  if (day.getUTCDay() !== check.weekday) return false;
  if (check.frequency === 'weekly') return true;
  const dom = day.getUTCDate();
  const length = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  if (check.week === 'last') return dom + 7 > length;
  const nth = ['first', 'second', 'third', 'fourth'].indexOf(check.week);
  return dom > 7 * nth && dom <= 7 * (nth + 1);
}

/** Oracle: the latest scheduled local date on or before `at`, stepping back a day at a time. */
function latestScheduled(at: number, zone: string, check: HealthCheckSpec): string {
  let date = localDate(zone, at);
  for (let step = 0; step < 40 && !scheduled(date, check); step++) date = new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
  assert.ok(scheduled(date, check), `no scheduled day within 40 days before ${date}`);
  return date;
}

describe('health check schedule', () => {
  it('the default is monthly, on the last Sunday: March 2026 has five Sundays (the 29th), February 2026 four (the 22nd)', () => {
    assert.equal(lastHealthCheckDay(DEFAULT_HEALTH_CHECK, local('Europe/Berlin', '2026-03-31 12:00'), 'Europe/Berlin'), '2026-03-29');
    assert.equal(lastHealthCheckDay(DEFAULT_HEALTH_CHECK, local('Europe/Berlin', '2026-03-28 23:59'), 'Europe/Berlin'), '2026-02-22');
    assert.equal(lastHealthCheckDay(DEFAULT_HEALTH_CHECK, local('Europe/Berlin', '2026-02-22 00:00'), 'Europe/Berlin'), '2026-02-22');
    // The fourth Sunday is the last one in February, not in March.
    const fourth: HealthCheckSpec = { ...DEFAULT_HEALTH_CHECK, week: 'fourth' };
    assert.equal(lastHealthCheckDay(fourth, local('Europe/Berlin', '2026-03-31 12:00'), 'Europe/Berlin'), '2026-03-22');
    assert.equal(lastHealthCheckDay(fourth, local('Europe/Berlin', '2026-02-28 12:00'), 'Europe/Berlin'), '2026-02-22');
    // Before this month's day: the month before's (December's across the year).
    assert.equal(lastHealthCheckDay({ ...DEFAULT_HEALTH_CHECK, week: 'first' }, '2026-01-03T12:00:00Z', 'UTC'), '2025-12-07');
  });

  it('local days across DST: the last Sunday of March 2026 is the day Berlin springs forward; the day starts at local midnight', () => {
    const lastCheck = local('Europe/Berlin', '2026-02-22 12:00');
    // 23:59 on Saturday the 28th in Berlin is 22:59 UTC: not yet.
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local('Europe/Berlin', '2026-03-28 23:59'), 'Europe/Berlin'), false);
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local('Europe/Berlin', '2026-03-29 00:01'), 'Europe/Berlin'), true);
    // Just after the gap (02:00 → 03:00) it is still the 29th.
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local('Europe/Berlin', '2026-03-29 03:00'), 'Europe/Berlin'), true);
    // The same instant is still Saturday in New York.
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local('Europe/Berlin', '2026-03-29 00:01'), 'America/New_York'), false);
    // New York falls back on Sunday 1 November 2026: a weekly Sunday check runs at 01:30 (the first), not again at the repeated 01:30.
    const weekly: HealthCheckSpec = { ...DEFAULT_HEALTH_CHECK, frequency: 'weekly' };
    const first = '2026-11-01T05:30:00Z';
    const repeated = '2026-11-01T06:30:00Z';
    assert.equal(localDate('America/New_York', first), localDate('America/New_York', repeated));
    assert.equal(healthCheckDue(weekly, '2026-10-25T14:00:00Z', first, 'America/New_York'), true);
    assert.equal(healthCheckDue(weekly, first, repeated, 'America/New_York'), false);
  });

  it('a job that did not run on the day checks at its first run after it, once; a new job (never checked) checks at its first run', () => {
    const zone = 'Europe/Berlin';
    const lastCheck = local(zone, '2026-02-22 09:00');
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local(zone, '2026-03-02 09:00'), zone), false);
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, lastCheck, local(zone, '2026-04-02 09:00'), zone), true);
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, local(zone, '2026-04-02 09:00'), local(zone, '2026-04-02 10:00'), zone), false);
    assert.equal(healthCheckDue(DEFAULT_HEALTH_CHECK, null, local(zone, '2026-04-02 10:00'), zone), true);
  });

  it('off: never due, no day', () => {
    const off: HealthCheckSpec = { ...DEFAULT_HEALTH_CHECK, enabled: false };
    assert.equal(lastHealthCheckDay(off, '2026-03-29T12:00:00Z', 'UTC'), null);
    assert.equal(healthCheckDue(off, null, '2026-03-29T12:00:00Z', 'UTC'), false);
    assert.equal(healthCheckDue(off, '2020-01-01T00:00:00Z', '2026-03-29T12:00:00Z', 'UTC'), false);
  });

  it('properties: the day is the oracle\'s latest scheduled local date; due exactly when the last check\'s local date is before it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), spec, instant, fc.option(fc.integer({ min: 0, max: 90 * 1440 }), { nil: undefined }), (zone, check, now, minutesBefore) => {
        const day = lastHealthCheckDay(check, new Date(now).toISOString(), zone);
        assert.equal(day, latestScheduled(now, zone, check));
        const lastCheck = minutesBefore === undefined ? null : new Date(now - minutesBefore * 60_000).toISOString();
        const due = healthCheckDue(check, lastCheck, new Date(now).toISOString(), zone);
        assert.equal(due, lastCheck === null || localDate(zone, lastCheck) < day!);
      }),
      { numRuns: 400 },
    );
  });

  it('properties: a job\'s runs check once per scheduled day, at the first run on or after it and before the next', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        spec,
        instant,
        fc.array(fc.integer({ min: 1, max: 12 * 1440 }), { minLength: 1, maxLength: 80 }),
        (zone, check, start, gaps) => {
          let at = start;
          const runs = gaps.map((gap) => (at += gap * 60_000));
          let lastCheck: string | null = new Date(start).toISOString();
          const checkedDays = new Set<string>();
          let previousDay = latestScheduled(start, zone, check);
          for (const run of runs) {
            const now = new Date(run).toISOString();
            const day = latestScheduled(run, zone, check);
            const due = healthCheckDue(check, lastCheck, now, zone);
            // The first run in a new scheduled period checks; any later run in it does not.
            assert.equal(due, day !== previousDay && !checkedDays.has(day), `run at ${now} (${localDate(zone, run)}), period of ${day}`);
            if (due) {
              checkedDays.add(day);
              lastCheck = now;
            }
            previousDay = day;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
