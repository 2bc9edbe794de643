import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { createKeyFile } from '../../app/format/crypto.ts';
import { acquireLock } from '../../app/repository/locks.ts';
import { Repository } from '../../app/repository/repository.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { snapshot } from '../backup/tree-fixtures.ts';
import { copyOnce, FAST_KDF, newRepository, writeRandomFiles } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { FerryError } from '../../shared/rpc/errors.ts';

const RUNS = 3;
const PASSWORD = 'one password';

/** The store, with `before(key)` awaited before each write. */
function beforePut(store: ObjectStore, before: (key: string) => Promise<void>): ObjectStore {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property !== 'put') return typeof value === 'function' ? value.bind(target) : value;
      return async (key: string, data: Uint8Array) => {
        await before(key);
        return target.put(key, data);
      };
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The store, with the n-th write of `name` held back 50 + 150·n ms: every racing run
 * checks for it before the first one is stored (as when S3 answers slowly), and the
 * first to store it is the first to go on, while the others' still arrive.
 */
function staggeredWrites(store: ObjectStore, name: string): ObjectStore {
  let writes = 0;
  return beforePut(store, async (key) => {
    if (key === name || key.endsWith(`/${name}`)) await sleep(50 + 150 * writes++);
  });
}

/**
 * RUNS first runs of one job started at once on a new encrypted repository: every run
 * that reports success must have stored what a fresh opening reads back, all in one backup.
 */
async function racingFirstRuns(t: TestContext, backend: ObjectStore): Promise<void> {
  const store = staggeredWrites(backend, 'backup.json');
  const dir = await tempDir(t);
  const source = path.join(dir, 'Data');
  await writeRandomFiles(source, 3, 5_000);
  await Repository.init(store, { password: PASSWORD, kdf: FAST_KDF });
  const runs = await Promise.allSettled(
    Array.from({ length: RUNS }, () =>
      runBackup({ store, jobName: 'Nightly', workloads: [{ name: 'files', folders: [source] }], password: PASSWORD, kdf: FAST_KDF }),
    ),
  );
  const succeeded = runs.flatMap((run) => (run.status === 'fulfilled' ? run.value.tasks.filter((task) => task.result === 'success') : []));
  assert.ok(succeeded.length >= 1, `no run succeeded: ${runs.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value.tasks[0]?.reason)).join('; ')}`);
  const repository = await Repository.open(store);
  assert.deepEqual(await repository.listBackupFolders(), ['Nightly'], 'one backup for the job');
  const backup = await repository.openBackup('Nightly', PASSWORD);
  const { points } = await backup.listPoints();
  for (const task of succeeded) {
    const point = points.find((p) => p.id === task.point!.id);
    assert.ok(point, `the point ${task.point!.id} a run reported is in the backup`);
    const target = path.join(dir, `restored-${point.id}`);
    const result = await restorePoint({ backup, point, target });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(await snapshot(path.join(target, 'Data')), await snapshot(source));
  }
  // A later run of the job still works.
  const later = await runBackup({ store, jobName: 'Nightly', workloads: [{ name: 'files', folders: [source] }], password: PASSWORD, kdf: FAST_KDF });
  assert.equal(later.tasks[0]?.result, 'success', later.tasks[0]?.reason);
}

describe('first runs of one job at once', () => {
  it('on a folder: one backup, every reported point readable', async (t) => {
    const repo = path.join(await tempDir(t), 'repo');
    await mkdir(repo);
    await racingFirstRuns(t, new LocalFolderStore(repo));
  });

  it('on S3 (s3rver, which ignores conditional writes): one backup, every reported point readable', async (t) => {
    const server = await startS3Server(t);
    const store = new S3Store(server.config());
    t.after(() => store.close());
    await racingFirstRuns(t, store);
  });

  it('a backup replaced after a run opened it fails the run before it writes', async (t) => {
    const dir = await tempDir(t);
    const source = path.join(dir, 'Data');
    await writeRandomFiles(source, 2, 5_000);
    await mkdir(path.join(dir, 'repo'));
    const backend = new LocalFolderStore(path.join(dir, 'repo'));
    await Repository.init(backend, { password: PASSWORD, kdf: FAST_KDF });
    await (await Repository.open(backend)).openOrCreateBackup('Nightly', { kind: 'folder-backup', password: PASSWORD });
    // Another engine (one that takes no repository lock) puts its own backup there as this run takes its write lock.
    const replace = async () => {
      const config = JSON.parse((await backend.get('Nightly/backup.json')).toString('utf8'));
      const { keyFile } = await createKeyFile(PASSWORD, { kdf: FAST_KDF });
      await backend.put('Nightly/backup.json', Buffer.from(JSON.stringify({ ...config, id: randomUUID(), encryption: { ...config.encryption, key: keyFile } })));
    };
    let replaced = false;
    const store = beforePut(backend, async (key) => {
      if (replaced || !key.startsWith('Nightly/locks/')) return;
      replaced = true;
      await replace();
    });
    await assert.rejects(
      runBackup({ store, jobName: 'Nightly', workloads: [{ name: 'files', folders: [source] }], password: PASSWORD }),
      (error: unknown) => error instanceof FerryError && error.code === 'conflict' && /was replaced/.test(error.message),
    );
    const backup = await (await Repository.open(backend)).openBackup('Nightly', PASSWORD);
    assert.deepEqual((await backup.listPoints()).points, []);
  });

  it('two inits at once make one repository: the second is refused, the marker is the first\'s', async (t) => {
    const repo = path.join(await tempDir(t), 'repo');
    await mkdir(repo);
    const backend = new LocalFolderStore(repo);
    const store = staggeredWrites(backend, 'ferry-repository.json');
    const inits = await Promise.allSettled(['first', 'second'].map((password) => Repository.init(store, { password, kdf: FAST_KDF })));
    const made = inits.filter((init) => init.status === 'fulfilled');
    assert.equal(made.length, 1, 'one init succeeds');
    const refused = inits.find((init) => init.status === 'rejected');
    assert.ok(refused?.reason instanceof FerryError && refused.reason.code === 'conflict');
    const marker = (await Repository.open(backend)).marker;
    assert.equal(marker.id, made[0]!.value.marker.id);
  });

  it('two openings at once of a folder without a marker (a registered one) both open the one repository made', async (t) => {
    const repo = path.join(await tempDir(t), 'repo');
    await mkdir(repo);
    const store = staggeredWrites(new LocalFolderStore(repo), 'ferry-repository.json');
    const [first, second] = await Promise.all([Repository.openOrInit(store), Repository.openOrInit(store)]);
    assert.equal(first.marker.id, second.marker.id);
  });

  it('a backup made while the password changes is refused, not left on the old password', async (t) => {
    const repo = path.join(await tempDir(t), 'repo');
    await mkdir(repo);
    const store = new LocalFolderStore(repo);
    await Repository.init(store, { password: 'old', kdf: FAST_KDF });
    const opened = await Repository.open(store);
    // The change holds the repository's lock while its new marker is on its way.
    const slowMarker = beforePut(store, async (key) => {
      if (key === 'ferry-repository.json') await sleep(300);
    });
    const changing = (await Repository.open(slowMarker)).changePassword('old', 'new', { kdf: FAST_KDF });
    await sleep(50);
    const creating = opened.openOrCreateBackup('Late', { kind: 'folder-backup', password: 'old' });
    assert.equal(await changing, 0);
    await assert.rejects(creating, (error: unknown) => error instanceof FerryError && error.code === 'conflict' && /was changed/.test(error.message));
    assert.deepEqual(await (await Repository.open(store)).listBackupFolders(), []);
  });

  it('two copies at once into a new target make one backup, not two chains', async (t) => {
    const dir = await tempDir(t);
    const source = await newRepository(dir, 'source');
    const target = await newRepository(dir, 'target', 'target pw');
    const racing = await Repository.open(staggeredWrites(target.store, 'backup.json'));
    await writeRandomFiles(path.join(dir, 'Data'), 3, 5_000);
    await runBackup({ store: source.store, jobName: 'Files', workloads: [{ name: 'files', folders: [path.join(dir, 'Data')] }] });
    const runs = await Promise.allSettled(Array.from({ length: RUNS }, () => copyOnce({ from: source.repository, to: racing, toPassword: 'target pw' })));
    const reopened = await Repository.open(target.store);
    assert.deepEqual(await reopened.listBackupFolders(), ['Offsite'], 'one backup for the copy job');
    const backup = await reopened.openBackup('Offsite', 'target pw');
    const copied = (await backup.listPoints()).points;
    assert.equal(copied.length, 1, 'the point is copied once');
    for (const run of runs) {
      if (run.status === 'rejected') continue;
      for (const task of run.value.tasks.filter((t) => t.result === 'success')) {
        for (const point of task.points) assert.ok(copied.some((p) => p.id === point.id), `the point ${point.id} a run reported is in the backup`);
      }
    }
  });
});

describe('a run of a job that another run of it holds', () => {
  /** The job's backup, made by a first run, and its write lock taken as another run of the job (a CLI beside the engine) holds it. */
  async function heldBackup(t: TestContext) {
    const dir = await tempDir(t);
    const source = path.join(dir, 'Data');
    await writeRandomFiles(source, 2, 5_000);
    const repo = path.join(dir, 'repo');
    await mkdir(repo);
    const store = new LocalFolderStore(repo);
    await Repository.init(store, {});
    const run = () => runBackup({ store, jobName: 'Nightly', workloads: [{ name: 'files', folders: [source] }], lockWaitMs: 20_000, signal: stop.signal, log: (line) => log.push(line) });
    const log: string[] = [];
    const stop = new AbortController();
    assert.equal((await run()).tasks[0]?.result, 'success');
    const other = await acquireLock(store, 'Nightly', 'write', { purpose: 'backup of job "Nightly"' });
    t.after(() => other.release());
    return { store, run, log, stop, other };
  }

  it('waits for it to end, then runs (it failed "in use" after ~1.5 s before)', async (t) => {
    const { store, run, log, other } = await heldBackup(t);
    const second = run();
    await sleep(2_500);
    await other.release();
    const { tasks } = await second;
    assert.equal(tasks[0]?.result, 'success', tasks[0]?.reason);
    assert.ok(log.some((line) => /^Waiting for backup of job "Nightly" \(write lock\)/.test(line)), log.join('\n'));
    const backup = await (await Repository.open(store)).openBackup('Nightly');
    assert.equal((await backup.listPoints()).points.length, 2);
  });

  it('stops waiting at once when stopped', async (t) => {
    const { run, stop } = await heldBackup(t);
    const second = run();
    await sleep(2_000);
    const stoppedAt = Date.now();
    stop.abort();
    await assert.rejects(second, (error: unknown) => error instanceof FerryError && error.code === 'cancelled');
    assert.ok(Date.now() - stoppedAt < 500, `stopped after ${Date.now() - stoppedAt} ms`);
  });
});
