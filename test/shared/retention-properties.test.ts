import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { GfsSpec, RetentionSpec } from '../../shared/domain/job.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { GFS_KINDS, type RetainedPoint } from '../../shared/retention/gfs.ts';
import { compareCodeUnits } from '../../shared/util/compare.ts';
import { inMonthlyWeek, localDate, periodAge, runHistory, weekStartOf } from './retention-oracle.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const ZONES = ['Europe/Berlin', 'America/New_York'] as const;
/** DST changes of 2026 (UTC), so histories often cross one. */
const CHANGES = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map((text) => Date.parse(text));

const gfsSpec: fc.Arbitrary<GfsSpec> = fc.record({
  weekly: fc.integer({ min: 0, max: 6 }),
  monthly: fc.integer({ min: 0, max: 4 }),
  yearly: fc.integer({ min: 0, max: 2 }),
  weekday: fc.integer({ min: 0, max: 6 }),
  monthlyWeek: fc.constantFrom('first' as const, 'last' as const),
  yearlyMonth: fc.integer({ min: 0, max: 11 }),
});
const retentionSpec = (minKeep: number): fc.Arbitrary<RetentionSpec> =>
  fc.record({ keepPoints: fc.integer({ min: minKeep, max: 10 }), gfs: fc.option(gfsSpec, { nil: undefined }) }, { requiredKeys: ['keepPoints'] });

/** Completion times of a job's points: strictly increasing, hours to weeks apart, often across a DST change or midnight. */
const times = fc
  .tuple(
    fc.oneof(fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }), fc.constantFrom(...CHANGES).map((change) => change - 3 * DAY)),
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 20 * 60, max: 28 * 60 }) },
        { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 * 60 }) },
        { weight: 1, arbitrary: fc.integer({ min: 2 * 1440, max: 40 * 1440 }) },
      ),
      { minLength: 1, maxLength: 120 },
    ),
  )
  .map(([start, gaps]) => {
    let at = start;
    return gaps.map((gap) => new Date((at += gap * MINUTE)).toISOString());
  });

/** Whether the oracle keeps `point` at `now`: among the newest N (or the newest), or a flag whose period is within its count. */
function oracleKeeps(point: RetainedPoint, rank: number, retention: RetentionSpec, now: string, zone: string): boolean {
  if (rank < Math.max(1, retention.keepPoints)) return true;
  const date = localDate(zone, point.completed);
  const today = localDate(zone, now);
  return GFS_KINDS.some((kind) => {
    const count = retention.gfs?.[kind] ?? 0;
    return point.gfs[kind] && count > 0 && periodAge(kind, date, today, retention.gfs?.weekday ?? 0) < count;
  });
}

describe('retention properties (fast-check)', () => {
  it('a job\'s history: each flag goes to the first point of its period (local dates), and the kept points are exactly the oracle\'s', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), times, retentionSpec(1), (zone, completions, retention) => {
        const { history, kept } = runHistory(completions, retention, zone);
        const gfs = retention.gfs;
        const seen = { weekly: new Set<string>(), monthly: new Set<string>(), yearly: new Set<string>() };
        for (const point of history) {
          const date = localDate(zone, point.completed);
          const period = {
            weekly: weekStartOf(date, gfs?.weekday ?? 0),
            monthly: date.slice(0, 7),
            yearly: date.slice(0, 4),
          };
          const window = {
            weekly: true,
            monthly: gfs !== undefined && inMonthlyWeek(date, gfs),
            yearly: gfs !== undefined && inMonthlyWeek(date, gfs) && Number(date.slice(5, 7)) - 1 === gfs.yearlyMonth,
          };
          for (const kind of GFS_KINDS) {
            const expected = (gfs?.[kind] ?? 0) > 0 && window[kind] && !seen[kind].has(period[kind]);
            assert.equal(point.gfs[kind], expected, `${kind} flag of the point of ${date} (${point.completed})`);
            if (expected) seen[kind].add(period[kind]);
          }
        }
        const now = completions.at(-1)!;
        const expectedKept = history.filter((point, index) => oracleKeeps(point, history.length - 1 - index, retention, now, zone));
        // Retention after each run removes a point once the oracle stops keeping it, never earlier, and never brings one back.
        assert.deepEqual(kept.map((point) => point.id), expectedKept.map((point) => point.id));
        for (const kind of GFS_KINDS) {
          const keptForFlag = kept.filter((point) => point.gfs[kind] && periodAge(kind, localDate(zone, point.completed), localDate(zone, now), gfs?.weekday ?? 0) < (gfs?.[kind] ?? 0));
          assert.ok(keptForFlag.length <= (gfs?.[kind] ?? 0), `${keptForFlag.length} ${kind} points kept for a count of ${gfs?.[kind] ?? 0}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  const pointSets = fc
    .uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        created: fc.integer({ min: 0, max: 40 }).map((hour) => new Date(Date.UTC(2026, 2, 20) + hour * 6 * 3_600_000).toISOString()),
        completed: fc.integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2026-04-01T00:00:00Z') }).map((at) => new Date(at).toISOString()),
        gfs: fc.record({ weekly: fc.boolean(), monthly: fc.boolean(), yearly: fc.boolean() }),
      }),
      { selector: (point) => point.id, maxLength: 40 },
    )
    .chain((points) => fc.shuffledSubarray(points, { minLength: points.length, maxLength: points.length }));
  const nows = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-06-01T00:00:00Z') }).map((at) => new Date(at).toISOString());

  it('any points, any order: a decision per point in order, newest N and the newest kept, order-independent, idempotent, monotonic in every count', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), pointSets, retentionSpec(0), nows, (zone, points, retention, now) => {
        const decisions = applyRetention(points, retention, now, zone);
        assert.deepEqual(decisions.map((decision) => decision.id), points.map((point) => point.id));
        assert.ok(decisions.every((decision) => decision.reasons.length > 0 && decision.reasons.every((reason) => reason.length > 0)));
        const keeps = new Map(decisions.map((decision) => [decision.id, decision.keep]));

        const newestFirst = [...points].sort((a, b) => compareCodeUnits(b.created, a.created) || compareCodeUnits(b.id, a.id));
        newestFirst.forEach((point, rank) => assert.equal(keeps.get(point.id), oracleKeeps(point, rank, retention, now, zone), `point ${point.id} (rank ${rank})`));
        if (points.length > 0) assert.equal(keeps.get(newestFirst[0]!.id), true, 'the newest point was removed');

        const reversed = applyRetention([...points].reverse(), retention, now, zone);
        assert.deepEqual(new Map(reversed.map((decision) => [decision.id, decision.keep])), keeps);

        const kept = points.filter((point) => keeps.get(point.id));
        assert.ok(applyRetention(kept, retention, now, zone).every((decision) => decision.keep), 'applying retention again to the kept points removed one');

        const more: RetentionSpec[] = [{ ...retention, keepPoints: retention.keepPoints + 1 }];
        if (retention.gfs) for (const kind of GFS_KINDS) more.push({ ...retention, gfs: { ...retention.gfs, [kind]: retention.gfs[kind] + 1 } });
        for (const larger of more) {
          const keptLarger = applyRetention(points, larger, now, zone);
          keptLarger.forEach((decision, index) => assert.ok(decision.keep || !decisions[index]!.keep, `a larger count (${JSON.stringify(larger)}) removed ${decision.id}`));
        }
      }),
      { numRuns: 300 },
    );
  });
});
