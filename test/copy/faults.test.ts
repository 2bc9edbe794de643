import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { StoreError } from '../../app/storage/object-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { ferryBin, runFerry, tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import {
  assertRestoresLike,
  assertVerifies,
  backupFolders,
  copyOnce,
  InstrumentedStore,
  listKeys,
  newRepository,
  writeRandomFiles,
} from './fixtures.ts';

const MiB = 1024 * 1024;

/** A source repository with a small workload "alpha" and a larger "beta" (none without files), backed up once. */
async function twoWorkloads(root: string, alphaFiles: number, betaFiles: number) {
  const alpha = path.join(root, 'alpha');
  const beta = path.join(root, 'beta');
  await writeRandomFiles(alpha, alphaFiles, MiB);
  await writeRandomFiles(beta, betaFiles, MiB);
  const source = await newRepository(root, 'source');
  const { points } = await backupFolders(source.store, 'Files', betaFiles > 0 ? { alpha, beta } : { alpha });
  return { source, alpha, beta, points };
}

describe('faults during a copy', () => {
  it('SIGKILL mid-copy: no partial point on the target; the rerun moves only the missing chunks', { timeout: 60_000 }, async (t) => {
    const root = await tempDir(t);
    const { source, alpha, beta, points } = await twoWorkloads(root, 2, 24);
    const target = await newRepository(root, 'target');

    // One workload at a time: kill once alpha is committed (its index is there) and beta is under way.
    const child = spawn(process.execPath, [ferryBin, 'copy', '--from', source.path, '--to', target.path, '--job', 'Crash', '--parallel', '1'], { stdio: 'ignore' });
    const backupDir = path.join(target.path, 'Crash');
    const betaStarted = async () => {
      for (const name of await readdir(path.join(backupDir, 'writing')).catch(() => [])) {
        if (name.startsWith('.')) continue; // a marker still being written (temporary file)
        const marker = await readFile(path.join(backupDir, 'writing', name), 'utf8').catch(() => '');
        if (marker.includes('"workload":"beta"')) return true;
      }
      return false;
    };
    const killed = await new Promise<boolean>((resolve) => {
      let busy = false;
      const poll = setInterval(async () => {
        if (busy) return;
        busy = true;
        const indexes = await readdir(path.join(backupDir, 'index')).catch(() => []);
        if (indexes.some((name) => !name.startsWith('.')) && (await betaStarted()) && child.exitCode === null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(true);
        }
        busy = false;
      }, 2);
      child.once('exit', () => {
        clearInterval(poll);
        resolve(false);
      });
    });
    assert.ok(killed, 'the copy was killed mid-way (it finished too fast to test)');
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));

    const crashed = await target.repository.openBackup('Crash');
    const left = (await crashed.listPoints()).points;
    assert.ok(left.every((point) => point.workload === 'alpha'), 'no point of beta, the workload being copied');
    assert.ok((await crashed.listWriting()).some((marker) => marker.workload === 'beta'), 'killed while beta was being copied');
    assert.ok(crashed.has(points['alpha']!.tree), 'alpha was committed before the kill');
    await assertVerifies(crashed, left.length);

    const rerun = await runFerry(['copy', '--from', source.path, '--to', target.path, '--job', 'Crash', '--json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const tasks = (JSON.parse(rerun.stdout) as { tasks: { workload: string; result: string; points: string[]; bytesStored: number }[] }).tasks;
    assert.deepEqual(tasks.map((task) => [task.workload, task.result]), [['alpha', 'success'], ['beta', 'success']]);
    const full = points['alpha']!.stats.bytesStored + points['beta']!.stats.bytesStored;
    const transferred = tasks.reduce((sum, task) => sum + task.bytesStored, 0);
    assert.equal(tasks[0]!.bytesStored, 0, 'alpha\'s chunks are not transferred again');
    assert.ok(transferred < full, `the rerun transferred ${transferred} of ${full} bytes`);
    assert.ok(transferred <= points['beta']!.stats.bytesStored, `the rerun transferred ${transferred} B, beta alone stores ${points['beta']!.stats.bytesStored} B`);

    const backup = await target.repository.openBackup('Crash');
    assert.deepEqual(await backup.listWriting(), [], 'the crashed run\'s marker is cleared');
    const copied = (await backup.listPoints()).points;
    assert.deepEqual(copied.map((point) => point.workload).sort(), ['alpha', 'beta']);
    await assertVerifies(backup, 2);
    await assertRestoresLike(t, backup, copied.find((point) => point.workload === 'alpha')!, alpha);
    await assertRestoresLike(t, backup, copied.find((point) => point.workload === 'beta')!, beta);
  });

  it('target full: a clear failure, a consistent target, and a complete next run', async (t) => {
    const root = await tempDir(t);
    const { source, alpha, beta } = await twoWorkloads(root, 1, 2);
    const target = await newRepository(root, 'target');
    const full = new InstrumentedStore(target.store);
    // Room for alpha's pack, not for beta's.
    const room = 1.5 * MiB;
    full.beforePut = (key, data) => {
      if (full.total + data.length > room) throw new StoreError('no_space', `The drive holding ${key} is full: free space or choose another repository.`, key);
    };
    const repository = await Repository.open(full);

    const failed = await copyOnce({ from: source.repository, to: repository, parallel: 1 });
    assert.equal(failed.task('alpha')?.result, 'success', failed.task('alpha')?.reason);
    assert.equal(failed.task('beta')?.result, 'failed');
    assert.match(failed.task('beta')?.reason ?? '', /^The drive holding Offsite\/packs\/.+ is full: free space or choose another repository\.$/);
    assert.deepEqual((await failed.target.listPoints()).points.map((point) => point.workload), ['alpha'], 'no point of beta');
    assert.deepEqual(await failed.target.listWriting(), []);
    assert.deepEqual(await listKeys(target.store, 'Offsite/locks/'), [], 'the locks are released');
    await assertVerifies(failed.target, 1);

    full.beforePut = undefined;
    const next = await copyOnce({ from: source.repository, to: repository, parallel: 1 });
    assert.deepEqual(next.tasks.map((task) => [task.workload, task.result, task.points.length]), [['alpha', 'success', 0], ['beta', 'success', 1]]);
    await assertVerifies(next.target, 2);
    const points = (await next.target.listPoints()).points;
    await assertRestoresLike(t, next.target, points.find((point) => point.workload === 'alpha')!, alpha);
    await assertRestoresLike(t, next.target, points.find((point) => point.workload === 'beta')!, beta);
  });

  it('S3 stopped mid-copy: a clear failure after retries, a complete run once it is back', { timeout: 60_000 }, async (t) => {
    const root = await tempDir(t);
    const { source, alpha } = await twoWorkloads(root, 2, 0);
    const server = await startS3Server(t);
    const s3 = new S3Store(server.config('copies'), { maxAttempts: 2, requestTimeoutMs: 2000 });
    t.after(() => s3.close());
    await Repository.init(s3);
    const store = new InstrumentedStore(s3);
    const repository = await Repository.open(store);
    store.beforePut = async (key) => {
      if (key.includes('/packs/')) await server.stop();
    };

    const failed = await copyOnce({ from: source.repository, to: repository });
    assert.deepEqual(failed.tasks.map((task) => [task.workload, task.result]), [['alpha', 'failed']]);
    assert.match(failed.task('alpha')!.reason ?? '', /Cannot reach the S3 endpoint/);
    assert.equal(store.bytes('packs'), 0);
    // Still down: the next run cannot even find the job's backup, and says why.
    store.beforePut = undefined;
    await assert.rejects(
      copyOnce({ from: source.repository, to: repository }),
      (error: unknown) => error instanceof FerryError && error.code === 'repo_unavailable' && /Cannot reach the S3 endpoint/.test(error.message),
    );

    await server.restart();
    const next = await copyOnce({ from: source.repository, to: repository });
    assert.deepEqual(next.tasks.map((task) => [task.workload, task.result, task.points.length]), [['alpha', 'success', 1]], next.tasks[0]?.reason);
    assert.deepEqual(await next.target.listWriting(), [], 'the failed run\'s marker is cleared');
    await assertVerifies(next.target, 1);
    await assertRestoresLike(t, next.target, next.tasks[0]!.points[0]!, alpha);
  });
});
