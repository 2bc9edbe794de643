import { dateWords } from '../../app/util/date-words.ts';
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { BackupStore } from '../../app/repository/backup-store.ts';
import { readHealList } from '../../app/repository/heal-list.ts';
import { keys } from '../../app/repository/layout.ts';
import { Repository } from '../../app/repository/repository.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { healthCheck } from '../../app/verify/health-check.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { assertRestoresLike, assertVerifies, backupFolders, chunkOf, copyOnce, type CopyOptions, FAST_KDF, newRepository, rewriteFiles, writeRandomFiles } from './fixtures.ts';

const PASSWORD = 'heal test';
const FILE = 20_000;

/** Flips one byte inside a chunk, through the store (a folder or S3). */
async function damageStored(backup: BackupStore, id: string): Promise<string> {
  const entry = backup.entry(id)!;
  const key = keys.pack(backup.folder, entry.pack);
  const bytes = await backup.store.get(key);
  bytes[entry.offset + 40]! ^= 0x01;
  await backup.store.put(key, bytes);
  return entry.pack;
}

/** A session log of a copy run. */
function session() {
  const lines: [string, string][] = [];
  return { lines, log: (level: string, message: string) => lines.push([level, message]), text: () => lines.map(([level, message]) => `${level}: ${message}`).join('\n') };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Source "Docs" (workload docs, 4 files) copied into job "Offsite" of a target repository (a folder, or s3rver). */
async function copiedOnce(t: TestContext, { s3 = false } = {}) {
  const dir = await tempDir(t);
  const folder = path.join(dir, 'docs');
  await writeRandomFiles(folder, 4, FILE);
  const source = await newRepository(dir, 'source', PASSWORD);
  const primary = await backupFolders(source.store, 'Docs', { docs: folder }, PASSWORD);
  let to: Repository;
  if (s3) {
    const server = await startS3Server(t);
    const store = new S3Store(server.config('heal'), { maxAttempts: 2, requestTimeoutMs: 5000 });
    t.after(() => store.close());
    to = await Repository.init(store, { password: PASSWORD, kdf: FAST_KDF });
  } else {
    to = (await newRepository(dir, 'target', PASSWORD)).repository;
  }
  const copy: CopyOptions = { from: source.repository, fromPassword: PASSWORD, to, toPassword: PASSWORD };
  const first = await copyOnce(copy);
  return { dir, folder, source, primary, copy, backup: first.target, point: first.task('docs')!.points[0]! };
}

describe('self-healing after a health check', () => {
  for (const s3 of [false, true]) {
    it(`a chunk dropped by the health check is fetched again by the next copy run (${s3 ? 's3rver' : 'folder'}): said in the session, the point verifies and restores byte-identical`, { timeout: 60_000 }, async (t) => {
      const { folder, primary, copy, backup, point } = await copiedOnce(t, { s3 });
      const chunk = await chunkOf(backup, point, 'docs/file-2.bin');
      const pack = await damageStored(backup, chunk.id);
      const check = await healthCheck(backup, { purpose: 'health check test' });
      assert.deepEqual(check.pointsNeedingHeal, [{ point: point.id, workload: 'docs', missing: 1 }]);

      const { log, text } = session();
      const run = await copyOnce({ ...copy, log });
      assert.deepEqual(run.tasks.map((task) => [task.workload, task.result, task.points.length]), [['docs', 'success', 0]], text());
      assert.match(text(), new RegExp(`^info: healed point ${point.id} of docs: 1 chunk fetched again from ${escape(primary.backup.where)}\\.$`, 'm'));
      assert.equal(await readHealList(run.target), undefined, 'the heal list is gone once every point is healed');
      await assertVerifies(run.target, 1);
      await assertRestoresLike(t, run.target, point, folder);
      // The damaged pack is still kept aside.
      const quarantined: string[] = [];
      for await (const object of backup.store.list(`${backup.folder}/quarantine/packs/`)) quarantined.push(path.basename(object.key));
      assert.deepEqual(quarantined, [pack]);
      // And the next run has nothing to heal.
      const again = session();
      await copyOnce({ ...copy, log: again.log });
      assert.doesNotMatch(again.text(), /heal|DAMAGED/);
    });
  }

  it('a pack gone from the target (its trees too): the health check reports the chunks missing and lists the point; the next run fetches them all again', { timeout: 60_000 }, async (t) => {
    const { folder, primary, copy, backup, point } = await copiedOnce(t);
    const root = backup.entry(point.tree)!.pack;
    await backup.store.delete(keys.pack(backup.folder, root));
    const lost = [...backup.indexEntries()].filter(([, entry]) => entry.pack === root).map(([id]) => id);
    const check = await healthCheck(backup, { purpose: 'health check test' });
    assert.ok(check.damaged.some((blob) => blob.id === point.tree && /is missing/.test(blob.message)), JSON.stringify(check.damaged));
    assert.deepEqual(check.dropped, check.damaged.map((blob) => blob.id).filter((id) => lost.includes(id)).sort());
    assert.deepEqual(check.pointsNeedingHeal.map((entry) => entry.point), [point.id]);
    assert.equal(backup.has(point.tree), false);

    const { log, text } = session();
    const run = await copyOnce({ ...copy, log });
    assert.match(text(), new RegExp(`^info: healed point ${point.id} of docs: \\d+ chunks? fetched again from ${escape(primary.backup.where)}\\.$`, 'm'));
    await assertVerifies(run.target, 1);
    await assertRestoresLike(t, run.target, point, folder);
  });

  it('a point whose chunk no source has (its source point was removed) is reported DAMAGED as a warning at every run, not healed, never good', { timeout: 60_000 }, async (t) => {
    const { folder, source, copy, backup, point } = await copiedOnce(t);
    const chunk = await chunkOf(backup, point, 'docs/file-1.bin');
    await damageStored(backup, chunk.id);
    await healthCheck(backup, { purpose: 'health check test' });
    // The file changed since, and the source point the copy came from is gone.
    await rewriteFiles(folder, [1], FILE);
    const newer = await backupFolders(source.store, 'Docs', { docs: folder }, PASSWORD);
    await rm(path.join(source.path, keys.point('Docs', point.lineage!.pointId)));

    for (let run = 1; run <= 2; run++) {
      const { log, text } = session();
      const result = await copyOnce({ ...copy, log });
      const task = result.task('docs')!;
      assert.equal(task.result, 'warning', text());
      assert.match(task.reason ?? '', new RegExp(`DAMAGED: the point of ${dateWords(point.created)}: chunks it needs are not in the backup and no source could give them`));
      assert.match(text(), new RegExp(`^warning: the point of ${dateWords(point.created)} of docs is DAMAGED: .*no source holds the point it was copied from`, 'm'));
      assert.deepEqual((await readHealList(result.target))?.points.map((entry) => entry.id), [point.id]);
      if (run === 1) assert.equal(task.points[0]?.lineage?.pointId, newer.points['docs']!.id, 'the newer point is copied all the same');
    }
    const verified = await verifyBackup({ backup: await copy.to.openBackup('Offsite', PASSWORD) });
    assert.deepEqual(verified.damagedBlobs.map((blob) => blob.id), [chunk.id], 'the damaged point still fails verify');
    assert.deepEqual([...new Set(verified.damage.map((damage) => damage.point))], [point.id]);
  });

  it('a point no source has, whose chunk a newly copied point brings back: healed by that copy, said, and not a warning', { timeout: 60_000 }, async (t) => {
    const { folder, source, copy, backup, point } = await copiedOnce(t);
    const chunk = await chunkOf(backup, point, 'docs/file-2.bin');
    await damageStored(backup, chunk.id);
    await healthCheck(backup, { purpose: 'health check test' });
    // Another file changes; file-2 does not, so the newer point needs its chunk too. The old source point goes.
    await rewriteFiles(folder, [0], FILE);
    await backupFolders(source.store, 'Docs', { docs: folder }, PASSWORD);
    await rm(path.join(source.path, keys.point('Docs', point.lineage!.pointId)));

    const { log, text } = session();
    const run = await copyOnce({ ...copy, log });
    const task = run.task('docs')!;
    assert.deepEqual([task.result, task.points.length], ['success', 1], text());
    assert.doesNotMatch(text(), /DAMAGED/);
    assert.match(text(), new RegExp(`^info: healed the point of ${dateWords(point.created)} of docs: the 1 chunk it lacked was stored again by this run's copies\\.$`, 'm'));
    assert.equal(await readHealList(run.target), undefined);
    await assertVerifies(run.target, 2);
  });

  it('a copy of a copy heals from the origin when the backup it was copied from is not a source', { timeout: 60_000 }, async (t) => {
    const { dir, folder, source, primary, copy } = await copiedOnce(t);
    // Offsite → Far (a second hop); then Far heals with only the primary as its source.
    const far = await newRepository(dir, 'far', PASSWORD);
    const hop = await copyOnce({ from: copy.to, fromPassword: PASSWORD, to: far.repository, toPassword: PASSWORD, job: 'Far' });
    const point = hop.task('docs')!.points[0]!;
    assert.equal(point.lineage?.origin?.pointId, primary.points['docs']!.id);
    const chunk = await chunkOf(hop.target, point, 'docs/file-3.bin');
    await damageStored(hop.target, chunk.id);
    await healthCheck(hop.target, { purpose: 'health check test' });

    const { log, text } = session();
    const run = await copyOnce({ from: source.repository, fromPassword: PASSWORD, to: far.repository, toPassword: PASSWORD, job: 'Far', log });
    assert.match(text(), new RegExp(`^info: healed point ${point.id} of docs: 1 chunk fetched again from ${escape(primary.backup.where)}\\.$`, 'm'));
    await assertVerifies(run.target, 1);
    await assertRestoresLike(t, run.target, point, folder);
    assert.deepEqual(await readdir(path.join(far.path, 'Far', 'quarantine', 'packs')).then((names) => names.length), 1);
  });
});
