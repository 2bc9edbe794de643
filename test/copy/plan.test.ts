import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { originKey, originOf, type PickMode, type PointIdentity, pointsToCopy } from '../../app/copy/plan.ts';

type Candidate = { point: PointIdentity; route: string };
type Target = { copied: Set<string>; newest: PointIdentity | undefined };

const BASE = Date.parse('2025-03-01T00:00:00.000Z');
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();
const keyOf = (point: PointIdentity) => originKey(originOf(point));

/**
 * Points of primary backups A and B (times may tie), copies of some in backup C (same
 * creation time, lineage to the primary, origin present or not) and copies of those
 * copies in D (lineage to C, origin to the primary): the candidates a run sees, shuffled,
 * with some routes missing. The target holds some origins and a newest point.
 */
const scenario = fc
  .array(fc.record({ backup: fc.constantFrom('A', 'B'), minute: fc.integer({ min: 0, max: 40 }), copies: fc.integer({ min: 0, max: 2 }), withOrigin: fc.boolean(), keep: fc.boolean() }), {
    maxLength: 14,
  })
  .chain((primaries) => {
    const candidates: Candidate[] = [];
    primaries.forEach((p, i) => {
      const primary: PointIdentity = { id: `p${i}`, backupId: p.backup, created: at(p.minute), lineage: null };
      const origin = { backupId: primary.backupId, pointId: primary.id };
      if (p.keep) candidates.push({ point: primary, route: 'primary' });
      if (p.copies >= 1) {
        const copy: PointIdentity = { id: `c${i}`, backupId: 'C', created: primary.created, lineage: { backupId: primary.backupId, pointId: primary.id, ...(p.withOrigin ? { origin } : {}) } };
        candidates.push({ point: copy, route: 'copy' });
        if (p.copies >= 2) candidates.push({ point: { id: `d${i}`, backupId: 'D', created: primary.created, lineage: { backupId: 'C', pointId: copy.id, origin } }, route: 'copy of copy' });
      }
    });
    const origins = primaries.map((_, i) => `${primaries[i]!.backup}/p${i}`);
    return fc.record({
      candidates: fc.shuffledSubarray(candidates, { minLength: candidates.length, maxLength: candidates.length }),
      copied: fc.subarray(origins),
      newest: fc.option(fc.integer({ min: -1, max: 41 }), { nil: undefined }),
      mode: fc.constantFrom<PickMode>('newest', 'catch-up'),
    });
  })
  .map(({ candidates, copied, newest, mode }) => ({
    candidates,
    target: {
      copied: new Set(copied),
      newest: newest === undefined ? undefined : ({ id: 'target', backupId: 'T', created: at(newest), lineage: null } satisfies PointIdentity),
    } as Target,
    mode,
  }));

/** What the target holds once `chosen` is copied: the origins, and the newest point. */
function afterCopy(target: Target, chosen: readonly Candidate[]): Target {
  const copied = new Set(target.copied);
  for (const c of chosen) copied.add(keyOf(c.point));
  const last = chosen.at(-1)?.point;
  return { copied, newest: last ? { ...last, backupId: 'T', lineage: { backupId: last.backupId, pointId: last.id, origin: originOf(last) } } : target.newest };
}

describe('pointsToCopy', () => {
  it('never takes an origin already on the target, never one origin twice, only points newer than the target\'s newest', () => {
    fc.assert(
      fc.property(scenario, ({ candidates, target, mode }) => {
        const chosen = pointsToCopy(candidates, target, mode);
        const keys = chosen.map((c) => keyOf(c.point));
        assert.equal(new Set(keys).size, keys.length, 'one origin twice');
        for (const c of chosen) {
          assert.ok(!target.copied.has(keyOf(c.point)), `${keyOf(c.point)} is already on the target`);
          if (target.newest) assert.ok(Date.parse(c.point.created) > Date.parse(target.newest.created), 'not newer than the target\'s newest');
          assert.ok(candidates.includes(c), 'only candidates are taken');
        }
        const times = chosen.map((c) => Date.parse(c.point.created));
        assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
      }),
      { numRuns: 400 },
    );
  });

  it('catch-up takes every eligible origin, from the primary when the primary is a candidate; newest is the last of catch-up', () => {
    fc.assert(
      fc.property(scenario, ({ candidates, target }) => {
        const all = pointsToCopy(candidates, target, 'catch-up');
        const since = target.newest ? Date.parse(target.newest.created) : -Infinity;
        const eligible = new Set(candidates.filter((c) => !target.copied.has(keyOf(c.point)) && Date.parse(c.point.created) > since).map((c) => keyOf(c.point)));
        assert.deepEqual(new Set(all.map((c) => keyOf(c.point))), eligible);
        for (const c of all) {
          const primary = candidates.some((other) => other.route === 'primary' && keyOf(other.point) === keyOf(c.point));
          if (primary) assert.equal(c.route, 'primary', `${keyOf(c.point)} is taken from the primary`);
        }
        const newest = pointsToCopy(candidates, target, 'newest');
        assert.deepEqual(newest, all.slice(-1));
      }),
      { numRuns: 400 },
    );
  });

  it('run to a fixpoint, copies each origin at most once and then nothing more', () => {
    fc.assert(
      fc.property(scenario, ({ candidates, target, mode }) => {
        let state = target;
        const taken: string[] = [];
        for (let run = 0; run <= candidates.length + 1; run++) {
          const chosen = pointsToCopy(candidates, state, mode);
          if (chosen.length === 0) break;
          taken.push(...chosen.map((c) => keyOf(c.point)));
          state = afterCopy(state, chosen);
        }
        assert.equal(new Set(taken).size, taken.length, 'an origin copied twice over the runs');
        assert.deepEqual(pointsToCopy(candidates, state, mode), [], 'a fixpoint is reached');
        assert.deepEqual(pointsToCopy(candidates, state, mode === 'newest' ? 'catch-up' : 'newest'), [], 'for either mode');
        // Both modes end with the newest candidate on the target.
        const newestTime = Math.max(...candidates.filter((c) => !target.copied.has(keyOf(c.point))).map((c) => Date.parse(c.point.created)));
        if (Number.isFinite(newestTime) && (!target.newest || newestTime > Date.parse(target.newest.created))) {
          assert.equal(Date.parse(state.newest!.created), newestTime);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('follows the origin through copies of copies', () => {
    const primary: PointIdentity = { id: 'p', backupId: 'A', created: at(1), lineage: null };
    const copy: PointIdentity = { id: 'c', backupId: 'C', created: at(1), lineage: { backupId: 'A', pointId: 'p' } };
    const copyOfCopy: PointIdentity = { id: 'd', backupId: 'D', created: at(1), lineage: { backupId: 'C', pointId: 'c', origin: { backupId: 'A', pointId: 'p' } } };
    assert.deepEqual([primary, copy, copyOfCopy].map(keyOf), ['A/p', 'A/p', 'A/p']);
    const target = { copied: new Set(['A/p']), newest: undefined };
    assert.deepEqual(pointsToCopy([{ point: copyOfCopy }], target, 'catch-up'), []);
    const fresh = { copied: new Set<string>(), newest: undefined };
    assert.deepEqual(pointsToCopy([{ point: copyOfCopy }, { point: copy }, { point: primary }], fresh, 'catch-up'), [{ point: primary }]);
    assert.deepEqual(pointsToCopy([{ point: copyOfCopy }, { point: copy }], fresh, 'catch-up'), [{ point: copyOfCopy }]);
  });
});
