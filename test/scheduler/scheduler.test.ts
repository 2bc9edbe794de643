process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { windowOpenAt } from '../../shared/schedule/window.ts';
import { VirtualClock } from '../../app/util/virtual-clock.ts';
import { writeRandomFiles } from '../copy/fixtures.ts';
import { dailyWindow, DAY, dataFolder, folderJob, HOUR, MINUTE, scheduledEngine } from './harness.ts';

const hourly = (startAt: Date) => ({ mode: 'periodic' as const, every: 1, unit: 'hours' as const, startAt: startAt.toISOString() });
const daily = (startAt: Date) => ({ mode: 'periodic' as const, every: 1, unit: 'days' as const, startAt: startAt.toISOString() });

async function addRepository(harness: Awaited<ReturnType<typeof scheduledEngine>>, name: string): Promise<string> {
  const added = await harness.client.call('repos.add', { name, location: { kind: 'local', path: path.join(harness.root, name) } });
  return added.id;
}

describe('the scheduler (virtual clock)', () => {
  it('30 days: an hourly backup and a daily copy with a 20:00–06:00 window copy one point per workload per day, started only in the window', { timeout: 300_000 }, async (t) => {
    const start = new Date('2026-03-02T00:00:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, advance, launches, root, repositoryId } = harness;
    const offsite = await addRepository(harness, 'offsite');
    const folders = { docs: await dataFolder(root, 'docs'), mail: await dataFolder(root, 'mail') };
    const files = await client.call('jobs.create', { definition: folderJob('Files', repositoryId, folders, { schedule: hourly(new Date(start.getTime() + 30 * MINUTE)) }) });
    const window = dailyWindow(20, 6);
    const copy = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Offsite', repositoryId: offsite, sources: [{ kind: 'job', jobId: files.id }], schedule: daily(new Date(start.getTime() + 12 * HOUR)), window },
    });

    await advance(13 * HOUR);
    const status = async () => (await client.call('jobs.list', {})).find((job) => job.id === copy.id);
    assert.deepEqual(
      [(await status())?.status, (await status())?.nextRun],
      ['waiting-for-window', new Date(start.getTime() + 20 * HOUR).toISOString()],
      'due at 12:00, it waits for its window to open at 20:00',
    );
    await advance(11 * HOUR);
    // Each run's retention keeps the newest 7 points of each workload (the default), in the source and the target.
    for (let day = 1; day < 30; day++) await advance(DAY);

    const backups = launches.filter((l) => l.jobId === files.id);
    assert.equal(backups.length, 30 * 24, 'one backup an hour');
    const copies = launches.filter((l) => l.jobId === copy.id);
    assert.equal(copies.length, 30, 'one copy session a day');
    for (const c of copies) assert.ok(windowOpenAt(window, new Date(c.at)), `copy started at ${new Date(c.at).toISOString()}, outside the window`);
    const perDay = new Map<string, number>();
    for (const c of copies) {
      const session = await client.call('sessions.get', { id: c.sessionId });
      assert.equal(session.result, 'success', JSON.stringify(session.log));
      for (const task of session.tasks) {
        assert.ok(task.pointId, `${task.workload} copied a point`);
        const key = `${task.workload} ${new Date(c.at - 12 * HOUR).toISOString().slice(0, 10)}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
    }
    assert.equal(perDay.size, 60, 'both workloads, every day');
    assert.ok([...perDay.values()].every((n) => n === 1), 'exactly one point per workload per interval');
    const [target] = await client.call('backups.list', { repositoryId: offsite });
    assert.deepEqual(target?.workloads.map((w) => [w.name, w.points]), [['docs', 7], ['mail', 7]], 'the newest 7 of the daily points in the target (retention)');
    const [source] = await client.call('backups.list', { repositoryId });
    assert.deepEqual(source?.workloads.map((w) => [w.name, w.points]), [['docs', 7], ['mail', 7]], 'the newest 7 of the hourly points in the source');
    const copied = await client.call('points.list', { repositoryId: offsite, folder: target!.folder, workload: 'docs' });
    const end = start.getTime() + 31 * DAY;
    for (const point of copied.points) {
      for (const at of [point.created, point.completed]) assert.ok(Date.parse(at) >= start.getTime() && Date.parse(at) <= end, `point ${point.id} is dated in the engine's (virtual) time: ${at}`);
    }
  });
});

describe('the scheduler: clock, slots, restarts (virtual clock)', () => {
  it('a clock set back an hour runs no slot twice; set forward three days, the missed runs are one run', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, clock, advance, launches, root, repositoryId } = harness;
    await client.call('jobs.create', { definition: folderJob('Hourly', repositoryId, { docs: await dataFolder(root, 'docs') }, { schedule: hourly(new Date(start.getTime() + 30 * MINUTE)) }) });
    const slots = () => launches.map((l) => new Date(l.at).toISOString().slice(11, 16));
    await advance(3 * HOUR + 10 * MINUTE);
    assert.deepEqual(slots(), ['00:30', '01:30', '02:30']);

    clock.setWall(clock.now() - HOUR);
    await advance(2 * HOUR);
    assert.deepEqual(slots(), ['00:30', '01:30', '02:30', '03:30'], 'set back to 02:10: the 02:30 run is not repeated, 03:30 runs');

    const before = launches.length;
    clock.setWall(clock.now() + 3 * DAY);
    await advance(2 * MINUTE);
    assert.equal(launches.length, before + 1, 'three days of missed runs: one run, within the minute');
    assert.ok(launches.at(-1)!.at - (clock.now() - 2 * MINUTE) <= MINUTE);
    const session = await client.call('sessions.get', { id: launches.at(-1)!.sessionId });
    assert.match(session.log[0]!.message, /missed while the engine was not running/);
    await advance(HOUR);
    assert.equal(launches.length, before + 2, 'then hourly again');
  });

  it('200 jobs due in the same minute all run once, at most 4 at a time per repository, in order', { timeout: 120_000 }, async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, engine, advance, launches, root, repositoryId } = harness;
    const second = await addRepository(harness, 'second');
    const docs = await dataFolder(root, 'docs');
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const job = await client.call('jobs.create', {
        definition: folderJob(`Job ${String(i).padStart(3, '0')}`, i % 2 ? second : repositoryId, { docs }, { schedule: daily(new Date(start.getTime() + MINUTE)) }),
      });
      ids.push(job.id);
    }
    let busiest = 0;
    const launch = engine.jobs.launch.bind(engine.jobs);
    engine.jobs.launch = (id, request) => {
      const started = launch(id, request);
      busiest = Math.max(busiest, engine.jobs.runningIn(engine.jobs.find(id)!.repositoryId));
      return started;
    };
    const statuses = new Set<string>();
    client.on('jobs.changed', ({ jobs }) => jobs.forEach((job) => statuses.add(job.status)));
    await advance(2 * MINUTE);
    assert.equal(launches.length, 200, 'every job ran');
    assert.equal(new Set(launches.map((l) => l.jobId)).size, 200, 'each once');
    assert.equal(busiest, 4, 'never more than 4 runs at once in a repository');
    assert.ok(statuses.has('queued') && statuses.has('working'), 'queued and working were published as events');
    for (const { sessionId } of launches) assert.equal((await client.call('sessions.get', { id: sessionId })).result, 'success');
    const order = launches.map((l) => ids.indexOf(l.jobId));
    for (const parity of [0, 1]) {
      const ofRepository = order.filter((i) => i % 2 === parity);
      assert.deepEqual(ofRepository, [...ofRepository].sort((a, b) => a - b), 'started in the order they were queued');
    }
    const listed = await client.call('jobs.list', {});
    assert.ok(listed.every((job) => job.status === 'idle' && job.nextRun === new Date(start.getTime() + DAY + MINUTE).toISOString()));
  });

  it('a disabled job never runs by its schedule; Start still runs it', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const { client, engine, advance, launches, root, repositoryId } = await scheduledEngine(t, start);
    const job = await client.call('jobs.create', {
      definition: folderJob('Off', repositoryId, { docs: await dataFolder(root, 'docs') }, { schedule: hourly(start), enabled: false }),
    });
    await advance(5 * HOUR);
    assert.equal(launches.length, 0);
    const [listed] = await client.call('jobs.list', {});
    assert.deepEqual([listed?.status, listed?.nextRun], ['disabled', null]);
    await client.call('jobs.start', { id: job.id });
    await advance(MINUTE);
    assert.equal(launches.length, 1, 'Start runs it');
    // Its run ends before the test's folder goes (it was still writing its lock: ENOTEMPTY under load).
    await engine.jobs.settled(job.id);
  });

  it('a failed run is retried 3 times 10 minutes apart within its interval, then waits for the next run', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const { client, advance, launches, root, repositoryId } = await scheduledEngine(t, start);
    // A folder there when the job is made (the engine refuses one that is not), gone by its runs.
    const gone = path.join(root, 'missing');
    await mkdir(gone);
    await client.call('jobs.create', {
      definition: folderJob('Gone', repositoryId, { docs: gone }, { schedule: daily(new Date(start.getTime() + HOUR)) }),
    });
    await rm(gone, { recursive: true });
    await advance(HOUR + 5 * MINUTE);
    assert.equal(launches.length, 1);
    const [listed] = await client.call('jobs.list', {});
    assert.equal(listed?.nextRun, new Date(start.getTime() + HOUR + 10 * MINUTE).toISOString(), 'the retry is the next run');
    await advance(2 * HOUR);
    assert.deepEqual(
      launches.map((l) => (l.at - start.getTime()) / MINUTE),
      [60, 70, 80, 90],
      'the run and 3 retries, 10 minutes apart',
    );
    await advance(DAY);
    assert.equal(launches.filter((l) => l.at >= start.getTime() + DAY).length, 4, 'the next day: its run and 3 retries again');
  });

  it('two engines on one data folder: only the first schedules, the second says why', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const first = await scheduledEngine(t, start);
    const { Engine } = await import('../../app/engine.ts');
    const lines: string[] = [];
    const second = await Engine.start({ dataDir: first.dataDir, host: 'serve', schedule: true, clock: new VirtualClock(start), log: (line) => lines.push(line) });
    t.after(() => second.close());
    assert.equal(second.scheduler, undefined);
    assert.match(lines.join('\n'), new RegExp(`process ${process.pid} schedules`));
    assert.ok(first.scheduler);
  });
});

describe('the scheduler and copies (virtual clock)', () => {
  it('the engine stopped during a scheduled copy: on restart the job runs again and transfers only what is missing', { timeout: 60_000 }, async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const first = await scheduledEngine(t, start);
    const offsite = await addRepository(first, 'offsite');
    const data = path.join(first.root, 'big');
    // Packs of 16 MiB are indexed every 4 (64 MiB): what a stop keeps is whole indexed packs, so the copy is larger.
    const MiB = 1024 * 1024;
    await writeRandomFiles(data, 12, 8 * MiB);
    const files = await first.client.call('jobs.create', { definition: folderJob('Files', first.repositoryId, { big: data }) });
    await first.client.call('jobs.start', { id: files.id });
    await first.engine.jobs.settled(files.id);
    const copy = await first.client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite',
        repositoryId: offsite,
        sources: [{ kind: 'job', jobId: files.id }],
        schedule: daily(new Date(start.getTime() + MINUTE)),
        // Slow enough that the shutdown comes well before the end, even on a loaded machine.
        dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 16 * MiB },
      },
    });
    const halfway = new Promise<void>((resolve) => {
      first.client.on('session.progress', (p) => {
        if (p.jobId === copy.id && (p.copy?.bytesTransferred ?? 0) > 76 * MiB) resolve();
      });
    });
    await first.clock.advance(2 * MINUTE);
    await halfway;
    const interrupted = first.launches.find((l) => l.jobId === copy.id)!;
    await first.close();

    const second = await scheduledEngine(t, new Date(start.getTime() + HOUR), { dataDir: first.dataDir });
    await second.advance(MINUTE);
    const rerun = second.launches.filter((l) => l.jobId === copy.id);
    assert.equal(rerun.length, 1, 'the missed run runs once on restart');
    const [before, after] = await Promise.all([interrupted, rerun[0]!].map((l) => second.client.call('sessions.get', { id: l.sessionId })));
    assert.equal(before?.result, 'stopped', `stopped by the engine's shutdown, not a failure: ${JSON.stringify(before?.log.map((line) => line.message))}`);
    assert.equal(after?.result, 'success', JSON.stringify(after?.log));
    assert.equal(before?.log[0]?.message, 'Started by the schedule of 4 May 2026, 00:01:00.', 'the slot in words, not an ISO time');
    assert.ok(after!.bytesNew < 40 * MiB, `the rerun stored ${after!.bytesNew} new bytes of 96 MiB: the 64 MiB the first had moved are reused`);
    await second.advance(2 * HOUR);
    assert.equal(second.launches.filter((l) => l.jobId === copy.id).length, 1, 'not again before its next day');
  });

  it('immediate copy: each new point of the engine\'s own job is copied at once, in order, never twice; others are found by the rescan', { timeout: 60_000 }, async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, engine, advance, launches, root, repositoryId } = harness;
    const offsite = await addRepository(harness, 'offsite');
    const docs = await dataFolder(root, 'docs');
    const files = await client.call('jobs.create', { definition: folderJob('Files', repositoryId, { docs }) });
    const copy = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Mirror', repositoryId: offsite, sources: [{ kind: 'repository', repositoryId }], schedule: { mode: 'immediate' } },
    });
    for (let i = 0; i < 3; i++) {
      // Points are dated by the engine's clock: a minute apart, as real runs are.
      if (i > 0) await advance(MINUTE);
      await client.call('jobs.start', { id: files.id });
      await engine.jobs.settled(files.id);
      const backedUp = launches.filter((l) => l.jobId === files.id).at(-1)!.at;
      await advance(0);
      const copied = launches.filter((l) => l.jobId === copy.id);
      assert.equal(copied.length, i + 1, 'a copy after each backup');
      assert.equal(copied.at(-1)!.at, backedUp, 'at once (no time passed)');
    }
    const copies = () => launches.filter((l) => l.jobId === copy.id);
    const [target] = await client.call('backups.list', { repositoryId: offsite });
    assert.equal(target?.workloads[0]?.points, 3);
    await advance(HOUR);
    assert.equal(copies().length, 3, 'nothing new: no run, no empty session');

    // A point written by another engine into the watched repository: found by the rescan (every 5 minutes).
    const { runBackup } = await import('../../app/backup/run-backup.ts');
    const { LocalFolderStore } = await import('../../app/storage/local-store.ts');
    const [repository] = await client.call('repos.list', {});
    assert.ok(repository?.location.kind === 'local');
    await runBackup({ store: new LocalFolderStore(repository.location.path), jobName: 'Other machine', level: 3, workloads: [{ name: 'other', folders: [docs], excludes: [] }] });
    assert.deepEqual((await client.call('jobs.list', {})).find((j) => j.id === copy.id)?.nextRun, null);
    await advance(4 * MINUTE);
    await advance(MINUTE);
    assert.equal(copies().length, 4, 'the rescan found it within 5 minutes');
    const copied = await client.call('sessions.get', { id: copies()[3]!.sessionId });
    assert.deepEqual(copied.tasks.filter((task) => task.pointId).map((task) => task.workload), ['other']);
    await advance(HOUR);
    assert.equal(copies().length, 4, 'never twice');
    await engine.jobs.settled(copy.id);
  });
});

describe('copy jobs and their window (virtual clock)', () => {
  it('an immediate copy of a point made while its window is closed waits for the window (status and next run), then copies it', async (t) => {
    // Off the 5-minute rescans (12:02, 12:07…): the copy starts when the window opens, not at the next rescan.
    const start = new Date('2026-05-04T12:02:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, engine, advance, launches, root, repositoryId } = harness;
    const offsite = await addRepository(harness, 'offsite');
    const files = await client.call('jobs.create', { definition: folderJob('Files', repositoryId, { docs: await dataFolder(root, 'docs') }) });
    const copy = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Night mirror', repositoryId: offsite, sources: [{ kind: 'job', jobId: files.id }], schedule: { mode: 'immediate' }, window: dailyWindow(20, 6) },
    });
    await client.call('jobs.start', { id: files.id });
    await engine.jobs.settled(files.id);
    await advance(HOUR);
    const copies = () => launches.filter((l) => l.jobId === copy.id);
    assert.equal(copies().length, 0, 'no copy outside the window');
    const listed = (await client.call('jobs.list', {})).find((job) => job.id === copy.id);
    assert.deepEqual([listed?.status, listed?.nextRun], ['waiting-for-window', '2026-05-04T20:00:00.000Z']);
    await advance(7 * HOUR - 2 * MINUTE + 30_000);
    assert.deepEqual(copies().map((l) => new Date(l.at).toISOString()), ['2026-05-04T20:00:00.000Z'], 'copied when the window opened');
  });
});

describe('periodic copy jobs: one point per workload per interval (virtual clock)', () => {
  it('a workload with no new point waits for one in its interval, and is a warning with the reason when the interval ends', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const harness = await scheduledEngine(t, start);
    const { client, engine, advance, launches, root, repositoryId } = harness;
    const offsite = await addRepository(harness, 'offsite');
    const files = await client.call('jobs.create', { definition: folderJob('Files', repositoryId, { docs: await dataFolder(root, 'docs') }) });
    await client.call('jobs.start', { id: files.id });
    await engine.jobs.settled(files.id);
    const copy = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Daily copy', repositoryId: offsite, sources: [{ kind: 'job', jobId: files.id }], schedule: daily(new Date(start.getTime() + HOUR)) },
    });
    await advance(2 * HOUR);
    const copies = () => launches.filter((l) => l.jobId === copy.id);
    assert.equal(copies().length, 1, 'the first interval copies the point');
    await advance(DAY);
    assert.equal(copies().length, 2, 'the second interval runs');
    const listed = (await client.call('jobs.list', {})).find((job) => job.id === copy.id);
    assert.equal(listed?.status, 'waiting-for-point', 'nothing new: it waits for a point within its interval');
    const finished: string[] = [];
    client.on('session.finished', (f) => f.jobId === copy.id && finished.push(f.result));
    await advance(DAY);
    assert.deepEqual(finished.slice(0, 1), ['warning'], 'the interval ended without a copy: a warning session');
    const [warning] = await client.call('sessions.list', { jobId: copy.id, limit: 10 }).then((list) => list.filter((s) => s.result === 'warning'));
    const detail = await client.call('sessions.get', { id: warning!.id });
    assert.match(detail.tasks[0]?.reason ?? '', /^not copied in the interval 5 May 2026, 01:00:00 – 6 May 2026, 01:00:00: no new point/);
  });

  it('look forward: a point older than the interval is not taken; one made in it is, at once', async (t) => {
    const start = new Date();
    const harness = await scheduledEngine(t, start);
    const { client, engine, advance, launches, root, repositoryId } = harness;
    const offsite = await addRepository(harness, 'offsite');
    const files = await client.call('jobs.create', { definition: folderJob('Files', repositoryId, { docs: await dataFolder(root, 'docs') }) });
    await client.call('jobs.start', { id: files.id });
    await engine.jobs.settled(files.id);
    // The interval starts after that point was made (dated by the virtual clock, which started at the real time).
    const copy = await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Forward',
        repositoryId: offsite,
        sources: [{ kind: 'job', jobId: files.id }],
        schedule: { ...daily(new Date(Date.now() + 1000)), lookForward: true },
      },
    });
    await advance(MINUTE);
    const copies = () => launches.filter((l) => l.jobId === copy.id);
    assert.equal(copies().length, 1);
    const first = await client.call('sessions.get', { id: copies()[0]!.sessionId });
    assert.equal(first.tasks.filter((task) => task.pointId).length, 0, 'the older point is not copied');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.call('jobs.start', { id: files.id });
    await engine.jobs.settled(files.id);
    await advance(0);
    assert.equal(copies().length, 2, 'the new point is copied at once');
    const second = await client.call('sessions.get', { id: copies()[1]!.sessionId });
    assert.deepEqual(second.tasks.filter((task) => task.pointId).map((task) => task.workload), ['docs']);
  });
});

describe('scheduler settings', () => {
  it('slots per repository is a setting (checked at the field); one slot runs due jobs one after the other', async (t) => {
    const start = new Date('2026-05-04T00:00:00Z');
    const { client, engine, advance, launches, root, repositoryId } = await scheduledEngine(t, start);
    assert.deepEqual(await client.call('scheduler.getSettings', {}), { slotsPerRepository: 4, rescanMinutes: 5 });
    await assert.rejects(client.call('scheduler.setSettings', { slotsPerRepository: 0, rescanMinutes: 5 }), (error: unknown) =>
      /At least 1/.test(String((error as { details?: { fields?: Record<string, string> } }).details?.fields?.['slotsPerRepository'])),
    );
    await client.call('scheduler.setSettings', { slotsPerRepository: 1, rescanMinutes: 5 });
    const docs = await dataFolder(root, 'docs');
    for (const name of ['A', 'B', 'C']) {
      await client.call('jobs.create', { definition: folderJob(name, repositoryId, { docs }, { schedule: daily(new Date(start.getTime() + MINUTE)) }) });
    }
    let busiest = 0;
    const launch = engine.jobs.launch.bind(engine.jobs);
    engine.jobs.launch = (id, request) => {
      const started = launch(id, request);
      busiest = Math.max(busiest, engine.jobs.runningIn(repositoryId));
      return started;
    };
    await advance(2 * MINUTE);
    assert.equal(launches.length, 3);
    assert.equal(busiest, 1);
  });
});
