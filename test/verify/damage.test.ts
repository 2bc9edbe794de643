import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { keys } from '../../app/repository/layout.ts';
import { Repository } from '../../app/repository/repository.ts';
import { backupFolders, newRepository } from '../copy/fixtures.ts';
import { runFerry, tempDir } from '../helpers.ts';

const PASSWORD = 'damage test';
const env = { FERRY_PASSWORD: PASSWORD };

/**
 * A repository with one backup "Docs" of two runs: point A (a.txt), then point B (a.txt and
 * b.txt). Each run wrote its own packs and index file; `indexOf` names each run's.
 */
async function twoPoints(t: TestContext, { password }: { password?: string } = { password: PASSWORD }) {
  const dir = await tempDir(t);
  const source = path.join(dir, 'src');
  await writeFile(path.join(await mkdirp(source), 'a.txt'), 'alpha '.repeat(2000));
  const { path: repo, store } = await newRepository(dir, 'repo', password);
  const indexFiles = async () => (await readdir(path.join(repo, 'Docs', 'index')).catch(() => [])).sort();
  const first = await backupFolders(store, 'Docs', { docs: source }, password);
  const indexA = await indexFiles();
  await writeFile(path.join(source, 'b.txt'), 'beta '.repeat(3000));
  const second = await backupFolders(store, 'Docs', { docs: source }, password);
  const indexB = (await indexFiles()).filter((id) => !indexA.includes(id));
  assert.equal(indexA.length, 1);
  assert.equal(indexB.length, 1);
  return {
    dir,
    repo,
    store,
    a: first.points['docs']!,
    b: second.points['docs']!,
    file: (key: string) => path.join(repo, key),
    indexA: keys.index('Docs', indexA[0]!),
    indexB: keys.index('Docs', indexB[0]!),
  };
}

async function mkdirp(folder: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  return folder;
}

async function flipByte(file: string, at: (size: number, bytes: Buffer) => number): Promise<void> {
  const bytes = await readFile(file);
  bytes[at(bytes.length, bytes)]! ^= 0x40;
  await writeFile(file, bytes);
}

/** Where a pack's header begins (its last 4 bytes give the header's stored length). */
const headerStart = (size: number, bytes: Buffer) => size - 4 - bytes.readUInt32LE(size - 4);

interface VerifyJson {
  backups: { backup: string; damage: { point: string; path: string; blobId: string }[]; damagedFiles: { key: string; message: string }[]; unindexedPacks: string[] }[];
  counts: { damagedChunks: number; damagedPoints: number; damagedFiles: number };
}

describe('damage stays with what it touches', () => {
  it('an empty point file: the other points are listed, restored and verified; the file is named, verify lists it and exits 1', async (t) => {
    const { dir, repo, a, b, file } = await twoPoints(t);
    await writeFile(file(keys.point('Docs', a.id)), '');

    const points = await runFerry(['points', repo, '--json'], env);
    assert.equal(points.code, 0, points.stderr);
    assert.deepEqual((JSON.parse(points.stdout) as { id: string }[]).map((p) => p.id), [b.id]);
    assert.match(points.stderr, new RegExp(`warning: Docs/points/${a.id} cannot be read: Restore point ${a.id} of .* is (damaged|truncated)`));

    const restore = await runFerry(['restore', repo, b.id, path.join(dir, 'out')], env);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(await readFile(path.join(dir, 'out', 'src', 'b.txt'), 'utf8'), 'beta '.repeat(3000));

    const verify = await runFerry(['verify', repo, '--json'], env);
    assert.equal(verify.code, 1);
    const report = JSON.parse(verify.stdout) as VerifyJson;
    assert.deepEqual(report.backups[0]!.damagedFiles.map((f) => f.key), [`Docs/points/${a.id}`]);
    assert.deepEqual(report.backups[0]!.damage, [], 'point B is intact');
    assert.deepEqual(report.counts, { damagedChunks: 0, damagedPoints: 0, damagedFiles: 1 });

    // --repair moves the point file aside (kept, not deleted) and still reports the point as lost.
    const repair = await runFerry(['verify', repo, '--repair'], env);
    assert.equal(repair.code, 1, repair.stdout);
    const aside = keys.quarantine('Docs', 'points', a.id);
    assert.ok(repair.stdout.includes(`QUARANTINED ${aside}`), repair.stdout);
    assert.ok(repair.stdout.includes(`DAMAGED ${aside}: the file of a restore point could not be read: moved aside, the point is lost`), repair.stdout);
    assert.equal((await stat(path.join(repo, aside))).size, 0);
    const after = await runFerry(['points', repo], env);
    assert.equal(after.stderr, '', 'nothing damaged is listed any more');
  });

  it('a damaged index file: the points it does not describe restore; what needs its blobs fails naming point, file and the index file; verify goes on and lists all', async (t) => {
    const { dir, repo, a, b, file, indexB } = await twoPoints(t);
    await flipByte(file(indexB), (size) => Math.floor(size / 2));

    const points = await runFerry(['points', repo, '--json'], env);
    assert.equal(points.code, 0, points.stderr);
    assert.equal((JSON.parse(points.stdout) as unknown[]).length, 2, 'point files are intact: both listed');

    const restoreA = await runFerry(['restore', repo, a.id, path.join(dir, 'a')], env);
    assert.equal(restoreA.code, 0, restoreA.stderr);
    assert.equal(await readFile(path.join(dir, 'a', 'src', 'a.txt'), 'utf8'), 'alpha '.repeat(2000));
    const restoreB = await runFerry(['restore', repo, b.id, path.join(dir, 'b')], env);
    assert.equal(restoreB.code, 1);
    assert.ok(restoreB.stderr.includes(indexB), `names the damaged index file: ${restoreB.stderr}`);

    const verify = await runFerry(['verify', repo], env);
    assert.equal(verify.code, 1);
    assert.ok(verify.stdout.includes(`DAMAGED ${indexB}: Index file ${indexB} of`), verify.stdout);
    assert.match(verify.stdout, new RegExp(`DAMAGED point ${b.id} \\(docs\\) file /: chunk [0-9a-f]{64}: .*${indexB}`));
    assert.match(verify.stdout, /pack\(s\) not in the index \(verify --repair indexes them\)/);
    assert.match(verify.stdout, /Damage found: 1 damaged file\(s\) in 1 point\(s\), 1 damaged file\(s\) of the repository\./);
  });

  it('verify --repair rebuilds a damaged index from the packs under an exclusive lock and quarantines the damaged file; then everything restores', async (t) => {
    const { dir, repo, b, file, indexA, indexB } = await twoPoints(t);
    await flipByte(file(indexB), (size) => size - 3);
    const damagedBytes = await readFile(file(indexB));

    const repair = await runFerry(['verify', repo, '--repair', '--json'], env);
    assert.equal(repair.code, 0, `${repair.stdout}\n${repair.stderr}`);
    const report = JSON.parse(repair.stdout) as VerifyJson & { backups: { repair: { quarantined: string[]; indexFilesRemoved: number; lost: unknown[] } }[] };
    const repaired = report.backups[0]!.repair;
    assert.deepEqual(repaired.quarantined, [keys.quarantine('Docs', 'index', path.basename(indexB))]);
    assert.equal(repaired.indexFilesRemoved, 2, 'the intact old index file is replaced too');
    assert.deepEqual(repaired.lost, []);
    assert.deepEqual(await readFile(path.join(repo, repaired.quarantined[0]!)), damagedBytes, 'moved aside whole, never deleted');
    await assert.rejects(stat(file(indexA)));
    assert.deepEqual(report.backups[0]!.unindexedPacks, []);

    const restore = await runFerry(['restore', repo, b.id, path.join(dir, 'b')], env);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(await readFile(path.join(dir, 'b', 'src', 'b.txt'), 'utf8'), 'beta '.repeat(3000));
    assert.deepEqual(await readdir(path.join(repo, 'Docs', 'locks')), [], 'the lock is released');
  });

  for (const password of [undefined, PASSWORD]) {
    it(`verify checks every pack header (${password ? 'sealed' : 'plain, CRC-32'}); --repair rewrites the intact blobs of a pack with a damaged header`, async (t) => {
      const { dir, repo, a, store } = await twoPoints(t, password ? { password } : {});
      const backup = await (await Repository.open(store)).openBackup('Docs', password);
      const pack = backup.requireEntry(a.tree).pack;
      const packFile = path.join(repo, keys.pack('Docs', pack));
      await flipByte(packFile, (size, bytes) => headerStart(size, bytes) + 20);
      const damaged = await readFile(packFile);
      const run = (args: string[]) => runFerry(args, password ? env : {});

      const verify = await run(['verify', repo]);
      assert.equal(verify.code, 1, verify.stdout);
      assert.ok(verify.stdout.includes(`DAMAGED Docs/packs/${pack.slice(0, 2)}/${pack}: The pack Docs/packs/${pack.slice(0, 2)}/${pack} is damaged: its header`), verify.stdout);

      const repair = await run(['verify', repo, '--repair']);
      assert.equal(repair.code, 0, `${repair.stdout}\n${repair.stderr}`);
      assert.match(repair.stdout, new RegExp(`REWROTE the \\d+ intact blobs? of damaged pack ${pack} into [0-9a-f]{64}`));
      assert.ok(repair.stdout.includes(`QUARANTINED Docs/quarantine/packs/${pack}`), repair.stdout);
      assert.deepEqual(await readFile(path.join(repo, keys.quarantine('Docs', 'packs', pack))), damaged);
      // Plain, the rewritten pack is the original byte for byte (the same name); sealed, a new one.
      for (const name of await readdir(path.join(repo, 'Docs', 'packs'), { recursive: true })) {
        if (!name.includes('/')) continue;
        assert.equal(createHash('sha256').update(await readFile(path.join(repo, 'Docs', 'packs', name))).digest('hex'), path.basename(name));
      }
      const restore = await run(['restore', repo, a.id, path.join(dir, 'a')]);
      assert.equal(restore.code, 0, restore.stderr);
      assert.equal((await run(['verify', repo])).code, 0);
    });
  }

  it('a backup run goes on past a damaged index file: the new point is whole (what the index lacks is stored again)', async (t) => {
    const { dir, repo, store, file, indexB } = await twoPoints(t);
    await flipByte(file(indexB), (size) => Math.floor(size / 3));
    const logged: string[] = [];
    const { tasks } = await runBackup({ store, jobName: 'Docs', workloads: [{ name: 'docs', folders: [path.join(dir, 'src')] }], password: PASSWORD, log: (line) => logged.push(line) });
    assert.equal(tasks[0]!.result, 'warning', tasks[0]!.reason);
    assert.match(tasks[0]!.warnings.join('\n'), /the previous point's listing cannot be read .*; its files are read again/);
    assert.ok(logged.some((line) => line.startsWith(`Index file ${indexB} of`)), logged.join('\n'));

    const restore = await runFerry(['restore', repo, tasks[0]!.point!.id, path.join(dir, 'c')], env);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(await readFile(path.join(dir, 'c', 'src', 'b.txt'), 'utf8'), 'beta '.repeat(3000));
  });

  it('verify --repair of a truncated pack: its intact blobs are rewritten, the rest reported lost, and verify names the point that loses them', async (t) => {
    const { dir, repo, store, a, b } = await twoPoints(t);
    const backup = await (await Repository.open(store)).openBackup('Docs', PASSWORD);
    const pack = backup.requireEntry(b.tree).pack;
    assert.notEqual(backup.requireEntry(a.tree).pack, pack, 'the runs wrote their own packs');
    const packFile = path.join(repo, keys.pack('Docs', pack));
    await truncate(packFile, (await stat(packFile)).size - 200);

    const repair = await runFerry(['verify', repo, '--repair'], env);
    assert.equal(repair.code, 1, repair.stdout);
    assert.match(repair.stdout, new RegExp(`REWROTE the \\d+ intact blobs? of damaged pack ${pack} into [0-9a-f]{64}`));
    assert.match(repair.stdout, new RegExp(`LOST blob ${b.tree} of pack ${pack}: `));
    assert.match(repair.stdout, new RegExp(`DAMAGED point ${b.id} \\(docs\\) file /: chunk ${b.tree}: `));
    assert.ok(repair.stdout.includes(`QUARANTINED Docs/quarantine/packs/${pack}`), repair.stdout);
    const restore = await runFerry(['restore', repo, a.id, path.join(dir, 'a')], env);
    assert.equal(restore.code, 0, restore.stderr);
  });
});
