import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compactBackup, INDEX_FILE_BLOBS } from '../../app/maintenance/compact.ts';
import { BackupStore } from '../../app/repository/backup-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { InstrumentedStore } from '../copy/fixtures.ts';
import { folderStore } from './fixtures.ts';
import { manyIndexFiles } from './many-index-files.ts';

// The target is 10⁶ blobs in 16,000 files opening from ≤ 300 (npm run bench -- --steps compact measures that size); here a tenth.
const BLOBS = 100_000;
const FILES = 1_600;
/** The generated point's trees: a folder per 10⁴ chunks, its parent and the root. */
const TREES = BLOBS / 10_000 + 2;

it(`a backup of ${BLOBS} blobs in ${FILES} small index files, nothing to reclaim: consolidated, it opens reading ${Math.ceil(BLOBS / INDEX_FILE_BLOBS)} index files, and verifies`, { timeout: 120_000 }, async (t) => {
  const store = await folderStore(t, { inMemory: true });
  const { backup } = await manyIndexFiles(store, { blobs: BLOBS, files: FILES });

  const report = await compactBackup({ backup });
  assert.equal(report.packsDeleted + report.packsRepacked + report.unindexedPacksRemoved, 0, 'nothing to reclaim');
  assert.equal(report.indexFilesBefore, FILES + 1);
  assert.equal(report.indexFilesRemoved, FILES + 1);

  const counting = new InstrumentedStore(store);
  const reopened = await BackupStore.open(counting, backup.folder);
  const read = counting.gets.get('index') ?? 0;
  assert.ok(read <= 300, `${read} index files read`);
  assert.equal(read, Math.ceil((BLOBS + TREES) / INDEX_FILE_BLOBS));
  assert.equal(reopened.blobCount, BLOBS + TREES);
  const verified = await verifyBackup({ backup: reopened });
  assert.deepEqual([verified.damage, verified.damagedFiles, verified.unindexedPacks], [[], [], []]);
  assert.equal(verified.blobsChecked, BLOBS + TREES);
});
