process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobSummary, SessionSummary } from '../../shared/domain/job.ts';
import { byteWords, newExceedsRead } from '../../renderer/pages/history/byteWords.ts';
import { dateRange, listInput, matches, NO_FILTER } from '../../renderer/pages/history/filters.ts';
import { logText } from '../../renderer/pages/history/logText.ts';
import { describeRate } from '../../renderer/pages/history/rate.ts';
import { sessionState } from '../../renderer/pages/history/sessionState.ts';
import { describeGrowth } from '../../renderer/pages/home/growth.ts';
import { countStates, nextRuns, problemsOfLastDay, rpoWarnings } from '../../renderer/pages/home/summary.ts';
import { EMPTY_MAIL, mailDraftFrom, mailFromDraft } from '../../renderer/pages/settings/mailDraft.ts';
import { schedulerFromDraft } from '../../renderer/pages/settings/schedulerDraft.ts';
import { newTrafficRule, trafficDraftFrom, trafficFromDraft } from '../../renderer/pages/settings/trafficDraft.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const HOUR = 3600_000;

function session(id: string, result: SessionSummary['result'], hoursAgo: number, extra: Partial<SessionSummary> = {}): SessionSummary {
  const startedAt = new Date(NOW - hoursAgo * HOUR).toISOString();
  return {
    id,
    jobId: `job-${id}`,
    jobName: `Job ${id}`,
    kind: 'folder-backup',
    startedAt,
    endedAt: result === null ? null : new Date(NOW - hoursAgo * HOUR + 60_000).toISOString(),
    result,
    bytesRead: 0,
    bytesNew: 0,
    bytesStored: 0,
    ...extra,
  };
}

function job(name: string, extra: Partial<JobSummary> = {}): JobSummary {
  return {
    id: name,
    name,
    kind: 'folder-backup',
    enabled: true,
    repositoryId: 'r',
    workloads: 1,
    schedule: { mode: 'manual' },
    allowsPlaintext: false,
    running: false,
    rpo: null,
    status: 'idle',
    nextRun: null,
    lastRun: null,
    lastSession: null,
    repositoryMissing: false,
    ...extra,
  } as JobSummary;
}

describe('Home', () => {
  it('lists failures and warnings of the last 24 hours, never a stop or a success', () => {
    const sessions = [
      session('a', 'failed', 1),
      session('b', 'warning', 23),
      session('c', 'stopped', 2),
      session('d', 'success', 3),
      session('e', 'failed', 25),
      session('f', null, 0.5),
    ];
    assert.deepEqual(problemsOfLastDay(sessions, NOW).map((s) => s.id), ['a', 'b']);
  });

  it('counts jobs by state: disabled wins over what the scheduler says', () => {
    const jobs = [
      job('a', { status: 'working', running: true }),
      job('b'),
      job('c', { enabled: false, status: 'idle' }),
      job('d', { status: 'waiting-for-window' }),
      job('e', { repositoryMissing: true, enabled: false }),
    ];
    assert.deepEqual(countStates(jobs), [
      { state: 'working', count: 1 },
      { state: 'waiting-for-window', count: 1 },
      { state: 'idle', count: 1 },
      { state: 'disabled', count: 1 },
      { state: 'missing-repository', count: 1 },
    ]);
  });

  it('plans the next runs soonest first, without disabled jobs', () => {
    const jobs = [
      job('late', { nextRun: '2026-12-08T10:00:00Z' }),
      job('soon', { nextRun: '2026-12-07T13:00:00Z' }),
      job('off', { enabled: false, nextRun: '2026-12-07T12:30:00Z' }),
      job('manual'),
    ];
    assert.deepEqual(nextRuns(jobs, 5).map((j) => j.name), ['soon', 'late']);
    assert.deepEqual(nextRuns(jobs, 1).map((j) => j.name), ['soon']);
  });

  it('warns of copy jobs with workloads past their RPO only', () => {
    const jobs = [
      job('fine', { kind: 'backup-copy', rpo: { hours: 48, late: [] } }),
      job('late', { kind: 'backup-copy', rpo: { hours: 24, late: [{ workload: 'docs', newestCopy: null }] } }),
    ];
    assert.deepEqual(rpoWarnings(jobs).map((j) => j.name), ['late']);
  });

  it('says how a repository grew from its samples, and that there are none yet', () => {
    assert.match(describeGrowth([]).words, /^No growth recorded yet/);
    const growth = describeGrowth([
      { at: '2026-12-06T00:00:00Z', storedBytes: 3_000_000, freeBytes: 1, totalBytes: 2 },
      { at: '2026-11-07T00:00:00Z', storedBytes: 1_000_000, freeBytes: 1, totalBytes: 2 },
    ]);
    assert.equal(growth.points[0]!.value, 1_000_000);
    assert.equal(growth.ticks, 'date');
    assert.match(growth.words, /^3\.00 MB of backups stored; grew 2\.00 MB since /);
  });
});

describe('History', () => {
  it('says an unfinished session is of unknown state while the engine is away, not running', () => {
    assert.equal(sessionState(session('a', null, 0), true), 'running');
    assert.equal(sessionState(session('a', null, 0), false), 'unknown');
    assert.equal(sessionState(session('a', 'failed', 0), false), 'ended');
  });

  it('turns a date range into local midnights, the To day included, and refuses one that ends first', () => {
    assert.deepEqual(dateRange({ from: '2026-12-01', to: '2026-12-07' }), { from: '2026-11-30T23:00:00.000Z', to: '2026-12-07T23:00:00.000Z' });
    assert.deepEqual(dateRange({ from: '2026-12-07', to: '2026-12-07' }), { from: '2026-12-06T23:00:00.000Z', to: '2026-12-07T23:00:00.000Z' });
    assert.deepEqual(dateRange({ from: '2026-12-08', to: '2026-12-07' }), { field: 'to', message: 'The range ends before it starts: choose a later date.' });
    assert.deepEqual(dateRange({ from: '2026-02-30', to: '' }), { field: 'from', message: 'Enter a date.' });
  });

  it('filters by job, result (running included) and start date', () => {
    const list = [session('a', 'failed', 1), session('b', null, 0.1), session('c', 'success', 48)];
    assert.deepEqual(list.filter((s) => matches(s, { ...NO_FILTER, result: 'running' })).map((s) => s.id), ['b']);
    assert.deepEqual(list.filter((s) => matches(s, { ...NO_FILTER, job: 'job-a' })).map((s) => s.id), ['a']);
    assert.deepEqual(list.filter((s) => matches(s, { ...NO_FILTER, from: '2026-12-07' })).map((s) => s.id), ['a', 'b']);
    assert.deepEqual(list.filter((s) => matches(s, { ...NO_FILTER, to: '2026-12-05' })).map((s) => s.id), ['c']);
  });

  it('asks the engine for what it can filter, and leaves a deleted job and "running" to the page', () => {
    assert.deepEqual(listInput({ job: 'j1', result: 'failed', from: '2026-12-07', to: '' }), {
      jobId: 'j1',
      results: ['failed'],
      from: '2026-12-06T23:00:00.000Z',
      limit: 1000,
    });
    assert.deepEqual(listInput({ ...NO_FILTER, job: 'name:Old job', result: 'running' }), { limit: 1000 });
    assert.equal(listInput({ ...NO_FILTER, from: '2026-12-08', to: '2026-12-07' }), null);
  });

  it('explains in words why a copy moved more new data than it read', () => {
    assert.match(newExceedsRead('backup-copy', 100, 300)!, /reads the chunks as the source stores them \(compressed\)/);
    assert.equal(newExceedsRead('backup-copy', 300, 100), null);
    assert.equal(byteWords('backup-copy').read, 'Stored chunks read from the source');
  });

  it('averages the rate over the run (each sample weighs for the span it covers) and names its peak', () => {
    const rate = describeRate(
      [
        { at: '2026-12-07T12:00:10Z', bytesPerSecond: 30_000_000 },
        { at: '2026-12-07T12:00:02Z', bytesPerSecond: 10_000_000 },
        { at: '2026-12-07T12:00:12Z', bytesPerSecond: 0 },
      ],
      '2026-12-07T12:00:00Z',
    );
    // 20 MB in the first 2 s, 240 MB in the next 8 s, nothing in the last 2 s: 260 MB in 12 s.
    assert.equal(rate.words, 'Average 21.7 MB/s · peak 30.0 MB/s');
    assert.equal(rate.spanMs, 12_000);
    assert.deepEqual(rate.points.map((point) => point.at - Date.parse('2026-12-07T12:00:00Z')), [0, 2000, 10_000, 12_000]);
    assert.equal(describeRate([], '2026-12-07T12:00:00Z').points.length, 0);
  });

  it('copies the log with local times, never ISO ones', () => {
    const text = logText([
      { at: '2026-12-07T12:00:00Z', level: 'info', message: 'docs: copying' },
      { at: '2026-12-07T12:00:05Z', level: 'error', message: 'docs: failed' },
    ]);
    assert.equal(text.split('\n').length, 3);
    assert.match(text, /ERROR {2}docs: failed\n$/);
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T/);
  });
});

describe('Settings', () => {
  it('checks the SMTP form with the engine schema and says which field is wrong', () => {
    const checked = mailFromDraft({ ...EMPTY_MAIL, port: '70000', sender: 'nobody', recipients: 'a@example.com, oops' });
    assert.deepEqual(checked, {
      ok: false,
      fields: {
        host: 'Enter the SMTP server.',
        port: 'Enter a port from 1 to 65535.',
        sender: 'Enter an email address.',
        recipients: 'oops is not an email address.',
      },
    });
    assert.equal((mailFromDraft({ ...EMPTY_MAIL, port: 'x' }) as { fields: Record<string, string> }).fields.port, 'Enter a port number from 1 to 65535.');
    assert.equal((mailFromDraft({ ...EMPTY_MAIL, password: 'p' }) as { fields: Record<string, string> }).fields.user, 'Enter the user the password belongs to.');
  });

  it('sends a stored password only when one is typed, and reads the saved settings back as typed', () => {
    const draft = { ...EMPTY_MAIL, host: 'smtp.example.com', user: 'me', sender: 'f@example.com', recipients: 'a@example.com\n b@example.com ;c@example.com' };
    const checked = mailFromDraft(draft);
    assert.ok(checked.ok);
    assert.deepEqual(checked.value.recipients, ['a@example.com', 'b@example.com', 'c@example.com']);
    assert.equal('password' in checked.value, false);
    const again = mailDraftFrom({ ...checked.value, passwordStored: true });
    assert.equal(again.password, '');
    assert.equal(again.recipients, 'a@example.com\nb@example.com\nc@example.com');
  });

  it('checks traffic rules per rule: the limit, the same repository twice, empty hours', () => {
    const rule = newTrafficRule();
    const checked = trafficFromDraft([{ ...rule, from: 'r1', to: 'r1', limit: '', hours: { from: 9, to: 9 } }]);
    assert.equal(checked.ok, false);
    assert.deepEqual(Object.keys((checked as { fields: object }).fields).sort(), ['0.hours', '0.limit', '0.to']);
    assert.equal((trafficFromDraft([{ ...rule, limit: '0.01' }]) as { fields: Record<string, string> }).fields['0.limit'], 'The limit must be at least 64 KiB/s.');
    const saved = trafficFromDraft([{ ...rule, from: 'r1', limit: '2,5', hours: { from: 22, to: 6 } }]);
    assert.ok(saved.ok);
    assert.deepEqual(saved.value[0], { id: rule.id, fromRepositoryId: 'r1', toRepositoryId: null, bytesPerSecond: 2_500_000, hours: { from: 22, to: 6 } });
    assert.deepEqual(trafficDraftFrom(saved.value)[0]!.limit, '2.5');
  });

  it('checks the scheduler settings at their fields', () => {
    assert.deepEqual(schedulerFromDraft({ rescanMinutes: '0', slotsPerRepository: 'x' }), {
      ok: false,
      fields: { slotsPerRepository: 'Enter a whole number of runs, from 1 to 64.', rescanMinutes: 'At least every minute.' },
    });
    assert.deepEqual(schedulerFromDraft({ rescanMinutes: ' 15 ', slotsPerRepository: '2' }), { ok: true, value: { rescanMinutes: 15, slotsPerRepository: 2 } });
  });
});
