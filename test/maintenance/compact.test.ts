import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { packOverhead } from '../../app/format/pack.ts';
import { compactBackup, describeCompaction, REPACK_THRESHOLD } from '../../app/maintenance/compact.ts';
import { planCompaction } from '../../app/maintenance/compact-plan.ts';
import type { IndexFile } from '../../app/repository/bulk-documents.ts';
import { keys } from '../../app/repository/layout.ts';
import { repairIndex } from '../../app/verify/repair.ts';
import type { FerryError } from '../../shared/rpc/errors.ts';
import { storedPacks } from '../../app/verify/pack-headers.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { assertVerifies, listKeys } from '../copy/fixtures.ts';
import { assertKeptIntact, assertRestores, folderStore, forget, neededBlobs, packContents, pointsBackup, reopen, SMALL_PACKS, storedAndNeeded } from './fixtures.ts';

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

describe('compaction: the repack threshold', () => {
  it('with the default threshold (25 %), every pack left holds at most 25 % that no kept point needs', async (t) => {
    const store = await folderStore(t);
    const { backup, points } = await pointsBackup(t, store, { count: 6 });
    const kept = points.filter((_, i) => i % 2 === 1);
    await forget(backup, points.filter((_, i) => i % 2 === 0));
    const report = await compactBackup({ backup, packTarget: SMALL_PACKS });
    assert.equal(report.repackThreshold, REPACK_THRESHOLD);
    await backup.refreshIndex();
    const needed = await neededBlobs(backup, kept);
    for (const [pack, { size, blobs }] of await packContents(backup)) {
      const useful = [...blobs].filter(([id]) => needed.has(id)).reduce((sum, [, length]) => sum + length, 0);
      const overhead = packOverhead(blobs.size, false);
      assert.ok(size - useful - overhead <= REPACK_THRESHOLD * size, `pack ${pack}: ${size - useful} of ${size} bytes unneeded`);
    }
    const { stored, needed: neededBytes } = await storedAndNeeded(backup, kept);
    assert.ok(stored <= (1.05 * neededBytes) / (1 - REPACK_THRESHOLD), `stored ${stored}, needed ${neededBytes}`);
  });
});

describe('compaction refuses what it cannot read', () => {
  /** A backup of 5 points, 3 forgotten, and its keys: what must not change. */
  async function forgotten(t: TestContext, password?: string) {
    const store = await folderStore(t);
    const made = await pointsBackup(t, store, { count: 5, ...(password ? { password } : {}) });
    await forget(made.backup, made.points.slice(0, 3));
    return { ...made, store, kept: made.points.slice(3) };
  }

  it('a kept point whose tree cannot be read: refused, naming the point; nothing removed', async (t) => {
    const { store, backup, kept } = await forgotten(t);
    const tree = backup.entry(kept[0]!.tree)!;
    const file = path.join(store.location, keys.pack('Files', tree.pack));
    const bytes = await readFile(file);
    bytes[tree.offset + 3]! ^= 1;
    await writeFile(file, bytes);
    const before = await listKeys(store);
    await assert.rejects(compactBackup({ backup, packTarget: SMALL_PACKS }), (error: FerryError) => {
      assert.equal(error.code, 'corrupt_data');
      assert.match(error.message, new RegExp(`Compaction of .* refused: restore point ${kept[0]!.id} \\(workload "files"\\) cannot be read whole .*nothing was removed`));
      return true;
    });
    assert.deepEqual(await listKeys(store), before);
  });

  for (const password of [undefined, 'damaged chunk']) {
    it(`a damaged chunk in a pack to repack: stopped, naming it, before anything is removed (${password ? 'encrypted: authentication' : 'plain: its hash'})`, async (t) => {
      const { store, backup } = await forgotten(t, password);
      const plan = await planCompaction(backup, 0, () => undefined);
      const [id, entry] = [...backup.indexEntries()].find(([blob, where]) => where.type === 'data' && plan.needed.has(blob) && plan.packs.get(where.pack)!.action === 'repack')!;
      const file = path.join(store.location, keys.pack('Files', entry.pack));
      const bytes = await readFile(file);
      bytes[entry.offset + 5]! ^= 1;
      await writeFile(file, bytes);
      const before = await listKeys(store);
      await assert.rejects(compactBackup({ backup, packTarget: SMALL_PACKS, repackThreshold: 0 }), new RegExp(`stopped: blob ${id} of pack ${entry.pack}, which a restore point needs, cannot be read .*Nothing was removed`));
      const after = new Set(await listKeys(store));
      assert.deepEqual(before.filter((key) => !after.has(key)), [], 'nothing was removed');
    });
  }

  it('an index file or a point file that cannot be read: refused, naming it; nothing removed', async (t) => {
    const { store, backup, kept } = await forgotten(t);
    const before = await listKeys(store);
    const indexFile = before.find((key) => key.startsWith('Files/index/'))!;
    const saved = await store.get(indexFile);
    await store.put(indexFile, Buffer.from('not an index'));
    await assert.rejects(compactBackup({ backup }), new RegExp(`refused: the index file\\(s\\) ${indexFile} cannot be read`));
    await store.put(indexFile, saved);
    await store.put(keys.point('Files', kept[1]!.id), Buffer.from('not a point'));
    await assert.rejects(compactBackup({ backup }), new RegExp(`refused: the restore point file\\(s\\) Files/points/${kept[1]!.id} cannot be read`));
    assert.deepEqual(await listKeys(store), before);
  });

  it('chunks a kept point needs missing from the index: packs no index describes are kept (they may hold them), and a repair brings the point back', async (t) => {
    const { store, backup, kept, digests } = await forgotten(t);
    // A pack of chunks the kept points need (no trees), taken out of its index file.
    const needed = await neededBlobs(backup, kept);
    const files = new Map<string, IndexFile>();
    await backup.reloadIndex((id, file) => files.set(id, file));
    const [fileId, file] = [...files].find(([, f]) => f.packs.length > 1 && f.packs.some((pack) => pack.blobs.every((blob) => blob.type === 'data') && pack.blobs.some((blob) => needed.has(blob.id))))!;
    const lost = file.packs.find((pack) => pack.blobs.every((blob) => blob.type === 'data') && pack.blobs.some((blob) => needed.has(blob.id)))!;
    await backup.writeIndexFile({ ...file, packs: file.packs.filter((pack) => pack !== lost) });
    await store.delete(keys.index('Files', fileId));

    const report = await compactBackup({ backup: await reopen(store, undefined), packTarget: SMALL_PACKS });
    assert.equal(report.missingBlobs, lost.blobs.filter((blob) => needed.has(blob.id)).length);
    assert.ok(report.unindexedPacksKept > 0);
    assert.ok((await storedPacks(backup)).has(lost.id), 'the pack holding them is still there');
    assert.equal(report.unindexedPacksRemoved, 0);
    // The expected wording, built from the counts: a wrong plural must fail.
    const chunks = report.missingBlobs === 1 ? '1 chunk the points need is' : `${report.missingBlobs} chunks the points need are`;
    const packs =
      report.unindexedPacksKept === 1
        ? 'the 1 pack no index describes was kept, as it may hold them'
        : `the ${report.unindexedPacksKept} packs no index describes were kept, as they may hold them`;
    const warning = `WARNING: ${chunks} in no index file: those points are damaged (ferry verify names them); ${packs} (ferry verify --repair indexes them).`;
    assert.ok(describeCompaction(report).includes(warning), `expected the line\n${warning}\nin\n${describeCompaction(report).join('\n')}`);

    const repairing = await reopen(store, undefined);
    await repairIndex({ backup: repairing });
    await assertKeptIntact(t, store, undefined, kept, digests);
  });
});
