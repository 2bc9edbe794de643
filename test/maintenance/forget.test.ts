import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { compactWithLock } from '../../app/maintenance/compact.ts';
import { forgetPoints } from '../../app/maintenance/forget.ts';
import { readHealList, writeHealList } from '../../app/repository/heal-list.ts';
import { acquireLock } from '../../app/repository/locks.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { assertRestores, folderStore, pointsBackup, reopen } from './fixtures.ts';

const stores: [string, (t: TestContext) => Promise<ObjectStore>][] = [
  ['a folder', (t) => folderStore(t)],
  ['S3 (s3rver)', async (t) => new S3Store((await startS3Server(t)).config())],
];

const isCode = (code: string, pattern: RegExp) => (error: unknown) => error instanceof FerryError && error.code === code && pattern.test(error.message);

describe('forgetting restore points', () => {
  it('removes the manifest at once while a reader holds its read lock; the reader still restores the point, and its data goes only with a compaction after the reader', async (t) => {
    const store = await folderStore(t);
    const { backup, points, digests } = await pointsBackup(t, store, { count: 3 });
    const [oldest] = points;
    const reader = await acquireLock(store, backup.folder, 'read', { purpose: 'a restore of the oldest point' });
    const removed = await forgetPoints(backup, [oldest!], { purpose: 'test forget' });
    assert.deepEqual(removed.map((point) => point.id), [oldest!.id]);
    assert.deepEqual((await (await reopen(store, undefined)).listPoints()).points.map((point) => point.id), points.slice(1).map((point) => point.id), 'gone for every new reader');
    await assertRestores(t, backup, oldest!, digests.get(oldest!.id)!);
    await assert.rejects(compactWithLock(backup, { purpose: 'test compaction', waitMs: 0 }), isCode('conflict', /a restore of the oldest point \(read lock\)/));
    await assertRestores(t, backup, oldest!, digests.get(oldest!.id)!);
    await reader.release();
    const report = await compactWithLock(backup, { purpose: 'test compaction', waitMs: 0 });
    assert.equal(report.points, 2);
    assert.ok(report.bytesReclaimed > 0);
    for (const point of points.slice(1)) await assertRestores(t, await reopen(store, undefined), point, digests.get(point.id)!);
  });

  it('forgets nothing when one point is of another backup, waits for no writer past its time, and takes forgotten points off the heal list', async (t) => {
    const store = await folderStore(t);
    const { backup, points } = await pointsBackup(t, store, { password: 'forget test', count: 3 });
    const stranger = { ...points[1]!, id: 'f'.repeat(32), backupId: '00000000-0000-4000-8000-000000000000' };
    await assert.rejects(forgetPoints(backup, [points[0]!, stranger], { purpose: 'test forget' }), isCode('internal', /Restore point f{32} is not of the backup .*nothing was forgotten/));
    assert.equal((await backup.listPoints()).points.length, 3);

    const writer = await acquireLock(store, backup.folder, 'write', { purpose: 'a copy run' });
    await assert.rejects(forgetPoints(backup, [points[0]!], { purpose: 'test forget', waitMs: 0 }), isCode('conflict', /in use: a copy run \(write lock\)/));
    // A caller that holds the lock itself (the transform phase) is given it.
    assert.equal((await forgetPoints(backup, [points[0]!], { held: true })).length, 1);
    await writer.release();

    const chunk = (digit: string) => digit.repeat(64);
    await writeHealList(backup, {
      format: 'ferry-heal',
      version: 1,
      checked: new Date().toISOString(),
      points: [
        { id: points[1]!.id, workload: points[1]!.workload, chunks: [chunk('a')] },
        { id: points[2]!.id, workload: points[2]!.workload, chunks: [chunk('b')] },
      ],
    });
    await forgetPoints(backup, [points[1]!], { purpose: 'test forget' });
    assert.deepEqual((await readHealList(backup))?.points.map((point) => point.id), [points[2]!.id], 'nothing is fetched again for a forgotten point');
    await forgetPoints(backup, [points[2]!], { purpose: 'test forget' });
    assert.equal(await readHealList(backup), undefined, 'an empty list is removed');
  });

  for (const [where, makeStore] of stores) {
    it(`on ${where}: a point already gone (another run forgot it meanwhile) is no failure, and the others named with it are forgotten`, async (t) => {
      const store = await makeStore(t);
      const { backup, points } = await pointsBackup(t, store, { count: 3 });
      await forgetPoints(backup, [points[0]!], { purpose: 'the other run' });
      const removed = await forgetPoints(backup, [points[0]!, points[1]!], { purpose: 'test forget' });
      assert.deepEqual(removed.map((point) => point.id), [points[0]!.id, points[1]!.id]);
      assert.deepEqual((await (await reopen(store, undefined)).listPoints()).points.map((point) => point.id), [points[2]!.id]);
    });
  }
});
