import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { startTcpProxy } from '../storage/tcp-proxy.ts';
import { startEngine } from './engine-harness.ts';

async function sourceFolder(root: string, name: string): Promise<string> {
  const folder = path.join(root, name);
  await mkdir(path.join(folder, 'sub'), { recursive: true });
  await writeFile(path.join(folder, 'a.txt'), `content of ${name}\n`.repeat(500));
  await writeFile(path.join(folder, 'sub', 'b.txt'), 'more');
  return folder;
}

describe('folder backup jobs', () => {
  it('runs a job: one point per workload, a session with a task each, the backup in the inventory', async (t) => {
    const root = await tempDir(t);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const docs = await sourceFolder(root, 'docs');
    // A folder there when the job is made (the engine refuses one that is not), gone by its run.
    const gone = await sourceFolder(root, 'missing');
    const job = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Office files',
        repositoryId: repo!.id,
        workloads: [
          { name: 'docs', folders: [docs] },
          { name: 'gone', folders: [gone] },
        ],
      },
    });
    await rm(gone, { recursive: true });
    const finished = new Promise<{ result: string }>((resolve) => client.on('session.finished', resolve));
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    await assert.rejects(client.call('jobs.start', { id: job.id }), (e: unknown) => e instanceof FerryError && e.code === 'conflict');
    assert.equal((await finished).result, 'failed', 'one workload failed');
    await engine.jobs.settled(job.id);

    const session = await client.call('sessions.get', { id: sessionId });
    assert.deepEqual(session.tasks.map((task) => [task.workload, task.result]), [['docs', 'success'], ['gone', 'failed']]);
    assert.match(session.tasks[1]!.reason ?? '', /missing.*cannot be read/);
    assert.ok(session.log.some((line) => line.level === 'error'));
    assert.equal((await client.call('sessions.list', { jobId: job.id }))[0]?.id, sessionId);

    const [listed] = await client.call('jobs.list', {});
    assert.equal(listed?.lastSession?.result, 'failed');
    const backups = await client.call('backups.list', { repositoryId: repo!.id });
    assert.deepEqual(backups.map((b) => [b.name, b.workloads.map((w) => [w.name, w.points])]), [['Office files', [['docs', 1]]]]);
    const points = await client.call('points.list', { repositoryId: repo!.id, folder: backups[0]!.folder, workload: 'docs' });
    assert.equal(points.points[0]?.id, session.tasks[0]!.pointId);
    assert.deepEqual(points.damaged, []);
    const [withUsage] = await client.call('repos.list', {});
    assert.equal(withUsage?.backupCount, 1);
    assert.ok((withUsage?.usedBytes ?? 0) > 0);
  });

  it('refreshes only its own backup after a run; a backup put in the repository by hand waits for a rescan', async (t) => {
    const root = await tempDir(t);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const docs = await sourceFolder(root, 'docs');
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Office files', repositoryId: repo!.id, workloads: [{ name: 'docs', folders: [docs] }] },
    });
    const run = async () => {
      const finished = new Promise<{ result: string }>((resolve) => {
        const off = client.on('session.finished', (f) => {
          off();
          resolve(f);
        });
      });
      await client.call('jobs.start', { id: job.id });
      assert.equal((await finished).result, 'success');
      await engine.jobs.settled(job.id);
    };
    const listed = async () => (await client.call('backups.list', { repositoryId: repo!.id })).map((b) => [b.name, b.workloads.map((w) => w.points)]);
    await run();
    assert.deepEqual(await listed(), [['Office files', [1]]], 'a repository never scanned is scanned whole');
    const location = repo!.location;
    if (location.kind !== 'local') throw new Error('the default repository is a folder');
    await runBackup({ store: new LocalFolderStore(location.path), jobName: 'By hand', workloads: [{ name: 'docs', folders: [docs] }] });
    await run();
    assert.deepEqual(await listed(), [['Office files', [2]]]);
    await client.call('repos.rescan', { id: repo!.id });
    assert.deepEqual(await listed(), [['By hand', [1]], ['Office files', [2]]]);
  });

  it('keeps an encrypted job\'s password out of the catalog and still lists its points', async (t) => {
    const root = await tempDir(t);
    const { client, engine, dataDir } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const password = 'pässwörd-never-in-the-catalog';
    await assert.rejects(
      client.call('jobs.create', {
        definition: { kind: 'folder-backup', name: 'Secret', repositoryId: repo!.id, workloads: [{ name: 'w', folders: [root] }], storage: { encrypted: true } },
      }),
      (e: unknown) => e instanceof FerryError && e.details?.fields?.['password'] !== undefined,
    );
    const job = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Secret',
        repositoryId: repo!.id,
        workloads: [{ name: 'w', folders: [await sourceFolder(root, 'w')] }],
        storage: { encrypted: true },
      },
      password,
    });
    await client.call('jobs.start', { id: job.id });
    await engine.jobs.settled(job.id);
    const [backup] = await client.call('backups.list', {});
    assert.equal(backup?.encrypted, true);
    assert.equal(backup?.readable, true);
    assert.equal(backup?.workloads[0]?.points, 1);
    const catalogBytes = await readFile(path.join(dataDir, 'catalog.sqlite'));
    assert.equal(catalogBytes.includes(Buffer.from(password)), false);
    const sealed = await readFile(path.join(dataDir, 'secrets.sealed'));
    assert.equal(sealed.includes(Buffer.from(password)), false);
  });

  it('registers an S3 repository, keeping its secret out of the catalog', { timeout: 60_000 }, async (t) => {
    const server = await startS3Server(t);
    const { client, dataDir } = await startEngine(t);
    const config = server.config('ferry');
    const location = {
      kind: 's3' as const,
      endpoint: config.endpoint!,
      bucket: config.bucket,
      prefix: 'ferry',
      accessKeyId: config.accessKeyId,
      secretAccessKey: 'a-secret-that-stays-secret',
    };
    assert.match((await client.call('repos.testConnection', { location })).message, /reachable and writable/);
    const repo = await client.call('repos.add', { name: 'Offsite', location });
    assert.equal(repo.status, 'available');
    assert.equal('secretAccessKey' in repo.location, false);
    assert.equal((await readFile(path.join(dataDir, 'catalog.sqlite'))).includes(Buffer.from('a-secret-that-stays-secret')), false);
    await assert.rejects(
      client.call('repos.add', { name: 'Offsite again', location: { ...location, prefix: 'ferry/inner' } }),
      (e: unknown) => e instanceof FerryError && /overlap/.test(e.details?.fields?.['location.prefix'] ?? ''),
    );
    const unreachable = await client
      .call('repos.testConnection', { location: { ...location, endpoint: 'http://127.0.0.1:9' } })
      .catch((e: unknown) => e);
    assert.ok(unreachable instanceof FerryError);
    assert.match(unreachable.message, /127\.0\.0\.1:9/);
  });
});

describe('S3 outages in a job run', () => {
  it('a run retries for the repository\'s retrySeconds, each retry in the session log, and a stop ends the wait at once', { timeout: 60_000 }, async (t) => {
    const root = await tempDir(t);
    const server = await startS3Server(t);
    const proxy = await startTcpProxy(t, server.endpoint);
    const { client } = await startEngine(t);
    const config = server.config('ferry');
    const repo = await client.call('repos.add', {
      name: 'Offsite',
      location: { kind: 's3', endpoint: proxy.endpoint, bucket: config.bucket, prefix: 'ferry', accessKeyId: config.accessKeyId, secretAccessKey: 'secret', retrySeconds: 600 },
    });
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Docs', repositoryId: repo.id, workloads: [{ name: 'docs', folders: [await sourceFolder(root, 'docs')] }] },
    });
    await proxy.off();
    const finished = new Promise<{ result: string }>((resolve) => client.on('session.finished', resolve));
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    const retrying = /^S3 \S+ s3:\/\/ferry-test\/ferry\/\S* failed \(.*ECONNREFUSED\); retry \d+ in \d+\.\d s, for up to 600 s in all\.$/;
    for (let i = 0; i < 200; i++) {
      const { log } = await client.call('sessions.get', { id: sessionId });
      if (log.some((line) => line.level === 'warning' && retrying.test(line.message))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stopped = Date.now();
    await client.call('jobs.stop', { id: job.id });
    assert.equal((await finished).result, 'stopped', 'a stop is its own result, even while storage is retried');
    assert.ok(Date.now() - stopped < 2000, `the run ended ${Date.now() - stopped} ms after the stop`);
    const { log } = await client.call('sessions.get', { id: sessionId });
    assert.ok(log.some((line) => line.level === 'warning' && retrying.test(line.message)), log.map((line) => line.message).join('\n'));
  });
});

describe('inventory', () => {
  it('imports a backup folder copied into a repository by hand at the next rescan', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    assert.ok(repo?.location.kind === 'local');
    const { runBackup } = await import('../../app/backup/run-backup.ts');
    const { Repository } = await import('../../app/repository/repository.ts');
    const { LocalFolderStore } = await import('../../app/storage/local-store.ts');
    const { cp } = await import('node:fs/promises');
    const elsewhere = path.join(root, 'usb-drive');
    await mkdir(elsewhere);
    const store = new LocalFolderStore(elsewhere);
    await Repository.init(store);
    await runBackup({ store, jobName: 'Branch office', workloads: [{ name: 'files', folders: [await sourceFolder(root, 'files')] }] });

    assert.deepEqual(await client.call('repos.rescan', { id: repo.id }), []);
    await cp(path.join(elsewhere, 'Branch_office'), path.join(repo.location.path, 'Branch_office'), { recursive: true });
    const found = await client.call('repos.rescan', { id: repo.id });
    assert.deepEqual(found.map((b) => [b.folder, b.name, b.workloads[0]?.points]), [['Branch_office', 'Branch office', 1]]);
    assert.ok(found[0]!.sizeBytes > 0);
    assert.equal((await client.call('backups.list', {})).length, 1);
  });
});

describe('the inventory around damage', () => {
  it('lists a backup with a damaged point file, its intact points and the damaged file by name (backups.list, points.list)', async (t) => {
    const root = await tempDir(t);
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    assert.equal(repo?.location.kind, 'local');
    const store = new LocalFolderStore(repo!.location.kind === 'local' ? repo!.location.path : '');
    const { tasks, backup } = await runBackup({
      store,
      jobName: 'Files',
      workloads: [
        { name: 'docs', folders: [await sourceFolder(root, 'docs')] },
        { name: 'pics', folders: [await sourceFolder(root, 'pics')] },
      ],
    });
    const [docs, pics] = tasks.map((task) => task.point!);
    const damaged = `${backup.folder}/points/${pics!.id}`;
    await writeFile(path.join(store.location, damaged), 'not a point');

    const [listed] = await client.call('repos.rescan', { id: repo!.id });
    assert.deepEqual(listed?.workloads.map((w) => [w.name, w.points]), [['docs', 1]]);
    assert.deepEqual(listed?.damaged.map((item) => item.key), [damaged]);
    assert.deepEqual((await client.call('backups.list', {}))[0]?.damaged, listed?.damaged);
    const points = await client.call('points.list', { repositoryId: repo!.id, folder: backup.folder, workload: 'docs' });
    assert.deepEqual(points.points.map((p) => p.id), [docs!.id]);
    assert.deepEqual(points.damaged.map((item) => item.key), [damaged]);
    assert.match(points.damaged[0]!.message, new RegExp(`^Restore point ${pics!.id} of .* is damaged`));
  });
});
