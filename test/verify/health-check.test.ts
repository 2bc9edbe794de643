import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { describe, it, type TestContext } from 'node:test';
import { readHealList } from '../../app/repository/heal-list.ts';
import { acquireLock } from '../../app/repository/locks.ts';
import { describeHealth, healthCheck } from '../../app/verify/health-check.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { assertVerifies, backupFolders, chunkOf, copyOnce, damageChunk, newRepository, writeRandomFiles } from '../copy/fixtures.ts';
import { FakeClock } from '../fake-clock.ts';
import { runFerry, tempDir } from '../helpers.ts';

const PASSWORD = 'health test';

/** A folder backup "Docs" (workload docs: 4 random files) copied once into the job "Offsite" of another repository. */
async function copied(t: TestContext, { password }: { password?: string | undefined } = { password: PASSWORD }) {
  const dir = await tempDir(t);
  const folder = path.join(dir, 'docs');
  await writeRandomFiles(folder, 4, 20_000);
  const source = await newRepository(dir, 'source', password);
  const first = await backupFolders(source.store, 'Docs', { docs: folder }, password);
  const target = await newRepository(dir, 'target', password);
  const copy = await copyOnce({ from: source.repository, fromPassword: password, to: target.repository, toPassword: password });
  const point = copy.task('docs')!.points[0]!;
  return { dir, folder, source, target, sourcePoint: first.points['docs']!, backup: copy.target, point };
}

describe('health check', () => {
  for (const password of [PASSWORD, undefined]) {
    it(`a flipped byte in a pack (${password ? 'encrypted' : 'plain'}): the chunk and the point are reported, the pack set aside in quarantine/, the chunk dropped from the index and the point listed to heal`, async (t) => {
      const { target, backup, point } = await copied(t, { password });
      assert.equal(backup.encrypted, password !== undefined);
      const chunk = await chunkOf(backup, point, 'docs/file-1.bin');
      const pack = backup.entry(chunk.id)!.pack;
      await damageChunk(chunk);

      const lines: string[] = [];
      const report = await healthCheck(backup, { purpose: 'health check test', log: (line) => lines.push(line), clock: new FakeClock(Date.parse('2026-03-29T10:00:00Z')) });
      assert.equal(report.at, '2026-03-29T10:00:00.000Z');
      assert.deepEqual(report.damaged.map((blob) => [blob.id, blob.pack]), [[chunk.id, pack]]);
      assert.deepEqual(report.dropped, [chunk.id]);
      assert.deepEqual(report.pointsNeedingHeal, [{ point: point.id, workload: 'docs', missing: 1 }]);
      assert.ok(report.chunksChecked >= 5, `${report.chunksChecked} chunks checked`);
      // The damaged pack is kept aside, never deleted; its other chunks are rewritten and still in the index.
      assert.deepEqual(await readdir(path.join(target.path, 'Offsite', 'quarantine', 'packs')), [pack]);
      assert.equal(backup.has(chunk.id), false);
      assert.equal(report.repair?.packsRewritten.length, 1);
      const list = await readHealList(backup);
      assert.deepEqual(list?.points, [{ id: point.id, workload: 'docs', chunks: [chunk.id] }]);
      // Sealed in an encrypted backup: its chunk ids are not readable without the key.
      const stored = await readFile(path.join(target.path, 'Offsite', 'heal'));
      const unsealed = () => zstdDecompressSync(stored).toString('utf8');
      if (password) assert.throws(unsealed);
      else assert.ok(unsealed().includes(chunk.id));
      const described = describeHealth(report).join('\n');
      assert.match(described, new RegExp(`^LOST blob ${chunk.id} of pack ${pack}: `, 'm'));
      assert.match(described, new RegExp(`DAMAGED point ${point.id} of docs: 1 chunk it needs is not in the backup any more; the next copy run fetches them again from its source`));
      assert.match(described, new RegExp(`^QUARANTINED Offsite/quarantine/packs/${pack} \\(kept aside, not deleted\\)$`, 'm'));
      // What is left verifies but for the dropped chunk: the point is damaged, not silently good.
      const verified = await verifyBackup({ backup });
      assert.deepEqual(verified.damagedBlobs.map((blob) => blob.id), [chunk.id]);
      assert.deepEqual(verified.damagedFiles, []);
    });
  }

  it('ferry verify --repair is the health check: it says what it found in its words, lists the point to heal, and the next copy run heals it', async (t) => {
    const { source, target, backup, point } = await copied(t);
    const chunk = await chunkOf(backup, point, 'docs/file-0.bin');
    await damageChunk(chunk);
    const repair = await runFerry(['verify', target.path, '--repair'], { FERRY_PASSWORD: PASSWORD });
    assert.equal(repair.code, 1, repair.stdout);
    assert.match(repair.stdout, /^Health check of .*Offsite: 1 restore point, \d+ chunks? .* read and checked/m);
    assert.ok(repair.stdout.includes(`DAMAGED point ${point.id} of docs: 1 chunk it needs is not in the backup any more; the next copy run fetches them again from its source.`), repair.stdout);
    assert.match(repair.stdout, new RegExp(`DAMAGED point ${point.id} \\(docs\\) file docs/file-0.bin: chunk ${chunk.id}`));
    assert.deepEqual((await readHealList(backup))?.points.map((entry) => entry.id), [point.id]);

    const copy = await runFerry(['copy', '--from', source.path, '--to', target.path, '--job', 'Offsite'], { FERRY_PASSWORD: PASSWORD, FERRY_TARGET_PASSWORD: PASSWORD });
    assert.equal(copy.code, 0, copy.stderr);
    assert.ok(copy.stderr.includes(`info: healed point ${point.id} of docs: 1 chunk fetched again from `), copy.stderr);
    await assertVerifies(await target.repository.openBackup('Offsite', PASSWORD), 1);
    const verify = await runFerry(['verify', target.path], { FERRY_PASSWORD: PASSWORD });
    assert.equal(verify.code, 0, verify.stdout);
  });

  it('a clean backup: everything read, nothing written but the removal of an old heal list; "No damage found."', async (t) => {
    const { target, backup } = await copied(t);
    await writeFile(path.join(target.path, 'Offsite', 'heal'), 'left from before');
    const report = await healthCheck(backup, { purpose: 'health check test' });
    assert.equal(report.repair, undefined);
    assert.deepEqual([report.damaged, report.dropped, report.pointsNeedingHeal, report.damagedFiles], [[], [], [], []]);
    assert.equal(await readHealList(backup), undefined);
    assert.equal(describeHealth(report).at(-1), 'No damage found.');
  });

  it('a backup in use: waits up to waitMs for its holder, then refuses with a conflict naming it', async (t) => {
    const { backup } = await copied(t);
    const held = await acquireLock(backup.store, backup.folder, 'read', { purpose: 'restore of point X' });
    t.after(() => held.release());
    await assert.rejects(healthCheck(backup, { purpose: 'health check test', waitMs: 0 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'conflict');
      assert.match(error.message, /in use: restore of point X \(read lock\)/);
      return true;
    });
  });
});
