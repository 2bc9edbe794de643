import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineContract } from '../../shared/contract/engine.ts';
import type { JobSummary, SessionResult } from '../../shared/domain/job.ts';
import type { Handlers } from '../../shared/rpc/contract.ts';
import { EventHub, serveChannel } from '../../shared/rpc/server.ts';
import { createMemoryChannelPair } from '../../shared/rpc/transports/memory.ts';
import { quitQuestion, sessionNotice, sessionUrl, trayMenu, trayStatus, detailLines, type EngineLink, type SessionEnd } from '../../main/engine-status.ts';
import { EngineWatch } from '../../main/engine-watch.ts';
import { QuitGuard } from '../../main/quit-guard.ts';

function job(
  name: string,
  state: { running?: boolean; last?: SessionResult; late?: string[]; status?: JobSummary['status']; nextRun?: string } = {},
): JobSummary {
  return {
    id: `id-${name}`,
    name,
    kind: 'folder-backup',
    enabled: true,
    repositoryId: 'repo',
    repositoryMissing: false,
    targetName: 'NAS',
    workloads: 1,
    sources: ['docs'],
    schedule: { mode: 'manual' },
    allowsPlaintext: false,
    running: state.running ?? false,
    status: state.status ?? (state.running ? 'working' : 'idle'),
    nextRun: state.nextRun ?? null,
    lastRun: null,
    rpo: state.late ? { hours: 48, late: state.late.map((workload) => ({ workload, newestCopy: null })) } : null,
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
    assert.equal(trayStatus([job('copy', { last: 'success', late: ['docs', 'mail'] }), job('other', { late: [] })], 'connected').summary, '1 past RPO');
    const scheduled = [
      job('a', { running: true }),
      job('b', { status: 'queued' }),
      job('c', { status: 'queued' }),
      job('d', { status: 'waiting-for-window', last: 'failed' }),
      job('e', { status: 'waiting-for-point' }),
      job('f', { status: 'disabled' }),
    ];
    assert.equal(trayStatus(scheduled, 'connected').summary, '1 job working · 2 queued · 1 waiting for window · 1 failed');
    // A run paused for its window (jobs.list says so while it runs): waiting, not working; Quit still asks.
    const paused = [job('Offsite', { running: true, status: 'waiting-for-window' }), job('Nightly', { running: true })];
    assert.deepEqual(trayStatus(paused, 'connected'), { summary: '1 job working · 1 waiting for window', working: ['Nightly'] });
    assert.match(quitQuestion(paused)?.detail ?? '', /^Running now: Offsite, Nightly\./);
  });

  it('says when the engine is starting or stopped instead of a stale list', () => {
    const jobs = [job('a', { running: true })];
    assert.deepEqual(trayStatus(jobs, 'connecting'), { summary: 'Engine starting…', working: [] });
    assert.deepEqual(trayStatus(jobs, 'stopped'), { summary: 'Engine stopped: jobs do not run', working: [] });
  });

  it('lists the working jobs in the menu, at most five', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    assert.deepEqual(detailLines(trayStatus(names.slice(0, 2).map((n) => job(n, { running: true })), 'connected')), ['Working: a', 'Working: b']);
    const lines = detailLines(trayStatus(names.map((n) => job(n, { running: true })), 'connected'));
    assert.deepEqual(lines, ['Working: a', 'Working: b', 'Working: c', 'Working: d', 'Working: e', 'and 2 more']);
  });

  it("shows the scheduler's next run among the jobs at rest", () => {
    const jobs = [
      job('Running', { running: true, nextRun: '2026-12-07T20:00:00.000Z' }),
      job('Offsite copy', { nextRun: '2026-12-07T22:00:00.000Z' }),
      job('Nightly', { nextRun: '2026-12-07T21:30:00.000Z' }),
      job('Manual'),
    ];
    const status = trayStatus(jobs, 'connected');
    assert.deepEqual(status.next, { name: 'Nightly', at: new Date('2026-12-07T21:30:00.000Z') });
    assert.deepEqual(detailLines(status, (at) => at.toISOString()), ['Working: Running', 'Next run: Nightly, 2026-12-07T21:30:00.000Z']);
    assert.equal(trayStatus([job('Manual')], 'connected').next, undefined);
    assert.equal(trayStatus(jobs, 'connecting').next, undefined);
  });
});

describe('the tray menu', () => {
  it('shows the status and working jobs unclickable, then Open and Quit', () => {
    const opened: string[] = [];
    const menu = trayMenu(trayStatus([job('Nightly', { running: true })], 'connected'), {
      open: () => opened.push('open'),
      quit: () => opened.push('quit'),
    });
    assert.deepEqual(
      menu.map((item) => [item.label ?? item.type, item.enabled ?? true]),
      [['1 job working', false], ['Working: Nightly', false], ['separator', true], ['Open Ferry', true], ['Quit Ferry', true]],
    );
    menu[3]!.click!(undefined as never, undefined, undefined as never);
    menu[4]!.click!(undefined as never, undefined, undefined as never);
    assert.deepEqual(opened, ['open', 'quit']);
  });

  it("a notification's click opens the console on the session's page", () => {
    assert.equal(sessionUrl('ferry://app/index.html', 'a b/c'), 'ferry://app/index.html#/history/a%20b%2Fc');
    assert.equal(sessionUrl('http://localhost:5173/#/jobs', 's1'), 'http://localhost:5173/#/history/s1');
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
    assert.equal(sessionNotice(end('stopped'), 'Nightly'), undefined, 'a stop is no failure, and whoever stopped it knows');
  });

  it('a stopped job at rest is neither a failure nor a warning in the tray', () => {
    assert.equal(trayStatus([job('a', { last: 'stopped' })], 'connected').summary, 'Idle');
    assert.equal(trayStatus([job('a', { last: 'stopped' }), job('b', { last: 'failed' })], 'connected').summary, '1 failed');
  });
});

describe("main's own client of the engine (EngineWatch)", () => {
  it('reads the jobs on attach, follows jobs.changed and session.finished, and forgets the jobs when the link drops', async () => {
    // The engine's side: the real RPC server, with jobs.list and the two events scripted.
    let listed: JobSummary[] = [job('Office files')];
    const listCalls: number[] = [];
    const events = new EventHub<typeof engineContract>();
    const handlers = { 'jobs.list': async () => (listCalls.push(listCalls.length), listed) } as unknown as Handlers<typeof engineContract>;
    const connect = () => {
      const [watchEnd, engineEnd] = createMemoryChannelPair();
      serveChannel(engineEnd, engineContract, handlers, events);
      return watchEnd;
    };

    const changes: Array<{ summary: string; link: EngineLink }> = [];
    const ends: Array<{ end: SessionEnd; jobName: string | undefined }> = [];
    const watch = new EngineWatch({
      onChange: (jobs, link) => changes.push({ summary: trayStatus(jobs, link).summary, link }),
      onSessionEnd: (end, jobName) => ends.push({ end, jobName }),
      log: silent,
    });
    assert.equal(watch.link, 'connecting');
    const first = connect();
    watch.attach(first);
    await waitFor(() => watch.link === 'connected');
    assert.deepEqual(watch.jobs.map((j) => j.name), ['Office files'], 'read with jobs.list on attach');

    events.emit('jobs.changed', { jobs: [job('Office files', { running: true })] });
    await waitFor(() => watch.jobs[0]?.running === true);
    events.emit('session.finished', { sessionId: 's1', jobId: 'id-Office files', result: 'failed' });
    events.emit('session.finished', { sessionId: 's2', jobId: 'id-deleted', result: 'warning' });
    events.emit('jobs.changed', { jobs: [job('Office files', { last: 'failed' })] });
    await waitFor(() => ends.length === 2 && watch.jobs[0]?.running === false);
    assert.deepEqual(ends, [
      { end: { sessionId: 's1', jobId: 'id-Office files', result: 'failed' }, jobName: 'Office files' },
      { end: { sessionId: 's2', jobId: 'id-deleted', result: 'warning' }, jobName: undefined },
    ]);
    assert.deepEqual(
      changes.map((change) => change.summary),
      ['Idle', '1 job working', '1 failed'],
    );

    // The engine's port closes (a crash): nothing is claimed to run until the next engine is attached.
    events.emit('jobs.changed', { jobs: [job('Office files', { running: true })] });
    await waitFor(() => watch.jobs[0]?.running === true);
    first.close();
    assert.equal(watch.link, 'connecting');
    assert.deepEqual(watch.jobs, []);
    listed = [job('Office files', { last: 'success' }), job('New one')];
    watch.attach(connect());
    await waitFor(() => watch.jobs.length === 2);
    assert.equal(listCalls.length, 2, 'listed again from the new engine');
    events.emit('session.finished', { sessionId: 's3', jobId: 'id-New one', result: 'warning' });
    await waitFor(() => ends.length === 3);
    assert.equal(ends[2]?.jobName, 'New one', 'subscribed again on the new port');

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

describe('QuitGuard (before-quit)', () => {
  function guarded(jobs: JobSummary[], answers: boolean[]) {
    const asked: string[] = [];
    const calls: string[] = [];
    let finishStop!: () => void;
    const guard = new QuitGuard({
      jobs: () => jobs,
      ask: async (question) => {
        asked.push(question.message);
        return answers.shift() ?? false;
      },
      stopEngine: () => {
        calls.push('stop engine');
        return new Promise<void>((resolve) => (finishStop = resolve));
      },
      quit: () => {
        calls.push('quit');
        guard.beforeQuit(quitEvent());
      },
      log: silent,
    });
    const prevented: boolean[] = [];
    const quitEvent = () => {
      const event = { preventDefault: () => void (prevented[prevented.length - 1] = true) };
      prevented.push(false);
      return event;
    };
    return { guard, asked, calls, prevented, quitEvent, finishStop: () => finishStop() };
  }

  it('with no job running, stops the engine and then lets the quit through', async () => {
    const { guard, asked, calls, prevented, quitEvent, finishStop } = guarded([job('a', { last: 'failed' })], []);
    guard.beforeQuit(quitEvent());
    assert.deepEqual(asked, []);
    assert.deepEqual(calls, ['stop engine']);
    assert.equal(guard.quitting, true);
    guard.beforeQuit(quitEvent()); // Cmd+Q again while stopping: still waits
    assert.deepEqual(calls, ['stop engine']);
    finishStop();
    await waitFor(() => calls.length === 2);
    assert.deepEqual(calls, ['stop engine', 'quit']);
    assert.deepEqual(prevented, [true, true, false], 'the last before-quit goes through');
  });

  it('while a job runs, asks first: Cancel keeps everything running, Quit stops the engine', async () => {
    const { guard, asked, calls, quitEvent, finishStop } = guarded([job('Nightly', { running: true })], [false, true]);
    guard.beforeQuit(quitEvent());
    guard.beforeQuit(quitEvent()); // a second quit while the question is open asks nothing more
    await waitFor(() => asked.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [], 'cancelled: the engine keeps running');
    assert.equal(guard.quitting, false);

    guard.beforeQuit(quitEvent());
    await waitFor(() => calls.length === 2);
    assert.deepEqual(asked, ['"Nightly" is running. Quit Ferry anyway?', '"Nightly" is running. Quit Ferry anyway?']);
    assert.deepEqual(calls, ['quit', 'stop engine'], 'confirmed: not asked again, the engine stops');
    finishStop();
    await waitFor(() => calls.length === 3);
  });
});
