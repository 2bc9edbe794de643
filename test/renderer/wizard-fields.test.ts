process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advancedDraftFrom, advancedErrors, advancedFromDraft } from '../../renderer/wizard/fields/advanced.ts';
import { dataPathDraftFrom, dataPathErrors, dataPathFromDraft } from '../../renderer/wizard/fields/data-path.ts';
import { retentionDraftFrom, retentionErrors, retentionFromDraft } from '../../renderer/wizard/fields/retention.ts';
import {
  defaultStart,
  parseLocalDateTime,
  retryDraftFrom,
  retryErrors,
  scheduleDraftFrom,
  scheduleErrors,
  scheduleFromDraft,
} from '../../renderer/wizard/fields/schedule.ts';
import { passwordFromDraft, storageDraftFrom, storageErrors } from '../../renderer/wizard/fields/storage.ts';
import { keptAtEnd, laneWords } from '../../renderer/wizard/fields/timeline.ts';
import { allowAll, describeWindow, outsideOfficeHours, paintRect, windowDraftFrom, windowErrors, windowFromDraft } from '../../renderer/wizard/fields/window.ts';
import { decimalNumber, wholeNumber } from '../../renderer/wizard/fields/text.ts';

const NOW = new Date('2026-12-07T23:10:00+01:00');
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const dayName = (day: number) => DAY_NAMES[day]!;

describe('wizard fields: numbers typed as text', () => {
  it('reads whole and decimal numbers and nothing else', () => {
    assert.equal(wholeNumber(' 12 '), 12);
    for (const text of ['', '1.5', '-1', '1e3', '12a', '0x10']) assert.ok(Number.isNaN(wholeNumber(text)), text);
    assert.equal(decimalNumber('0.5'), 0.5);
    assert.equal(decimalNumber('0,5'), 0.5);
    assert.equal(decimalNumber('.5'), 0.5);
    for (const text of ['', '1,000.5', '1.2.3', '-3', 'fast', '1,5,0']) assert.ok(Number.isNaN(decimalNumber(text)), text);
  });
});

describe('wizard fields: schedule', () => {
  it('a new periodic schedule suggests the next 22:00', () => {
    assert.equal(defaultStart(new Date('2026-12-07T21:59:00+01:00')).toISOString(), '2026-12-07T21:00:00.000Z');
    assert.equal(defaultStart(NOW).toISOString(), '2026-12-08T21:00:00.000Z');
  });

  it('a first run typed in local time is stored as that moment, and a date that does not exist is refused at the field', () => {
    const draft = { ...scheduleDraftFrom(undefined, NOW), mode: 'periodic' as const, every: '4', unit: 'hours' as const, startAt: '2026-12-08T02:30' };
    assert.deepEqual(scheduleFromDraft(draft, 'backup-copy'), { mode: 'periodic', every: 4, unit: 'hours', startAt: '2026-12-08T01:30:00.000Z', lookForward: false });
    assert.deepEqual(scheduleErrors(draft, 'backup-copy'), {});
    assert.equal(parseLocalDateTime('2026-02-31T10:00'), null);
    assert.deepEqual(scheduleErrors({ ...draft, startAt: '2026-02-31T10:00' }, 'backup-copy'), { 'schedule.startAt': 'Enter the first run as a date and a time.' });
    assert.deepEqual(scheduleErrors({ ...draft, startAt: '' }, 'folder-backup'), { 'schedule.startAt': 'Enter the first run as a date and a time.' });
  });

  it('says at the field what is wrong with how often it runs', () => {
    const draft = { ...scheduleDraftFrom(undefined, NOW), mode: 'periodic' as const };
    assert.deepEqual(scheduleErrors({ ...draft, every: 'two' }, 'backup-copy'), { 'schedule.every': 'Enter how often it runs as a whole number, e.g. 4.' });
    assert.deepEqual(scheduleErrors({ ...draft, every: '0' }, 'backup-copy'), { 'schedule.every': 'Enter how often it runs: every 1 or more.' });
    assert.deepEqual(scheduleErrors({ ...draft, every: '10001' }, 'folder-backup'), { 'schedule.every': 'Enter at most 10000.' });
  });

  it('offers each kind of job only its own modes', () => {
    const draft = scheduleDraftFrom(undefined, NOW);
    assert.deepEqual(scheduleErrors({ ...draft, mode: 'immediate' }, 'backup-copy'), {});
    assert.equal(scheduleErrors({ ...draft, mode: 'immediate' }, 'folder-backup')['schedule.mode'], 'Choose when the job runs.');
    assert.equal(scheduleErrors({ ...draft, mode: 'daily' }, 'backup-copy')['schedule.mode'], 'Choose when the job runs.');
    assert.deepEqual(scheduleErrors({ ...draft, mode: 'daily', weekdays: [] }, 'folder-backup'), { 'schedule.weekdays': 'Choose at least one day.' });
    assert.deepEqual(scheduleErrors({ ...draft, mode: 'daily', at: '24:00' }, 'folder-backup'), {
      'schedule.at': 'Enter a time of day as HH:MM, from 00:00 to 23:59.',
    });
  });

  it('keeps a stored first run to the millisecond while it is not changed', () => {
    const spec = { mode: 'periodic' as const, every: 1, unit: 'days' as const, startAt: '2026-03-29T00:30:15.250+01:00', lookForward: true };
    assert.deepEqual(scheduleFromDraft(scheduleDraftFrom(spec, NOW), 'backup-copy'), spec);
  });

  it('retries: words at the field for text, the engine schema\'s words for the range', () => {
    assert.deepEqual(retryErrors({ count: 'x', intervalMinutes: '10' }), { 'retries.count': 'Enter a whole number of retries: 0 for none.' });
    assert.deepEqual(retryErrors({ count: '3', intervalMinutes: '0' }), { 'retries.intervalMinutes': 'Wait at least 1 minute between retries.' });
    assert.deepEqual(retryErrors(retryDraftFrom(undefined)), {});
  });
});

describe('wizard fields: transfer window', () => {
  it('paints a rectangle of cells dragged over, in any direction', () => {
    const painted = paintRect(allowAll(), { day: 5, hour: 17 }, { day: 1, hour: 8 }, false);
    assert.deepEqual(painted, outsideOfficeHours());
    assert.equal(painted[1], 0xffffff & ~0b111111111100000000);
    assert.equal(painted[0], 0xffffff);
    assert.deepEqual(paintRect(painted, { day: 3, hour: 12 }, { day: 3, hour: 12 }, true)[3], painted[3]! | (1 << 12));
    assert.deepEqual(paintRect(allowAll(), { day: 0, hour: 0 }, { day: 6, hour: 23 }, false), [0, 0, 0, 0, 0, 0, 0]);
  });

  it('paints the rectangle seen on the page: with Monday first, Saturday to Sunday is two rows, not the whole week', () => {
    const closed = [0, 0, 0, 0, 0, 0, 0];
    const weekend = paintRect(closed, { day: 6, hour: 0 }, { day: 0, hour: 5 }, true, MONDAY_FIRST);
    assert.deepEqual(weekend, [0b111111, 0, 0, 0, 0, 0, 0b111111]);
    assert.deepEqual(paintRect(closed, { day: 6, hour: 0 }, { day: 0, hour: 5 }, true), [0b111111, 0b111111, 0b111111, 0b111111, 0b111111, 0b111111, 0b111111]);
  });

  it('says the window in words, days with the same hours together', () => {
    assert.equal(
      describeWindow(outsideOfficeHours(), MONDAY_FIRST, dayName),
      'Monday to Friday: 00:00 to 08:00 and 18:00 to 24:00; Saturday and Sunday: any time.',
    );
    assert.equal(describeWindow(undefined, MONDAY_FIRST, dayName), 'Any time.');
    assert.equal(describeWindow(allowAll(), MONDAY_FIRST, dayName), 'Any time.');
    assert.equal(describeWindow([0, 0, 0, 0, 0, 0, 0], MONDAY_FIRST, dayName), 'Never: the window does not open.');
  });

  it('a grid with every hour allowed is no window, and one that never opens is refused for a job that runs by itself', () => {
    assert.equal(windowFromDraft({ limited: true, masks: allowAll() }), undefined);
    assert.equal(windowFromDraft({ limited: false, masks: outsideOfficeHours() }), undefined);
    const closed = { limited: true, masks: [0, 0, 0, 0, 0, 0, 0] };
    assert.deepEqual(windowErrors(closed, true), { window: 'The transfer window never opens: allow at least one hour, or disable the job.' });
    assert.deepEqual(windowErrors(closed, false), {});
    assert.deepEqual(windowDraftFrom(outsideOfficeHours()), { limited: true, masks: outsideOfficeHours() });
  });
});

describe('wizard fields: retention', () => {
  it('GFS only for copy jobs, only the kinds switched on, and a kind switched off keeps its count', () => {
    const draft = retentionDraftFrom({ keepPoints: 7, gfs: { weekly: 4, monthly: 0, yearly: 2, weekday: 6, monthlyWeek: 'last', yearlyMonth: 11 } });
    assert.deepEqual(draft.monthly, { on: false, count: '12' });
    assert.deepEqual(retentionFromDraft(draft, 'backup-copy'), { keepPoints: 7, gfs: { weekly: 4, monthly: 0, yearly: 2, weekday: 6, monthlyWeek: 'last', yearlyMonth: 11 } });
    assert.deepEqual(retentionFromDraft(draft, 'folder-backup'), { keepPoints: 7 });
    const off = { ...draft, weekly: { on: false, count: '4' }, yearly: { on: false, count: '2' } };
    assert.deepEqual(retentionFromDraft(off, 'backup-copy'), { keepPoints: 7 });
  });

  it('says at the field what is wrong', () => {
    const draft = retentionDraftFrom(undefined);
    assert.deepEqual(retentionErrors({ ...draft, keepPoints: '' }, 'folder-backup'), { 'retention.keepPoints': 'Enter a whole number of restore points, e.g. 7.' });
    assert.deepEqual(retentionErrors({ ...draft, keepPoints: '0' }, 'backup-copy'), { 'retention.keepPoints': 'Keep at least 1 restore point.' });
    assert.deepEqual(retentionErrors({ ...draft, monthly: { on: true, count: '0' } }, 'backup-copy'), {
      'retention.gfs.monthly': 'Keep monthly points at least 1 month, or switch them off.',
    });
    assert.deepEqual(retentionErrors({ ...draft, yearly: { on: true, count: '101' } }, 'backup-copy'), {
      'retention.gfs.yearly': 'Keep yearly points for at most 100 periods.',
    });
    assert.deepEqual(retentionErrors({ ...draft, weekly: { on: true, count: 'four' } }, 'backup-copy'), {
      'retention.gfs.weekly': 'Enter for how many weeks to keep weekly points.',
    });
  });

  it('the timeline keeps the points alive at its end, each once, in the lane of its longest flag, and says them in words', () => {
    const point = (completed: string, flags: Partial<Record<'weekly' | 'monthly' | 'yearly', boolean>>, removedAt: string | null, id: string | null = null) => ({
      id,
      completed,
      gfs: { weekly: false, monthly: false, yearly: false, ...flags },
      removedAt,
    });
    const kept = keptAtEnd({
      timeZone: 'Europe/Berlin',
      now: '2026-12-07T22:00:00.000Z',
      until: '2027-12-07T22:00:00.000Z',
      current: [],
      peakKept: 4,
      notes: [],
      timeline: [
        point('2027-01-03T21:00:00.000Z', { weekly: true, monthly: true, yearly: true }, null),
        point('2027-12-06T21:00:00.000Z', {}, null),
        point('2027-02-07T21:00:00.000Z', { weekly: true, monthly: true }, null),
        point('2027-02-08T21:00:00.000Z', {}, '2027-02-15T21:00:00.000Z'),
        point('2026-12-01T21:00:00.000Z', {}, null, 'a'),
      ],
    });
    assert.deepEqual(
      kept.map((entry) => [entry.completed.slice(0, 10), entry.lane, entry.current]),
      [
        ['2026-12-01', 'newest', true],
        ['2027-01-03', 'yearly', false],
        ['2027-02-07', 'monthly', false],
        ['2027-12-06', 'newest', false],
      ],
    );
    assert.deepEqual(laneWords(kept, (iso) => iso.slice(0, 10)), [
      '1 yearly point (2027-01-03)',
      '1 more monthly point (2027-02-07)',
      '2 more of the newest points (2026-12-01 to 2027-12-06)',
    ]);
  });
});

describe('wizard fields: storage, advanced, data path', () => {
  it('an edited encrypted job keeps its stored password unless one is typed, and the password never comes back', () => {
    const draft = storageDraftFrom({ compressionLevel: 5, encrypted: true, passwordHint: 'the usual' });
    assert.equal(draft.password, '');
    assert.deepEqual(storageErrors(draft, true), {});
    assert.equal(passwordFromDraft(draft), undefined);
    assert.deepEqual(storageErrors({ ...draft, password: 'new secret', repeatPassword: 'new secrett' }, true), { repeatPassword: 'The passwords do not match.' });
    assert.equal(passwordFromDraft({ ...draft, password: 'new secret', repeatPassword: 'new secret' }), 'new secret');
    const fresh = storageDraftFrom(undefined);
    assert.deepEqual(storageErrors({ ...fresh, encrypted: true }, false), { password: 'Enter a password: the backup is encrypted with it.' });
    assert.deepEqual(storageErrors({ ...fresh, encrypted: true, password: 'hunter22', repeatPassword: 'hunter22', passwordHint: 'it is hunter22' }, false), {
      'storage.passwordHint': 'The hint contains the password: it is stored unencrypted. Write something that only reminds you.',
    });
  });

  it('advanced: scripts, days and hours say at the field what is wrong', () => {
    const draft = advancedDraftFrom(undefined);
    assert.deepEqual(advancedErrors(draft, 'backup-copy'), {});
    assert.deepEqual(advancedErrors({ ...draft, before: { ...draft.before, on: true, path: 'scripts/stop-db.sh' } }, 'backup-copy'), {
      'scripts.before.path': 'Enter an absolute path: the engine does not run scripts from a working folder.',
    });
    assert.deepEqual(advancedErrors({ ...draft, after: { ...draft.after, on: true, path: '/opt/after.sh', timeoutSeconds: '0' } }, 'folder-backup'), {
      'scripts.after.timeoutSeconds': 'Allow at least 1 second.',
    });
    assert.deepEqual(advancedErrors({ ...draft, removeDeletedWorkloadsAfterDays: '3651' }, 'backup-copy'), {
      removeDeletedWorkloadsAfterDays: 'Keep a removed workload\'s points at most 3650 days.',
    });
    assert.deepEqual(advancedErrors({ ...draft, rpoHours: '0' }, 'backup-copy'), { rpoHours: 'Enter at least 1 hour.' });
    assert.deepEqual(advancedErrors({ ...draft, rpoHours: '' }, 'folder-backup'), {}, 'folder jobs have no RPO');
    const args = Array.from({ length: 65 }, (_, index) => `--flag${index}`).join('\n');
    assert.deepEqual(advancedErrors({ ...draft, before: { ...draft.before, on: true, path: '/opt/before.sh', args } }, 'backup-copy'), {
      'scripts.before.args': 'Pass at most 64 arguments.',
    });
    assert.deepEqual(advancedFromDraft({ ...draft, before: { on: true, path: ' /opt/b.sh ', args: 'one\n\n two ', timeoutSeconds: '60' } }, 'folder-backup').scripts.before, {
      path: '/opt/b.sh',
      args: ['one', 'two'],
      timeoutSeconds: 60,
    });
  });

  it('data path: MB/s typed, bytes per second stored, the engine\'s limits said in MB/s', () => {
    const draft = dataPathDraftFrom(undefined);
    assert.deepEqual(dataPathFromDraft(draft), { parallelWorkloads: 2, throttleBytesPerSecond: null });
    assert.deepEqual(dataPathFromDraft({ ...draft, throttled: true, megabytesPerSecond: '12,5' }), { parallelWorkloads: 2, throttleBytesPerSecond: 12_500_000 });
    // The numbers follow the OS locale.
    assert.match(dataPathErrors({ ...draft, throttled: true, megabytesPerSecond: '0.01' })['dataPath.throttleBytesPerSecond'] ?? '', /^Enter a limit from 0[.,]07 to 107\D?374 MB\/s\.$/);
    assert.deepEqual(dataPathErrors({ ...draft, throttled: true, megabytesPerSecond: 'fast' }), {
      'dataPath.throttleBytesPerSecond': 'Enter the limit in MB/s, e.g. 50 or 0.5.',
    });
    assert.deepEqual(dataPathErrors({ ...draft, throttled: false, megabytesPerSecond: 'fast' }), {}, 'a limit switched off is not checked');
    assert.deepEqual(dataPathErrors({ ...draft, parallelWorkloads: '17' }), { 'dataPath.parallelWorkloads': 'Copy from 1 to 16 workloads at once.' });
    assert.equal(dataPathDraftFrom({ throttleBytesPerSecond: 65_536 }).megabytesPerSecond, '0.065536');
  });
});
