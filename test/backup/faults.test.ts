import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { Repository } from '../../app/repository/repository.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { startTcpProxy } from '../storage/tcp-proxy.ts';
import { withStoreContext } from '../../app/storage/store-context.ts';
import { snapshot } from './tree-fixtures.ts';

const ferry = new URL('../../bin/ferry.mjs', import.meta.url).pathname;

async function randomFiles(folder: string, count: number, size: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(path.join(folder, `file-${i}.bin`), randomBytes(size));
}

describe('faults during a backup', () => {
  it('SIGKILL mid-backup: no point appears; the next run reuses what was stored and verifies clean', { timeout: 120_000 }, async (t) => {
    const dir = await tempDir(t);
    const source = path.join(dir, 'source');
    await randomFiles(source, 12, 24 * 1024 * 1024);
    const repoDir = path.join(dir, 'repo');
    await mkdir(repoDir);
    const store = new LocalFolderStore(repoDir);
    await Repository.init(store);

    // Kill the CLI as soon as it has committed its first index checkpoint.
    const child = spawn(process.execPath, [ferry, 'backup', repoDir, '--job', 'Crash', '--workload', `data=${source}`], { stdio: 'ignore' });
    const indexDir = path.join(repoDir, 'Crash', 'index');
    const killed = await new Promise<boolean>((resolve) => {
      const poll = setInterval(async () => {
        const indexes = await readdir(indexDir).catch(() => []);
        if (indexes.some((name) => !name.startsWith('.'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve(true);
        }
      }, 5);
      child.once('exit', () => {
        clearInterval(poll);
        resolve(false);
      });
    });
    assert.ok(killed, 'the backup was killed mid-way (it finished too fast to test)');
    await new Promise((resolve) => child.once('exit', resolve));

    const repository = await Repository.open(store);
    const crashed = await repository.openBackup('Crash');
    assert.deepEqual((await crashed.listPoints()).points, [], 'no point is visible after the crash');
    const reusable = crashed.blobCount;
    assert.ok(reusable > 0, 'the crashed run left indexed chunks');

    const { tasks, backup } = await runBackup({ store, jobName: 'Crash', workloads: [{ name: 'data', folders: [source] }] });
    assert.equal(tasks[0]?.result, 'success', tasks[0]?.reason);
    const stats = tasks[0]!.point!.stats;
    assert.ok(stats.blobsNew <= backup.blobCount - reusable, 'chunks stored before the crash were not stored again');
    assert.ok(stats.bytesNew < stats.bytes, `the rerun stored ${stats.bytesNew} of ${stats.bytes} bytes`);
    assert.deepEqual(await backup.listWriting(), [], 'the crashed run\'s marker is cleared');
    const verified = await verifyBackup({ backup });
    assert.deepEqual(verified.damage, []);
    const target = path.join(dir, 'restored');
    await restorePoint({ backup, point: tasks[0]!.point!, target });
    assert.deepEqual(await snapshot(path.join(target, 'source')), await snapshot(source));
  });

  it('S3 stopped mid-backup: a clear failure after retries, a complete run once it is back', { timeout: 120_000 }, async (t) => {
    const dir = await tempDir(t);
    const source = path.join(dir, 'source');
    await randomFiles(source, 6, 12 * 1024 * 1024);
    const server = await startS3Server(t);
    const store = new S3Store(server.config('repo'), { maxAttempts: 2, requestTimeoutMs: 2000 });
    t.after(() => store.close());
    await Repository.init(store);

    let stopped: Promise<void> | undefined;
    const failed = await runBackup({
      store,
      jobName: 'Offsite',
      workloads: [{ name: 'data', folders: [source] }, { name: 'more', folders: [source] }],
      onProgress: (p) => {
        if (p.bytesRead > 40 * 1024 * 1024) stopped ??= server.stop();
      },
    });
    await stopped;
    assert.equal(failed.tasks[0]?.result, 'failed');
    assert.match(failed.tasks[0]?.reason ?? '', /Cannot reach the S3 endpoint/);
    assert.match(failed.tasks[1]?.reason ?? '', /^not started: /);

    await server.restart();
    const { tasks, backup } = await runBackup({ store, jobName: 'Offsite', workloads: [{ name: 'data', folders: [source] }] });
    assert.equal(tasks[0]?.result, 'success', tasks[0]?.reason);
    assert.equal((await backup.listPoints()).points.length, 1);
    assert.deepEqual((await verifyBackup({ backup })).damage, []);
  });

  it('S3 away for 5 s mid-backup (a proxy switched off): retried, the backup succeeds and verifies', { timeout: 120_000 }, async (t) => {
    const dir = await tempDir(t);
    const source = path.join(dir, 'source');
    await randomFiles(source, 6, 4 * 1024 * 1024);
    const server = await startS3Server(t);
    const proxy = await startTcpProxy(t, server.endpoint);
    const store = new S3Store({ ...server.config('repo'), endpoint: proxy.endpoint }, { retryForMs: 30_000, requestTimeoutMs: 2000 });
    t.after(() => store.close());
    await Repository.init(store);

    let outage: Promise<void> | undefined;
    let backAt: number | undefined;
    const log: string[] = [];
    const { tasks, backup } = await withStoreContext({ log: (message) => log.push(message) }, () =>
      runBackup({
        store,
        jobName: 'Offsite',
        workloads: [{ name: 'data', folders: [source] }],
        onProgress: (p) => {
          if (p.bytesRead > 8 * 1024 * 1024) {
            outage ??= proxy
              .off()
              .then(() => new Promise((resolve) => setTimeout(resolve, 5000)))
              .then(() => proxy.on())
              .then(() => void (backAt = Date.now()));
          }
        },
      }),
    );
    const endedAt = Date.now();
    await outage;
    assert.ok(backAt !== undefined && endedAt >= backAt, 'the backup went on through the whole outage');
    assert.equal(tasks[0]?.result, 'success', tasks[0]?.reason);
    assert.ok(log.some((line) => /^S3 .* failed \(.*ECONN/.test(line)), `the retries are logged: ${log.join('\n')}`);
    assert.deepEqual((await verifyBackup({ backup })).damage, []);
    const target = path.join(dir, 'restored');
    await restorePoint({ backup, point: tasks[0]!.point!, target });
    assert.deepEqual(await snapshot(path.join(target, 'source')), await snapshot(source));
  });
});
