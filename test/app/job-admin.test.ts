import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { Catalog } from '../../app/catalog/catalog.ts';
import { MAX_RATE_SAMPLES, RunProgress, rateOf } from '../../app/jobs/run-progress.ts';
import { closeInterrupted, SessionRecorder } from '../../app/jobs/sessions.ts';
import { acquireLock } from '../../app/repository/locks.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { systemClock } from '../../app/util/clock.ts';
import type { JobDefinitionInput, SessionResult } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { writeRandomFiles } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';
import { fieldsOf, runJob, startEngine } from './engine-harness.ts';

const KiB = 1024;

/** An engine with its default repository ("primary") and a second one ("offsite"), and a folder of random files. */
async function setUp(t: TestContext) {
  const root = await tempDir(t);
  const harness = await startEngine(t);
  const [primary] = await harness.client.call('repos.list', {});
  const offsite = await harness.client.call('repos.add', { name: 'Offsite', location: { kind: 'local', path: path.join(root, 'offsite') } });
  const data = path.join(root, 'docs');
  await writeRandomFiles(data, 4, 512 * KiB);
  return { ...harness, root, data, primary: primary!, offsite };
}

type Harness = Awaited<ReturnType<typeof setUp>>;

function folderJob(name: string, repositoryId: string, workloads: Record<string, string>, more: Partial<JobDefinitionInput> = {}): JobDefinitionInput {
  return { kind: 'folder-backup', name, repositoryId, workloads: Object.entries(workloads).map(([w, folder]) => ({ name: w, folders: [folder] })), ...more } as JobDefinitionInput;
}

/** Starts the job and stops it as soon as `when` says so; the session and the result session.finished gave. */
async function stopDuring(harness: Harness, jobId: string, when: 'started' | 'moving') {
  const { client, engine } = harness;
  const finished = new Promise<SessionResult>((resolve) => {
    const off = client.on('session.finished', (event) => {
      if (event.jobId !== jobId) return;
      off();
      resolve(event.result);
    });
  });
  const moving = new Promise<void>((resolve) => {
    const off = client.on('session.progress', (progress) => {
      if (progress.jobId !== jobId || (progress.copy?.bytesTransferred ?? progress.bytesRead) === 0) return;
      off();
      resolve();
    });
  });
  const { sessionId } = await client.call('jobs.start', { id: jobId });
  if (when === 'moving') await moving;
  assert.deepEqual(await client.call('jobs.stop', { id: jobId }), { stopping: true });
  const result = await finished;
  await engine.jobs.settled(jobId);
  return { result, session: await client.call('sessions.get', { id: sessionId }) };
}

describe('a stop is its own result', () => {
  it('a copy stopped by hand ends "stopped" with the bytes it moved, not "failed"; the job list and the event say so', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, offsite, data } = harness;
    const files = await client.call('jobs.create', { definition: folderJob('Files', primary.id, { docs: data }) });
    assert.equal((await runJob(harness, files.id)).session.result, 'success');
    const copy = await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        repositoryId: offsite.id,
        sources: [{ kind: 'job', jobId: files.id }],
        // 2 MiB at 256 KiB/s: seconds of work, stopped at its first bytes.
        dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 256 * KiB },
      },
    });
    const { result, session } = await stopDuring(harness, copy.id, 'moving');
    assert.equal(result, 'stopped');
    assert.equal(session.result, 'stopped');
    assert.deepEqual(session.tasks.map((task) => [task.workload, task.result]), [['docs', 'stopped']]);
    assert.ok(session.bytesNew > 0, `the bytes moved before the stop are reported (${session.bytesNew})`);
    assert.ok(session.tasks[0]!.bytesRead > 0);
    const line = session.log.find((entry) => entry.message.startsWith('Stopped by hand'));
    assert.ok(line, session.log.map((entry) => entry.message).join('\n'));
    assert.doesNotMatch(line.message, /\d{4}-\d\d-\d\dT|[0-9a-f]{32}/, 'no ISO time, no id');
    assert.ok(!session.log.some((entry) => entry.level === 'error'), 'a stop logs no error');
    const listed = (await client.call('jobs.list', {})).find((job) => job.id === copy.id);
    assert.equal(listed?.lastSession?.result, 'stopped');
    assert.ok(session.rate.length > 0, 'the rate over the run is kept');
  });

  it('a folder backup stopped before its work (during its pre-script) ends "stopped", its workloads "stopped" or none', { timeout: 30_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, data } = harness;
    const job = await client.call('jobs.create', {
      definition: folderJob('Files', primary.id, { docs: data }, { scripts: { before: { path: '/bin/sleep', args: ['30'] } } }),
    });
    const { result, session } = await stopDuring(harness, job.id, 'started');
    assert.equal(result, 'stopped');
    assert.equal(session.result, 'stopped');
    assert.ok(session.tasks.every((task) => task.result === 'stopped'), JSON.stringify(session.tasks));
    assert.ok(session.log.some((entry) => entry.message.startsWith('Stopped by hand')), session.log.map((entry) => entry.message).join('\n'));
  });
});

describe('sessions.list filters', () => {
  it('by job, result and a range of start times; a range that ends before it starts is refused at "to"', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, root, data } = harness;
    const good = await client.call('jobs.create', { definition: folderJob('Good', primary.id, { docs: data }) });
    const gone = path.join(root, 'gone');
    await mkdir(gone);
    await writeFile(path.join(gone, 'a.txt'), 'a');
    const bad = await client.call('jobs.create', { definition: folderJob('Bad', primary.id, { gone }) });
    await rm(gone, { recursive: true });
    const first = (await runJob(harness, good.id)).session;
    const failed = (await runJob(harness, bad.id)).session;
    const second = (await runJob(harness, good.id)).session;
    assert.equal(failed.result, 'failed');
    const ids = (input: Parameters<typeof client.call<'sessions.list'>>[1]) => client.call('sessions.list', input).then((list) => list.map((s) => s.id));

    assert.deepEqual(await ids({}), [second.id, failed.id, first.id]);
    assert.deepEqual(await ids({ jobId: good.id }), [second.id, first.id]);
    assert.deepEqual(await ids({ results: ['failed', 'stopped'] }), [failed.id]);
    assert.deepEqual(await ids({ results: ['success'], jobId: bad.id }), []);
    assert.deepEqual(await ids({ from: failed.startedAt }), [second.id, failed.id]);
    assert.deepEqual(await ids({ to: failed.startedAt }), [failed.id, first.id]);
    // Bounds in another offset mean the same instant.
    const plusTwo = (iso: string) => {
      const at = new Date(Date.parse(iso) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      return at;
    };
    assert.deepEqual(await ids({ from: plusTwo(failed.startedAt), to: plusTwo(failed.startedAt) }), [failed.id]);
    assert.deepEqual(await ids({ limit: 1 }), [second.id]);
    const fields = await fieldsOf(client.call('sessions.list', { from: second.startedAt, to: first.startedAt }));
    assert.match(fields['to'] ?? '', /before its start/);
  });
});

describe('sessions an engine left running', () => {
  it('are closed at start as failed, saying so; one begun before this boot too, whatever process has its pid now; a live engine\'s stay', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    const open = (pid: number, startedAt: string) => {
      const session = new SessionRecorder(catalog, { id: null, name: 'Job', kind: 'folder-backup' });
      catalog.db.prepare('UPDATE sessions SET engine_pid = ?, started_at = ? WHERE id = ?').run(pid, startedAt, session.id);
      return session.id;
    };
    // The parent process is alive: before a reboot it was the engine's pid, now it is another process's.
    const beforeBoot = open(process.ppid, '2000-01-01T00:00:00.000Z');
    const liveEngine = open(process.ppid, new Date().toISOString());
    assert.equal(closeInterrupted(catalog), 1);
    const row = (id: string) => catalog.db.prepare('SELECT result, ended_at FROM sessions WHERE id = ?').get(id) as { result: string | null; ended_at: string | null };
    assert.equal(row(beforeBoot).result, 'failed');
    assert.ok(row(beforeBoot).ended_at);
    const lines = catalog.db.prepare('SELECT level, message FROM session_log WHERE session_id = ?').all(beforeBoot) as { level: string; message: string }[];
    assert.deepEqual(lines.map((line) => line.level), ['error']);
    assert.match(lines[0]!.message, /^The engine stopped during this session\. /);
    assert.deepEqual({ ...row(liveEngine) }, { result: null, ended_at: null }, 'a session of a live engine on the same data folder stays open');
  });
});

describe('transfer rate samples', () => {
  it('at most one sample per interval; a long run is thinned to at most 600 that still average exactly', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    let now = Date.parse('2026-12-01T10:00:00Z');
    const clock = { now: () => now, sleep: systemClock.sleep };
    const session = new SessionRecorder(catalog, { id: null, name: 'Job', kind: 'backup-copy' });
    const progress = new RunProgress(catalog, session.id, clock, 'bytesStored');
    const update = (workload: string, transferred: number) =>
      progress.update({
        sessionId: session.id,
        jobId: 'j',
        workload,
        files: 0,
        bytesRead: transferred,
        bytesNew: transferred,
        currentPath: '',
        copy: { phase: 'copying', bytesTransferred: transferred, chunksDone: 0, chunksTotal: 0, bytesTotal: 0, rateBytesPerSecond: 0, etaSeconds: null },
      });
    // Three hours at 1 MB/s, a progress event every 250 ms; the second point of the workload starts its counters again at 0.
    let transferred = 0;
    for (let tick = 1; tick <= 3 * 3600 * 4; tick++) {
      now += 250;
      transferred = tick === 3600 * 4 ? 0 : transferred + 250_000;
      update('docs', transferred);
    }
    progress.finish();
    const rate = rateOf(catalog, session.id);
    assert.ok(rate.length <= MAX_RATE_SAMPLES && rate.length >= MAX_RATE_SAMPLES / 2, `${rate.length} samples`);
    const spans = rate.map((sample, i) => Date.parse(sample.at) - (i === 0 ? Date.parse('2026-12-01T10:00:00Z') : Date.parse(rate[i - 1]!.at)));
    const moved = rate.reduce((sum, sample, i) => sum + (sample.bytesPerSecond * spans[i]!) / 1000, 0);
    // Every byte counted once: 3 h at 1 MB/s, less the one tick whose counter restarted at 0.
    assert.equal(Math.round(moved), 3 * 3600 * 1_000_000 - 250_000);
    assert.equal(rate.at(-1)!.at, new Date(now).toISOString(), 'the last sample is the end of the run');
    assert.deepEqual(progress.moved('docs'), { bytesRead: 3 * 3600 * 1_000_000 - 250_000, bytesNew: 3 * 3600 * 1_000_000 - 250_000, bytesStored: 3 * 3600 * 1_000_000 - 250_000 });
  });

  it('a short run keeps one sample per 2 s', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    let now = 0;
    const clock = { now: () => now, sleep: systemClock.sleep };
    const session = new SessionRecorder(catalog, { id: null, name: 'Job', kind: 'folder-backup' });
    const progress = new RunProgress(catalog, session.id, clock, 'bytesRead');
    for (let tick = 1; tick <= 40; tick++) {
      now += 250;
      progress.update({ sessionId: session.id, jobId: 'j', workload: 'docs', files: tick, bytesRead: tick * 1000, bytesNew: 0, currentPath: '' });
    }
    progress.finish();
    assert.deepEqual(
      rateOf(catalog, session.id).map((sample) => sample.bytesPerSecond),
      [4000, 4000, 4000, 4000, 4000],
    );
  });
});

describe('deleting a job', () => {
  it('the dry run says what would be lost and deletes nothing; with its backups, their folders go; without, they stay', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, data } = harness;
    const keep = await client.call('jobs.create', { definition: folderJob('Keep', primary.id, { docs: data }) });
    const drop = await client.call('jobs.create', { definition: folderJob('Drop', primary.id, { docs: data, more: data }) });
    for (const job of [keep, drop, drop]) assert.equal((await runJob(harness, job.id)).session.result, 'success');
    const repositoryPath = primary.location.kind === 'local' ? primary.location.path : assert.fail('local');

    const dry = await client.call('jobs.delete', { id: drop.id, deleteBackups: true, dryRun: true });
    assert.equal(dry.deleted, false);
    assert.equal(dry.backups.length, 1);
    const [lost] = dry.backups;
    assert.deepEqual({ ...lost, bytes: undefined }, { repositoryId: primary.id, repositoryName: primary.name, folder: 'Drop', workloads: 2, points: 4, bytes: undefined });
    assert.ok(lost!.bytes > 1024 * KiB, `${lost!.bytes} bytes`);
    assert.ok((await client.call('jobs.list', {})).some((job) => job.id === drop.id), 'a dry run keeps the job');
    assert.ok((await readdir(repositoryPath)).includes('Drop'));

    // A copy reading the backup (a read lock) keeps it: the job stays, the message says why.
    const store = new LocalFolderStore(repositoryPath);
    const reader = await acquireLock(store, 'Drop', 'read', { purpose: 'copy job "Elsewhere"' });
    await assert.rejects(client.call('jobs.delete', { id: drop.id, deleteBackups: true }), (error: unknown) => {
      assert.ok(error instanceof FerryError && error.code === 'conflict', String(error));
      assert.match(error.message, /could not be deleted, so the job "Drop" was kept: .*in use: copy job "Elsewhere"/);
      return true;
    });
    await reader.release();
    assert.ok((await client.call('jobs.list', {})).some((job) => job.id === drop.id));

    const done = await client.call('jobs.delete', { id: drop.id, deleteBackups: true });
    assert.equal(done.deleted, true);
    assert.deepEqual(done.backups.map((backup) => backup.folder), ['Drop']);
    assert.ok(!(await readdir(repositoryPath)).includes('Drop'), 'the backup folder is gone');
    assert.deepEqual((await client.call('backups.list', { repositoryId: primary.id })).map((backup) => backup.name), ['Keep']);

    const kept = await client.call('jobs.delete', { id: keep.id });
    assert.equal(kept.deleted, true);
    assert.ok((await readdir(repositoryPath)).includes('Keep'), 'without deleteBackups the backup stays');
    assert.deepEqual((await client.call('jobs.list', {})).map((job) => job.name), []);
  });

  it('refuses while the job runs', { timeout: 30_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, engine, primary, data } = harness;
    const job = await client.call('jobs.create', {
      definition: folderJob('Files', primary.id, { docs: data }, { scripts: { before: { path: '/bin/sleep', args: ['30'] } } }),
    });
    await client.call('jobs.start', { id: job.id });
    await assert.rejects(client.call('jobs.delete', { id: job.id, deleteBackups: true }), (error: unknown) => {
      assert.ok(error instanceof FerryError && error.code === 'conflict');
      assert.match(error.message, /"Files" is running\. Stop it before deleting it\./);
      return true;
    });
    await assert.rejects(client.call('jobs.update', { id: job.id, definition: folderJob('Files', primary.id, { docs: data }) }), /Stop the job before changing it\./);
    await client.call('jobs.stop', { id: job.id });
    await engine.jobs.settled(job.id);
  });
});

describe('enabling and disabling jobs at once', () => {
  it('changes each job named; an unknown id changes none and is named', async (t) => {
    const harness = await setUp(t);
    const { client, primary, data } = harness;
    const a = await client.call('jobs.create', { definition: folderJob('A', primary.id, { docs: data }) });
    const b = await client.call('jobs.create', { definition: folderJob('B', primary.id, { docs: data }) });
    const c = await client.call('jobs.create', { definition: folderJob('C', primary.id, { docs: data }) });
    const changed = new Promise<void>((resolve) => {
      const off = client.on('jobs.changed', ({ jobs }) => {
        if (jobs.filter((job) => !job.enabled).length !== 2) return;
        off();
        resolve();
      });
    });
    const off = await client.call('jobs.setEnabled', { ids: [a.id, b.id], enabled: false });
    assert.deepEqual(off.map((job) => [job.name, job.enabled, job.status]), [['A', false, 'disabled'], ['B', false, 'disabled']]);
    await changed;
    assert.equal((await client.call('jobs.get', { id: a.id })).definition.enabled, false, 'stored in the definition');

    await assert.rejects(client.call('jobs.setEnabled', { ids: [a.id, 'no-such-job'], enabled: true }), (error: unknown) => {
      assert.ok(error instanceof FerryError && error.code === 'not_found');
      assert.deepEqual(error.details?.['ids'], ['no-such-job']);
      assert.match(error.message, /not found .*nothing was changed/);
      return true;
    });
    assert.equal((await client.call('jobs.get', { id: a.id })).definition.enabled, false, 'nothing changed');
    const on = await client.call('jobs.setEnabled', { ids: [a.id, b.id, c.id], enabled: true });
    assert.deepEqual(on.map((job) => job.enabled), [true, true, true]);
  });
});

describe('the job list names what each job takes and where it goes', () => {
  it('copy sources in words, folder jobs their workloads, the target by name', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, offsite, data } = harness;
    const files = await client.call('jobs.create', { definition: folderJob('Daily', primary.id, { docs: data, mail: data }) });
    assert.equal((await runJob(harness, files.id)).session.result, 'success');
    const [backup] = await client.call('backups.list', { repositoryId: primary.id });
    await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        repositoryId: offsite.id,
        sources: [
          { kind: 'job', jobId: files.id },
          { kind: 'backup', repositoryId: primary.id, backupId: backup!.backupId, workloads: ['docs'] },
          { kind: 'workload', workload: 'mail' },
          { kind: 'repository', repositoryId: primary.id },
        ],
      },
    });
    const list = await client.call('jobs.list', {});
    assert.deepEqual(
      list.map((job) => [job.name, job.targetName, job.sources]),
      [
        ['Daily', primary.name, ['docs', 'mail']],
        ['Offsite copy', 'Offsite', ['job Daily', `backup Daily on ${primary.name} (docs)`, 'workload mail', `repository ${primary.name}`]],
      ],
    );
  });
});

describe('a job is checked at the field when it is made or changed', () => {
  it('folder backup: a folder that does not exist, a file, the whole disk or a relative path is refused, saying what is wrong', async (t) => {
    const harness = await setUp(t);
    const { client, primary, root, data } = harness;
    const file = path.join(root, 'notes.txt');
    await writeFile(file, 'a file');
    const missing = path.join(root, 'not-there');
    const fields = await fieldsOf(
      client.call('jobs.create', {
        definition: {
          kind: 'folder-backup',
          name: 'Files',
          repositoryId: primary.id,
          workloads: [
            { name: 'docs', folders: [data] },
            { name: 'gone', folders: [missing] },
            { name: 'file', folders: [file] },
            { name: 'disk', folders: ['/'] },
            { name: 'relative', folders: ['docs', data] },
          ],
        },
      }),
    );
    assert.deepEqual(fields, {
      'definition.workloads.1.folders': `${missing} does not exist.`,
      'definition.workloads.2.folders': `${file} is a file, not a folder: enter the folder that holds it.`,
      'definition.workloads.3.folders': '/ is the whole disk: choose the folders to back up.',
      'definition.workloads.4.folders': 'Enter the full path of "docs" (from the top of its disk): the engine does not run from a folder of yours.',
    });
    assert.deepEqual(await client.call('jobs.list', {}), [], 'nothing was made');

    const job = await client.call('jobs.create', { definition: folderJob('Files', primary.id, { docs: data }) });
    const changed = await fieldsOf(client.call('jobs.update', { id: job.id, definition: folderJob('Files', primary.id, { docs: path.join(file, 'below') }) }));
    assert.deepEqual(changed, { 'definition.workloads.0.folders': `${path.join(file, 'below')} does not exist: part of its path is a file.` });
  });

  it('an edit that switches a job to encrypted needs a password; an edit of an encrypted job keeps the stored one', async (t) => {
    const harness = await setUp(t);
    const { client, primary, data } = harness;
    const plain = await client.call('jobs.create', { definition: folderJob('Files', primary.id, { docs: data }) });
    const encrypted = (name: string) => folderJob(name, primary.id, { docs: data }, { storage: { compressionLevel: 3, encrypted: true } });
    assert.deepEqual(await fieldsOf(client.call('jobs.update', { id: plain.id, definition: encrypted('Files') })), {
      password: 'Enter a password: the backup is encrypted with it.',
    });
    await client.call('jobs.update', { id: plain.id, definition: encrypted('Files'), password: 'correct horse' });
    await client.call('jobs.update', { id: plain.id, definition: { ...encrypted('Files'), description: 'renamed later' } });
    assert.equal((await client.call('jobs.get', { id: plain.id })).definition.description, 'renamed later');
    // An encrypted run needs the password: the edit without one kept the stored one.
    const { session } = await runJob(harness, plain.id);
    assert.equal(session.result, 'success', JSON.stringify(session.log));
  });

  it('copy: a backup source not in its repository, a job source deleted, a repository source removed; a backup written since the last scan is found', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, engine, primary, offsite, root, data } = harness;
    const files = await client.call('jobs.create', { definition: folderJob('Files', primary.id, { docs: data }) });
    assert.equal((await runJob(harness, files.id)).session.result, 'success');
    const [backup] = await client.call('backups.list', { repositoryId: primary.id });
    const third = await client.call('repos.add', { name: 'Branch', location: { kind: 'local', path: path.join(root, 'branch') } });
    const gone = await client.call('jobs.create', { definition: folderJob('Gone', primary.id, { docs: data }) });
    await client.call('jobs.delete', { id: gone.id });
    await client.call('repos.remove', { id: third.id });
    const copy = (sources: Extract<JobDefinitionInput, { kind: 'backup-copy' }>['sources']): JobDefinitionInput => ({ kind: 'backup-copy', name: 'Offsite copy', repositoryId: offsite.id, sources });
    const fields = await fieldsOf(
      client.call('jobs.create', {
        definition: copy([
          { kind: 'job', jobId: files.id },
          { kind: 'backup', repositoryId: primary.id, backupId: 'f'.repeat(32) },
          { kind: 'job', jobId: gone.id },
          { kind: 'repository', repositoryId: third.id },
          { kind: 'backup', repositoryId: primary.id, backupId: backup!.backupId },
        ]),
      }),
    );
    assert.deepEqual(fields, {
      'definition.sources.1': `This backup is not in ${primary.name} (any more): choose one of the backups there, or remove the source.`,
      'definition.sources.2': 'This source job does not exist any more: remove it from the sources.',
      'definition.sources.3': 'The repository of this source is not registered any more: add it again on the Repositories page, or remove the source.',
    });
    for (const message of Object.values(fields)) assert.doesNotMatch(message, /[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids');

    // The catalog forgot the backup (never scanned here): it is looked for in its repository before it is refused.
    engine.catalog.db.prepare('DELETE FROM backups').run();
    const made = await client.call('jobs.create', { definition: copy([{ kind: 'backup', repositoryId: primary.id, backupId: backup!.backupId }]) });
    assert.deepEqual(made.sources, [`backup Files on ${primary.name}`]);
  });
});

describe('session logs and task reasons speak words', () => {
  it('no ISO times, no 32-hex ids, no errno codes, no "(s)": points by their date, workloads and jobs by name', { timeout: 60_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, offsite, root, data } = harness;
    const gone = path.join(root, 'gone');
    await mkdir(gone);
    const files = await client.call('jobs.create', { definition: folderJob('Daily', primary.id, { docs: data, gone }, { retention: { keepPoints: 1 } }) });
    await rm(gone, { recursive: true });
    const sessions = [(await runJob(harness, files.id)).session, (await runJob(harness, files.id)).session];
    const copy = await client.call('jobs.create', { definition: { kind: 'backup-copy', name: 'Offsite copy', repositoryId: offsite.id, sources: [{ kind: 'job', jobId: files.id }] } });
    sessions.push((await runJob(harness, copy.id)).session, (await runJob(harness, copy.id)).session);
    const text = sessions.flatMap((session) => [...session.log.map((line) => line.message), ...session.tasks.map((task) => task.reason ?? '')]);
    for (const line of text) {
      assert.doesNotMatch(line, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO time');
      assert.doesNotMatch(line, /[0-9a-f]{32}/, 'no id');
      assert.doesNotMatch(line, /\bE[A-Z]{3,}\b/, 'no errno code');
      assert.doesNotMatch(line, /\(s\)/, 'no "(s)" plural');
    }
    const all = text.join('\n');
    assert.match(all, /^Backup of 2 workloads started: docs, gone\.$/m);
    assert.match(all, new RegExp(`The folder ${gone} of workload gone cannot be read: it does not exist\\.`));
    assert.match(all, /^Removed the point of \d{1,2} \w{3} \d{4}, [\d:]{8} of docs: /m);
    assert.match(all, /^Retention \(keep 1\): 1 point removed, 1 kept\.$/m);
    assert.match(all, new RegExp(`^Copy to Offsite started, from job Daily\\.$`, 'm'));
    assert.match(all, /^docs: copying the point of \d{1,2} \w{3} \d{4}, [\d:]{8} from /m);
    assert.match(all, /^up to date: the newest point \(\d{1,2} \w{3} \d{4}, [\d:]{8}\) is already copied$/m);
  });
});

describe('a folder that vanished after the job was made', () => {
  it('fails its workload in words before the repository is touched: a run with nothing readable leaves no empty backup', { timeout: 30_000 }, async (t) => {
    const harness = await setUp(t);
    const { client, primary, root } = harness;
    const gone = path.join(root, 'share');
    await mkdir(gone);
    const job = await client.call('jobs.create', { definition: folderJob('Share', primary.id, { share: gone }) });
    await rm(gone, { recursive: true });
    const { session } = await runJob(harness, job.id);
    assert.equal(session.result, 'failed');
    assert.deepEqual(
      session.tasks.map((task) => [task.workload, task.result, task.reason]),
      [['share', 'failed', `The folder ${gone} of workload share cannot be read: it does not exist. Nothing was backed up for it.`]],
    );
    assert.deepEqual(await client.call('backups.list', { repositoryId: primary.id }), [], 'no empty backup');
    const repositoryPath = primary.location.kind === 'local' ? primary.location.path : assert.fail('local');
    assert.ok(!(await readdir(repositoryPath)).includes('Share'));
  });
});
