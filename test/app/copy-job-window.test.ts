import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { VirtualClock } from '../../app/util/virtual-clock.ts';
import type { JobDefinitionInput, SessionDetail, SessionProgress, SessionResult } from '../../shared/domain/job.ts';
import { assertRestoresLike, writeRandomFiles } from '../copy/fixtures.ts';
import { runFerry, tempDir } from '../helpers.ts';
import { startEngine } from './engine-harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Open 20:00–06:00 every day (local time): hours 0–5 and 20–23. */
const NIGHTS = Array.from({ length: 7 }, () => 0x3f | (0xf << 20));
/** A Monday, local time. */
const at = (hour: number, minute = 0) => new Date(2026, 5, 1, hour, minute).getTime();

/** An engine on a virtual clock at 05:00 with a folder backup of "docs" made, and a copy job of it to "offsite" with the nightly window. */
async function setUp(t: TestContext, more: Partial<Extract<JobDefinitionInput, { kind: 'backup-copy' }>> = {}) {
  const root = await tempDir(t);
  const clock = new VirtualClock(at(5));
  // A scheduling engine (as the desktop app's and ferry serve's): it records job statuses for the CLI.
  const harness = await startEngine(t, undefined, { clock, schedule: true });
  const { client } = harness;
  const [primary] = await client.call('repos.list', {});
  const offsite = await client.call('repos.add', { name: 'offsite', location: { kind: 'local', path: path.join(root, 'offsite') } });
  const docs = path.join(root, 'docs');
  await writeRandomFiles(docs, 8, 512 * 1024);
  const files = await client.call('jobs.create', { definition: { kind: 'folder-backup', name: 'Files', repositoryId: primary!.id, workloads: [{ name: 'docs', folders: [docs] }] } });
  const copy = await client.call('jobs.create', {
    definition: { kind: 'backup-copy', name: 'Offsite', repositoryId: offsite.id, sources: [{ kind: 'job', jobId: files.id }], window: NIGHTS, ...more },
  });
  return { ...harness, clock, docs, offsitePath: path.join(root, 'offsite'), filesId: files.id, copyId: copy.id };
}

type Harness = Awaited<ReturnType<typeof setUp>>;

/** Starts a job; its progress as the engine emits it (in this process, so a listener acts before the run goes on) and its end. */
async function start({ engine, client }: Harness, jobId: string, onProgress: (p: SessionProgress) => void = () => undefined) {
  const progress: SessionProgress[] = [];
  let ended!: (result: SessionResult) => void;
  const finished = new Promise<SessionResult>((resolve) => (ended = resolve));
  const off = engine.events.listen((event, payload) => {
    if (event === 'session.progress' && (payload as SessionProgress).jobId === jobId) {
      progress.push(payload as SessionProgress);
      onProgress(payload as SessionProgress);
    }
    if (event === 'session.finished' && (payload as { jobId: string }).jobId === jobId) {
      off();
      ended((payload as { result: SessionResult }).result);
    }
  });
  const { sessionId } = await client.call('jobs.start', { id: jobId });
  return {
    progress,
    finished,
    session: async (): Promise<SessionDetail> => {
      await finished;
      await engine.jobs.settled(jobId);
      return client.call('sessions.get', { id: sessionId });
    },
  };
}

/** Resolves once a progress report matches; rejects when the run ends without one. */
function reported(run: { progress: SessionProgress[]; finished: Promise<SessionResult> }, predicate: (p: SessionProgress) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    // The copy does real I/O: its progress is awaited, not clocked.
    const look = () => {
      if (run.progress.some(predicate)) resolve();
      else timer = setTimeout(look, 5);
    };
    void run.finished.then(() => {
      clearTimeout(timer);
      if (run.progress.some(predicate)) resolve();
      else reject(new Error('the run ended without that progress'));
    });
    look();
  });
}

/** The copy job's status in jobs.list. */
async function status({ client, copyId }: Harness) {
  return (await client.call('jobs.list', {})).find((job) => job.id === copyId)?.status;
}

async function backupDocs(harness: Harness) {
  const run = await start(harness, harness.filesId);
  assert.equal(await run.finished, 'success');
  await harness.engine.jobs.settled(harness.filesId);
}

/** The window closes (06:00) as the copy of docs begins to move chunks. */
const closeWhenCopying = (clock: VirtualClock) => (p: SessionProgress) => {
  if (p.copy?.phase === 'copying' && clock.now() < at(6)) clock.setWall(at(6));
};

describe('a copy job and its transfer window, in the engine', () => {
  it('a copy whose window closes mid-run reports "waiting-for-window" in its session progress, then completes when it opens', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    await backupDocs(harness);
    const { clock } = harness;
    const run = await start(harness, harness.copyId, closeWhenCopying(clock));
    await reported(run, (p) => p.copy?.phase === 'waiting-for-window');
    assert.equal(await status(harness), 'waiting-for-window');
    // The CLI beside the engine (its own engine on the data folder) shows it too.
    const ls = await runFerry(['job', 'ls', '--data-dir', harness.dataDir]);
    assert.match(ls.stdout, /^Offsite {2}\(backup-copy\) {2}waiting-for-window /m, ls.stdout + ls.stderr);
    await clock.advance(13 * HOUR);
    assert.ok(!run.progress.some((p) => p.copy?.phase === 'done'), 'still paused at 19:00');
    assert.equal(await status(harness), 'waiting-for-window');
    await clock.advance(HOUR + 2 * MINUTE);
    const session = await run.session();
    assert.equal(await status(harness), 'idle');
    assert.equal(session.result, 'success', JSON.stringify(session.tasks));
    const phases = run.progress.filter((p) => p.workload === 'docs').map((p) => p.copy?.phase);
    assert.deepEqual([...new Set(phases)], ['planning', 'copying', 'waiting-for-window', 'committing', 'done']);
    const lines = session.log.map((line) => line.message);
    assert.ok(lines.some((line) => /transfer window is closed \(2026-06-01 06:00\): the copy pauses until it opens \(2026-06-01 20:00\)/.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => /transfer window opened \(2026-06-01 20:0\d\): the copy resumes where it paused/.test(line)), lines.join('\n'));

    const repository = await Repository.open(new LocalFolderStore(harness.offsitePath));
    const [folder] = await repository.listBackupFolders();
    const backup = await repository.openBackup(folder!);
    const [point] = (await backup.listPoints()).points;
    await assertRestoresLike(t, backup, point!, harness.docs);
  });

  it('with terminateOnWindowClose the session ends as a warning naming the window, and the next run in the window copies the point', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t, { terminateOnWindowClose: true });
    await backupDocs(harness);
    const { clock } = harness;
    const first = await start(harness, harness.copyId, closeWhenCopying(clock));
    const session = await first.session();
    assert.equal(session.result, 'warning');
    assert.deepEqual(
      session.tasks.map((task) => [task.workload, task.result, task.pointId]),
      [['docs', 'warning', null]],
    );
    assert.match(session.tasks[0]!.reason ?? '', /^the transfer window closed \(2026-06-01 06:00\) before its copy was complete; the next run continues it$/);
    const lines = session.log.map((line) => line.message);
    assert.ok(lines.includes('Not copied because of the transfer window: docs.'), lines.join('\n'));

    clock.setWall(at(20, 30));
    const second = await start(harness, harness.copyId);
    const next = await second.session();
    assert.equal(next.result, 'success');
    assert.equal(next.tasks[0]?.workload, 'docs');
    assert.match(next.tasks[0]?.pointId ?? '', /^[0-9a-f]{32}$/);
  });
});
