import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnyScheduleSpec, JobSummary } from '../../shared/domain/job.ts';
import { describeSchedule, shortSchedule } from '../../renderer/pages/jobs/describe.ts';
import { describeJobs, type ListedJob, matchesFilter, sourcesLine } from '../../renderer/pages/jobs/rows.ts';
import { listStatusOf } from '../../renderer/pages/jobs/status.ts';

function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'j1',
    name: 'Offsite copy',
    kind: 'backup-copy',
    enabled: true,
    repositoryId: 'r1',
    repositoryMissing: false,
    targetName: 'Branch NAS',
    workloads: 2,
    sources: ['job Office documents', 'backup Ledger on Vault NAS'],
    schedule: { mode: 'manual' },
    allowsPlaintext: false,
    running: false,
    rpo: null,
    status: 'idle',
    nextRun: null,
    lastRun: null,
    lastSession: null,
    ...overrides,
  };
}

function row(summary: JobSummary, result: ListedJob['result'] = null): ListedJob {
  return { job: summary, targetName: summary.targetName, status: listStatusOf(summary), result, sources: summary.sources };
}

describe('the job list', () => {
  test('a schedule is one short line; the whole of it is in words for the tooltip', () => {
    const weeknights: AnyScheduleSpec = { mode: 'daily', at: '22:00', weekdays: [5, 1, 2, 3, 4] };
    const quarterly: AnyScheduleSpec = { mode: 'periodic', every: 15, unit: 'minutes', startAt: '2026-01-05T01:00:00Z', lookForward: true };
    assert.match(shortSchedule(weeknights), /^Mon–Fri (22:00|10:00\sPM)$/);
    assert.match(shortSchedule({ mode: 'daily', at: '07:30', weekdays: [0, 1, 2, 3, 4, 5, 6] }), /^Daily (07:30|7:30\sAM)$/);
    assert.match(shortSchedule({ mode: 'daily', at: '07:30', weekdays: [6, 0] }), /^Sat, Sun /);
    assert.match(shortSchedule({ mode: 'daily', at: '07:30', weekdays: [1, 3, 5] }), /^Mon, Wed, Fri /);
    assert.equal(shortSchedule({ mode: 'periodic', every: 6, unit: 'hours', startAt: '2026-01-05T01:00:00Z' }), 'Every 6 hours');
    assert.equal(shortSchedule({ mode: 'periodic', every: 1, unit: 'minutes', startAt: '2026-01-05T01:00:00Z' }), 'Every minute');
    assert.match(shortSchedule({ mode: 'periodic', every: 2, unit: 'days', startAt: '2026-01-05T01:00:00Z' }), /^Every 2 days at /);
    assert.equal(shortSchedule({ mode: 'immediate' }), 'Immediate');
    for (const schedule of [weeknights, quarterly]) {
      assert.ok(shortSchedule(schedule).length <= 20, shortSchedule(schedule));
    }
    assert.match(describeSchedule(quarterly), /^Every 15 minutes from .+look forward\)$/);
  });

  test('a copy job names its sources and a folder job its workloads, never "1 source"', () => {
    assert.equal(sourcesLine(row(job())), 'From job Office documents, backup Ledger on Vault NAS');
    assert.equal(sourcesLine(row(job({ kind: 'folder-backup', sources: ['docs', 'mail'] }))), 'Backs up docs, mail');
  });

  test('the status: running first, then a missing repository, then disabled', () => {
    assert.equal(listStatusOf(job({ running: true, status: 'working', repositoryMissing: true })), 'working');
    assert.equal(listStatusOf(job({ running: true, status: 'waiting-for-window' })), 'waiting-for-window');
    assert.equal(listStatusOf(job({ repositoryMissing: true, enabled: false, status: 'disabled' })), 'missing-repository');
    assert.equal(listStatusOf(job({ enabled: false, status: 'disabled' })), 'disabled');
    assert.equal(listStatusOf(job({ status: 'queued' })), 'queued');
  });

  test('search words match name, kind, sources, target and status; Show picks a group', () => {
    const copy = row(job(), 'failed');
    const folder = row(job({ id: 'j2', name: 'Weeknights', kind: 'folder-backup', sources: ['docs'], targetName: 'Default repository', enabled: false, status: 'disabled' }), 'success');
    const shown = (text: string, show: Parameters<typeof matchesFilter>[1]['show'] = 'all') =>
      [copy, folder].filter((candidate) => matchesFilter(candidate, { text, show })).map((candidate) => candidate.job.name);
    assert.deepEqual(shown(''), ['Offsite copy', 'Weeknights']);
    assert.deepEqual(shown('ledger vault'), ['Offsite copy']);
    assert.deepEqual(shown('DEFAULT'), ['Weeknights']);
    assert.deepEqual(shown('disabled'), ['Weeknights']);
    assert.deepEqual(shown('', 'failed'), ['Offsite copy']);
    assert.deepEqual(shown('', 'disabled'), ['Weeknights']);
    assert.deepEqual(shown('', 'backup-copy'), ['Offsite copy']);
    assert.deepEqual(shown('nas', 'folder-backup'), []);
  });

  test('the counts line says what runs and what failed, and a stop is not a failure', () => {
    const last = (result: 'failed' | 'stopped') => ({ id: 's', result, startedAt: '2026-01-05T01:00:00Z', endedAt: '2026-01-05T01:01:00Z' });
    assert.equal(
      describeJobs([job({ running: true }), job({ lastSession: last('failed') }), job({ lastSession: last('stopped') })]),
      '3 jobs · 1 running · 1 failed last time',
    );
  });
});
