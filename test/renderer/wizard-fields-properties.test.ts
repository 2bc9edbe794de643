process.env.TZ = 'America/New_York';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_HEALTH_CHECK, backupCopyJob, folderBackupJob } from '../../shared/domain/job.ts';
import { advancedDraftFrom, advancedErrors, advancedFromDraft } from '../../renderer/wizard/fields/advanced.ts';
import { dataPathDraftFrom, dataPathErrors, dataPathFromDraft } from '../../renderer/wizard/fields/data-path.ts';
import { retentionDraftFrom, retentionErrors, retentionFromDraft, type RetentionDraft } from '../../renderer/wizard/fields/retention.ts';
import {
  type JobKind,
  retryDraftFrom,
  retryErrors,
  retryFromDraft,
  type ScheduleDraft,
  scheduleDraftFrom,
  scheduleErrors,
  scheduleFromDraft,
} from '../../renderer/wizard/fields/schedule.ts';
import { isAllowed, paintRect } from '../../renderer/wizard/fields/window.ts';

/**
 * The wizard's fields against the engine's own schema: a stored job comes back unchanged
 * through its draft (edit, clone), and a draft the fields accept is a job the engine
 * accepts, while one the engine refuses always has a message at a field.
 */

const NOW = new Date('2026-03-07T12:00:00Z');
const minuteTime = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z') / 60_000, max: Date.parse('2028-01-01T00:00:00Z') / 60_000 }).map((minute) => new Date(minute * 60_000).toISOString());

const copyJob = fc.record({
  schedule: fc.oneof(
    fc.constant({ mode: 'manual' as const }),
    fc.constant({ mode: 'immediate' as const }),
    fc.record({
      mode: fc.constant('periodic' as const),
      every: fc.integer({ min: 1, max: 10_000 }),
      unit: fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const),
      startAt: minuteTime,
      lookForward: fc.boolean(),
    }),
  ),
  retries: fc.record({ count: fc.integer({ min: 0, max: 100 }), intervalMinutes: fc.integer({ min: 1, max: 1440 }) }),
  retention: fc.record(
    {
      keepPoints: fc.integer({ min: 1, max: 999 }),
      gfs: fc
        .record({
          weekly: fc.integer({ min: 0, max: 520 }),
          monthly: fc.integer({ min: 0, max: 240 }),
          yearly: fc.integer({ min: 0, max: 100 }),
          weekday: fc.integer({ min: 0, max: 6 }),
          monthlyWeek: fc.constantFrom('first' as const, 'last' as const),
          yearlyMonth: fc.integer({ min: 0, max: 11 }),
        })
        .filter((gfs) => gfs.weekly + gfs.monthly + gfs.yearly > 0),
    },
    { requiredKeys: ['keepPoints'] },
  ),
  dataPath: fc.record({
    parallelWorkloads: fc.integer({ min: 1, max: 16 }),
    throttleBytesPerSecond: fc.option(fc.integer({ min: 65_536, max: 100 * 1024 ** 3 }), { nil: null }),
  }),
  healthCheck: fc.record({
    enabled: fc.boolean(),
    frequency: fc.constantFrom('weekly' as const, 'monthly' as const),
    weekday: fc.integer({ min: 0, max: 6 }),
    week: fc.constantFrom('first' as const, 'second' as const, 'third' as const, 'fourth' as const, 'last' as const),
  }),
  removeDeletedWorkloadsAfterDays: fc.integer({ min: 1, max: 3650 }),
  mailReport: fc.record({ onSuccess: fc.boolean(), onWarning: fc.boolean(), onFailure: fc.boolean() }),
  scripts: fc.record({
    before: fc.option(
      fc.record({
        path: fc.constantFrom('/opt/ferry/before.sh', 'C:\\Scripts\\stop.cmd', '\\\\server\\share\\run.cmd'),
        args: fc.array(fc.stringMatching(/^\S[^\n]{0,20}\S$|^\S$/), { maxLength: 5 }),
        timeoutSeconds: fc.integer({ min: 1, max: 86_400 }),
      }),
      { nil: null },
    ),
    after: fc.constant(null),
  }),
  rpoHours: fc.integer({ min: 1, max: 8760 }),
})
  // As a job arrives from jobs.get: plain JSON (fast-check also makes objects without a prototype).
  .map((job): typeof job => JSON.parse(JSON.stringify(job)));

describe('wizard fields: a stored job through its draft', () => {
  it('comes back unchanged, and the fields find nothing wrong with it', () => {
    fc.assert(
      fc.property(copyJob, (job) => {
        const schedule = scheduleDraftFrom(job.schedule, NOW);
        assert.deepEqual(scheduleFromDraft(schedule, 'backup-copy'), job.schedule);
        assert.deepEqual(scheduleErrors(schedule, 'backup-copy'), {});
        assert.deepEqual(retryFromDraft(retryDraftFrom(job.retries)), job.retries);
        const retention = retentionDraftFrom(job.retention);
        assert.deepEqual(retentionFromDraft(retention, 'backup-copy'), job.retention);
        assert.deepEqual(retentionErrors(retention, 'backup-copy'), {});
        const dataPath = dataPathDraftFrom(job.dataPath);
        assert.deepEqual(dataPathFromDraft(dataPath), job.dataPath);
        assert.deepEqual(dataPathErrors(dataPath), {});
        const advanced = advancedDraftFrom(job);
        assert.deepEqual(advancedFromDraft(advanced, 'backup-copy'), {
          healthCheck: job.healthCheck,
          removeDeletedWorkloadsAfterDays: job.removeDeletedWorkloadsAfterDays,
          mailReport: job.mailReport,
          scripts: job.scripts,
          rpoHours: job.rpoHours,
        });
        assert.deepEqual(advancedErrors(advanced, 'backup-copy'), {});
      }),
      { numRuns: 300 },
    );
  });
});

/** What an admin might type in a number field. */
const typed = fc.oneof(
  fc.integer({ min: -5, max: 12_000 }).map(String),
  fc.constantFrom('', ' ', '1.5', '0,5', 'abc', '4 ', '1e3', '007'),
);
const toggle = fc.record({ on: fc.boolean(), count: typed });

describe('wizard fields: typed drafts against the engine schema', () => {
  for (const kind of ['backup-copy', 'folder-backup'] as const satisfies readonly JobKind[]) {
    it(`${kind}: accepted by the fields exactly when the engine schema accepts it`, () => {
      const base = scheduleDraftFrom(undefined, NOW);
      const draftArb = fc.record({
        schedule: fc.record({
          mode: fc.constantFrom('manual' as const, 'immediate' as const, 'periodic' as const, 'daily' as const),
          every: typed,
          unit: fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const),
          startAt: fc.constantFrom(base.startAt, '2026-02-30T10:00', '', '2026-13-01T00:00', '2026-06-01T24:00'),
          at: fc.constantFrom('22:00', '7:00', '23:59', '24:00', ''),
          weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }),
        }),
        retries: fc.record({ count: typed, intervalMinutes: typed }),
        retention: fc.record({ keepPoints: typed, weekly: toggle, monthly: toggle, yearly: toggle }),
        dataPath: fc.record({ throttled: fc.boolean(), megabytesPerSecond: fc.oneof(typed, fc.constantFrom('0.05', '0.07', '107374', '107375')), parallelWorkloads: typed }),
        days: typed,
        rpo: typed,
        timeout: typed,
      });
      fc.assert(
        fc.property(draftArb, (input) => {
          const schedule: ScheduleDraft = { ...base, ...input.schedule, storedStartAt: null, lookForward: false };
          const retention: RetentionDraft = { ...retentionDraftFrom(undefined), ...input.retention };
          const advanced = {
            ...advancedDraftFrom(undefined),
            removeDeletedWorkloadsAfterDays: input.days,
            rpoHours: input.rpo,
            before: { on: true, path: '/opt/before.sh', args: '', timeoutSeconds: input.timeout },
          };
          const errors = {
            ...scheduleErrors(schedule, kind),
            ...retryErrors(input.retries),
            ...retentionErrors(retention, kind),
            ...advancedErrors(advanced, kind),
            ...(kind === 'backup-copy' ? dataPathErrors(input.dataPath) : {}),
          };
          const common = {
            name: 'Job',
            repositoryId: 'r',
            schedule: scheduleFromDraft(schedule, kind),
            retries: retryFromDraft(input.retries),
            retention: retentionFromDraft(retention, kind),
            ...advancedFromDraft(advanced, kind),
            healthCheck: DEFAULT_HEALTH_CHECK,
          };
          const accepted =
            kind === 'backup-copy'
              ? backupCopyJob.safeParse({ ...common, kind, sources: [{ kind: 'workload', workload: 'docs' }], dataPath: dataPathFromDraft(input.dataPath) }).success
              : folderBackupJob.safeParse({ ...common, kind, workloads: [{ name: 'docs', folders: ['/srv/docs'] }] }).success;
          // A switched-on GFS kind with 0 is refused at the field although the engine stores it as "off".
          const zeroGfs = kind === 'backup-copy' && (['weekly', 'monthly', 'yearly'] as const).some((name) => retention[name].on && input.retention[name].count.trim() === '0');
          if (accepted && !zeroGfs) assert.deepEqual(errors, {});
          if (!accepted) assert.notDeepEqual(errors, {}, 'the engine refuses it: a field must say why');
        }),
        { numRuns: 1000 },
      );
    });
  }
});

describe('wizard fields: the grid', () => {
  it('a painted rectangle sets exactly its cells, rows in the page\'s week order, and leaves every other one', () => {
    const cell = fc.record({ day: fc.integer({ min: 0, max: 6 }), hour: fc.integer({ min: 0, max: 23 }) });
    const order = fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffff }), { minLength: 7, maxLength: 7 }), cell, cell, fc.boolean(), order, (masks, a, b, allowed, rows) => {
        const painted = paintRect(masks, a, b, allowed, rows);
        const [rowA, rowB] = [rows.indexOf(a.day), rows.indexOf(b.day)];
        for (let day = 0; day < 7; day++) {
          assert.ok(painted[day]! >= 0 && painted[day]! <= 0xffffff);
          const row = rows.indexOf(day);
          for (let hour = 0; hour < 24; hour++) {
            const inside = row >= Math.min(rowA, rowB) && row <= Math.max(rowA, rowB) && hour >= Math.min(a.hour, b.hour) && hour <= Math.max(a.hour, b.hour);
            assert.equal(isAllowed(painted, { day, hour }), inside ? allowed : isAllowed(masks, { day, hour }));
          }
        }
      }),
    );
  });
});
