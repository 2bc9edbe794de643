import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { compactBackup, describeCompaction } from '../../app/maintenance/compact.ts';
import { keys } from '../../app/repository/layout.ts';
import { storedPacks } from '../../app/verify/pack-headers.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { assertVerifies, listKeys } from '../copy/fixtures.ts';
import { assertRestores, folderStore, forget, pointsBackup, reopen, SMALL_PACKS, storedAndNeeded } from './fixtures.ts';

describe('compaction', () => {
  for (const password of [undefined, 'compact test']) {
    it(`after forgetting, reclaims what no kept point needs; the kept points verify and restore byte-identical (${password ? 'encrypted' : 'plain'})`, async (t) => {
      const store = await folderStore(t);
      const { backup, points, digests } = await pointsBackup(t, store, { ...(password ? { password } : {}), count: 6 });
      const kept = points.slice(3);
      await forget(backup, points.slice(0, 3));
      // A crashed run's pack: no index file describes it.
      const crashed = randomBytes(32).toString('hex');
      await store.put(keys.pack('Files', crashed), randomBytes(5000));

      const before = await listKeys(store);
      const dry = await compactBackup({ backup, dryRun: true, packTarget: SMALL_PACKS, repackThreshold: 0 });
      assert.deepEqual(await listKeys(store), before, 'a dry run writes nothing');
      assert.equal(dry.unindexedPacksRemoved, 1);
      assert.ok(dry.packsDeleted + dry.packsRepacked > 0, 'the dry run finds packs to reclaim');
      assert.ok(dry.bytesReclaimed > 0);

      const report = await compactBackup({ backup, packTarget: SMALL_PACKS, repackThreshold: 0 });
      assert.equal(report.points, 3);
      assert.equal(report.packsDeleted, dry.packsDeleted);
      assert.equal(report.packsRepacked, dry.packsRepacked);
      assert.equal(report.unindexedPacksRemoved, 1);
      assert.ok(!(await storedPacks(backup)).has(crashed), 'the unindexed pack is gone');
      assert.match(describeCompaction(report).join('\n'), /reclaimed/);

      const reopened = await reopen(store, password);
      await assertVerifies(reopened, 3);
      for (const point of kept) await assertRestores(t, reopened, point, digests.get(point.id)!);

      // What is stored: every pack holds something needed, and at most 5 % more than the kept points need.
      const { stored, needed, uselessPacks } = await storedAndNeeded(reopened, kept);
      assert.deepEqual(uselessPacks, []);
      assert.equal(report.bytesNeeded, needed);
      assert.ok(stored <= 1.05 * needed, `stored ${stored} ≤ 1.05 × needed ${needed}`);
      assert.equal(report.bytesAfter, stored);

      // Nothing left to do.
      const again = await compactBackup({ backup: reopened, packTarget: SMALL_PACKS, repackThreshold: 0 });
      assert.equal(again.packsDeleted + again.packsRepacked + again.unindexedPacksRemoved + again.indexFilesWritten, 0);
      assert.equal((await verifyBackup({ backup: reopened })).unindexedPacks.length, 0);
    });
  }
});
