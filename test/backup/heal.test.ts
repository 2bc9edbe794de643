import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { readHealList } from '../../app/repository/heal-list.ts';
import { healthCheck } from '../../app/verify/health-check.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { assertRestoresLike, assertVerifies, backupFolders, chunkOf, damageChunk, FAST_KDF, newRepository, rewriteFiles, writeRandomFiles } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';

const PASSWORD = 'folder heal test';

/** A folder backup "Docs" of 3 files, a byte of `file`'s chunk flipped, then a health check. */
async function checkedAfterDamage(t: TestContext, file: string) {
  const dir = await tempDir(t);
  const folder = path.join(dir, 'docs');
  await writeRandomFiles(folder, 3, 30_000);
  const { store } = await newRepository(dir, 'repo', PASSWORD);
  const first = await backupFolders(store, 'Docs', { docs: folder }, PASSWORD);
  const old = first.points['docs']!;
  const chunk = await chunkOf(first.backup, old, file);
  await damageChunk(chunk);
  const report = await healthCheck(first.backup, { purpose: 'health check test' });
  return { folder, store, old, chunk, report };
}

describe('folder backups heal by themselves', () => {
  it('after a health check dropped a chunk of an unchanged file, the next run reads the file again: the new point and the old one verify and restore', async (t) => {
    const { folder, store, old, report, chunk } = await checkedAfterDamage(t, 'docs/file-0.bin');
    assert.deepEqual(report.dropped, [chunk.id]);
    assert.deepEqual(report.pointsNeedingHeal, [{ point: old.id, workload: 'docs', missing: 1 }]);

    const { backup, tasks } = await runBackup({ store, jobName: 'Docs', workloads: [{ name: 'docs', folders: [folder] }], password: PASSWORD, kdf: FAST_KDF });
    assert.equal(tasks[0]?.result, 'success');
    assert.match(tasks[0]?.reason ?? '', new RegExp(`healed point ${old.id}: the 1 chunk it lacked was stored again from the unchanged files`));
    assert.equal(tasks[0]?.point?.stats.bytesRead, 30_000, 'only the file whose chunk was dropped is read again');
    assert.equal(await readHealList(backup), undefined);
    await assertVerifies(backup, 2);
    await assertRestoresLike(t, backup, tasks[0]!.point!, folder);
    await assertRestoresLike(t, backup, old, folder);
  });

  it('a dropped chunk of a file that changed since: the old point stays DAMAGED, a warning at every run', async (t) => {
    const { folder, store, old, chunk } = await checkedAfterDamage(t, 'docs/file-1.bin');
    await rewriteFiles(folder, [1], 30_000);
    for (let run = 1; run <= 2; run++) {
      const { backup, tasks } = await runBackup({ store, jobName: 'Docs', workloads: [{ name: 'docs', folders: [folder] }], password: PASSWORD, kdf: FAST_KDF });
      assert.equal(tasks[0]?.result, 'warning');
      assert.match(tasks[0]?.reason ?? '', new RegExp(`point ${old.id} is DAMAGED: 1 chunk it needs is not in the backup any more`));
      assert.deepEqual((await readHealList(backup))?.points.map((entry) => entry.id), [old.id]);
      assert.deepEqual((await verifyBackup({ backup })).damagedBlobs.map((blob) => blob.id), [chunk.id]);
      await assertRestoresLike(t, backup, tasks[0]!.point!, folder);
    }
  });
});
