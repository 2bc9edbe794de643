import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { engineContract } from '../../shared/contract/engine.ts';
import type { JobSummary } from '../../shared/domain/job.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { createMemoryChannelPair } from '../../shared/rpc/transports/memory.ts';
import { quitQuestion, sessionNotice, trayStatus, workingLines, type EngineLink, type SessionEnd } from '../../main/engine-status.ts';
import { EngineWatch } from '../../main/engine-watch.ts';
import { startEngine } from '../app/engine-harness.ts';
import { tempDir } from '../helpers.ts';

function job(name: string, state: { running?: boolean; last?: 'success' | 'warning' | 'failed' } = {}): JobSummary {
  return {
    id: `id-${name}`,
    name,
    kind: 'folder-backup',
    enabled: true,
    repositoryId: 'repo',
    workloads: 1,
    schedule: { mode: 'manual' },
    allowsPlaintext: false,
    running: state.running ?? false,
    lastSession: state.last ? { id: `s-${name}`, result: state.last, startedAt: '2026-12-07T10:00:00.000Z', endedAt: '2026-12-07T10:01:00.000Z' } : null,
  };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('what the tray says', () => {
  it('counts working jobs, and failures and warnings of the jobs at rest', () => {
    assert.equal(trayStatus([], 'connected').summary, 'Idle');
    assert.equal(trayStatus([job('a', { last: 'success' })], 'connected').summary, 'Idle');
    assert.equal(trayStatus([job('a', { running: true }), job('b', { running: true, last: 'failed' })], 'connected').summary, '2 jobs working');
    assert.equal(trayStatus([job('a', { running: true }), job('b', { last: 'failed' })], 'connected').summary, '1 job working · 1 failed');
    assert.equal(
      trayStatus([job('a', { last: 'warning' }), job('b', { last: 'warning' }), job('c', { last: 'failed' })], 'connected').summary,
      '1 failed · 2 warnings',
    );
  });

  it('says when the engine is starting or stopped instead of a stale list', () => {
    const jobs = [job('a', { running: true })];
    assert.deepEqual(trayStatus(jobs, 'connecting'), { summary: 'Engine starting…', working: [] });
    assert.deepEqual(trayStatus(jobs, 'stopped'), { summary: 'Engine stopped: jobs do not run', working: [] });
  });

  it('lists the working jobs in the menu, at most five', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    assert.deepEqual(workingLines(trayStatus(names.slice(0, 2).map((n) => job(n, { running: true })), 'connected')), ['Working: a', 'Working: b']);
    const lines = workingLines(trayStatus(names.map((n) => job(n, { running: true })), 'connected'));
    assert.deepEqual(lines, ['Working: a', 'Working: b', 'Working: c', 'Working: d', 'Working: e', 'and 2 more']);
  });
});

describe('Quit while jobs run', () => {
  it('asks only while a job runs, naming the jobs', () => {
    assert.equal(quitQuestion([job('a', { last: 'failed' })]), undefined);
    const one = quitQuestion([job('Nightly', { running: true }), job('Idle one')]);
    assert.equal(one?.message, '"Nightly" is running. Quit Ferry anyway?');
    assert.match(one.detail, /^Running now: Nightly\./);
    assert.match(one.detail, /No job runs on schedule until Ferry starts again/);
    const many = quitQuestion(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => job(n, { running: true })));
    assert.equal(many?.message, '6 jobs are running. Quit Ferry anyway?');
    assert.match(many.detail, /^Running now: a, b, c, d, e, and 1 more\./);
  });
});

describe('OS notifications of session ends', () => {
  it('notifies a failed or warning session with the job name, never a success', () => {
    const end = (result: SessionEnd['result']): SessionEnd => ({ sessionId: 's1', jobId: 'j1', result });
    assert.equal(sessionNotice(end('success'), 'Nightly'), undefined);
    assert.deepEqual(sessionNotice(end('failed'), 'Nightly'), {
      title: 'Nightly failed',
      body: 'The run did not complete. Click to see why in Ferry.',
      sessionId: 's1',
    });
    assert.equal(sessionNotice(end('warning'), 'Nightly')?.title, 'Nightly finished with warnings');
    assert.equal(sessionNotice(end('failed'), undefined)?.title, 'A job failed');
  });
});

describe("main's own client of the engine (EngineWatch)", () => {
  it('follows the jobs and the session ends of a real engine, and forgets them when the link drops', async (t) => {
    const root = await tempDir(t);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const created = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Office files', repositoryId: repo!.id, workloads: [{ name: 'gone', folders: [path.join(root, 'missing')] }] },
    });

    const changes: Array<{ names: string[]; running: boolean[]; link: EngineLink }> = [];
    const ends: Array<{ end: SessionEnd; jobName: string | undefined }> = [];
    let ended!: () => void;
    const sessionEnded = new Promise<void>((resolve) => (ended = resolve));
    const watch = new EngineWatch({
      onChange: (jobs, link) => changes.push({ names: jobs.map((j) => j.name), running: jobs.map((j) => j.running), link }),
      onSessionEnd: (end, jobName) => {
        ends.push({ end, jobName });
        ended();
      },
      log: silent,
    });
    const [watchEnd, engineEnd] = createMemoryChannelPair();
    serveChannel(engineEnd, engineContract, engine.handlers, engine.events);
    watch.attach(watchEnd);
    await waitFor(() => watch.link === 'connected');
    assert.deepEqual(watch.jobs.map((j) => j.name), ['Office files'], 'read with jobs.list on attach');

    const { sessionId } = await client.call('jobs.start', { id: created.id });
    await sessionEnded;
    await engine.jobs.settled(created.id);
    assert.deepEqual(ends, [{ end: { sessionId, jobId: created.id, result: 'failed' }, jobName: 'Office files' }]);
    assert.ok(changes.some((change) => change.running[0] === true), 'saw the job working (jobs.changed)');
    await waitFor(() => watch.jobs[0]?.running === false && watch.jobs[0]?.lastSession?.result === 'failed');
    assert.equal(trayStatus(watch.jobs, watch.link).summary, '1 failed');
    assert.equal(sessionNotice(ends[0]!.end, ends[0]!.jobName)?.title, 'Office files failed');

    // The engine's port closes (a crash): nothing is claimed to run until the next attach.
    watchEnd.close();
    assert.equal(watch.link, 'connecting');
    assert.deepEqual(watch.jobs, []);
    watch.stopped();
    assert.equal(trayStatus(watch.jobs, watch.link).summary, 'Engine stopped: jobs do not run');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
