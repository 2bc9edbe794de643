import { dateWords } from '../../app/util/date-words.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { CopyProgress } from '../../app/copy/copy-point.ts';
import { openCopyTarget } from '../../app/copy/target.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { writeSampleTree } from '../backup/tree-fixtures.ts';
import { runFerry, tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import {
  assertRestoresLike,
  assertVerifies,
  backupFolders,
  chunkOf,
  copyOnce,
  damageChunk,
  FAST_KDF,
  InstrumentedStore,
  listKeys,
  newRepository,
  rewriteFiles,
  sourcesOf,
  writeRandomFiles,
} from './fixtures.ts';

const KiB = 1024;
/** Below the chunker's minimum: one chunk per file, so rewriting one file of 20 changes 5 %. */
const FILE = 256 * KiB;
const FILES = 20;

async function sourceTree(root: string, name: string): Promise<string> {
  const folder = path.join(root, name);
  await writeRandomFiles(folder, FILES, FILE);
  await writeSampleTree(path.join(folder, 'sample'));
  return folder;
}

/** The marker of a point that a process is writing now. */
const marker = (workload: string) => ({ pointId: randomBytes(16).toString('hex'), workload, started: new Date().toISOString(), host: hostname(), pid: process.pid });

type Variant = { name: string; sourcePassword?: string; targetPassword?: string; s3?: boolean };

const variants: Variant[] = [
  { name: 'local unencrypted → local encrypted', targetPassword: 'target secret' },
  { name: 'local encrypted → local unencrypted', sourcePassword: 'source secret' },
  { name: 'local encrypted → S3 encrypted (s3rver)', sourcePassword: 'source secret', targetPassword: 'other secret', s3: true },
];

async function targetStore(t: TestContext, root: string, s3: boolean | undefined): Promise<ObjectStore> {
  if (!s3) return (await newRepository(root, 'target')).store;
  const server = await startS3Server(t);
  const store = new S3Store(server.config('copies'), { maxAttempts: 2, requestTimeoutMs: 5000 });
  t.after(() => store.close());
  await Repository.init(store);
  return store;
}

describe('copying restore points', () => {
  for (const variant of variants) {
    it(`${variant.name}: restores byte-identical, keeps time and lineage, then copies only what changed`, { timeout: 60_000 }, async (t) => {
      const root = await tempDir(t);
      const data = await sourceTree(root, 'Data');
      const source = await newRepository(root, 'source', variant.sourcePassword);
      const first = await backupFolders(source.store, 'Files', { data }, variant.sourcePassword);
      const counting = new InstrumentedStore(await targetStore(t, root, variant.s3));
      const target = await Repository.open(counting);
      const sourceReads = new InstrumentedStore(source.store);
      const copy = { from: await Repository.open(sourceReads), fromPassword: variant.sourcePassword, to: target, toPassword: variant.targetPassword, allowPlaintext: true };
      const indexReads = () => [sourceReads.gets.get('index') ?? 0, counting.gets.get('index') ?? 0];

      const run1 = await copyOnce(copy);
      assert.deepEqual(run1.tasks.map((task) => [task.workload, task.result, task.points.length]), [['data', 'success', 1]], run1.tasks[0]?.reason);
      assert.equal(run1.target.encrypted, variant.targetPassword !== undefined);
      assert.equal(run1.target.config.kind, 'backup-copy');
      const original = first.points['data']!;
      const [copied] = (await run1.target.listPoints()).points;
      assert.ok(copied);
      assert.equal(copied.id, run1.tasks[0]!.points[0]!.id);
      assert.notEqual(copied.id, original.id, 'a copy is a point of its own');
      assert.equal(copied.created, original.created, 'the copy keeps the original creation time');
      assert.deepEqual(copied.lineage, {
        backupId: first.backup.config.id,
        pointId: original.id,
        repository: source.store.location,
        origin: { backupId: first.backup.config.id, pointId: original.id },
      });
      assert.equal(copied.tree, original.tree, 'same content, same tree id');
      assert.equal(copied.stats.files, original.stats.files);
      await assertRestoresLike(t, run1.target, copied, data);
      await assertVerifies(run1.target, 1);

      const readBefore = indexReads();
      const run2 = await copyOnce(copy);
      assert.deepEqual(indexReads(), readBefore, 'with nothing to copy, no index is read');
      assert.equal(run2.tasks[0]?.result, 'success');
      assert.deepEqual(run2.tasks[0]?.points, [], 'nothing is copied twice');
      assert.match(run2.tasks[0]?.reason ?? '', /^up to date: the newest point \(.+\) is already copied$/);

      // Change 5 % of the data (one file of 20) and back it up again.
      await rewriteFiles(data, [7], FILE);
      const second = await backupFolders(source.store, 'Files', { data }, variant.sourcePassword);
      const changed = second.points['data']!;
      const packsBefore = counting.bytes('packs');
      const [sourceIndexes, targetIndexes] = indexReads();
      const run3 = await copyOnce(copy);
      const [sourceAfter, targetAfter] = indexReads();
      assert.ok(sourceAfter! > sourceIndexes! && targetAfter! > targetIndexes!, 'a copy reads both indexes');
      const [incremental] = run3.tasks[0]!.points;
      assert.ok(incremental, run3.tasks[0]?.reason);
      assert.equal(incremental.lineage?.pointId, changed.id);
      const packsWritten = counting.bytes('packs') - packsBefore;
      const limit = 1.05 * changed.stats.bytesStored;
      assert.ok(incremental.stats.bytesStored <= limit, `copy stored ${incremental.stats.bytesStored} B for a source point that stored ${changed.stats.bytesStored} B`);
      assert.ok(packsWritten <= limit, `${packsWritten} B of packs written for ${changed.stats.bytesStored} B of new chunks`);
      assert.ok(packsWritten >= FILE, 'the rewritten file was transferred');
      assert.equal(incremental.stats.blobsNew, changed.stats.blobsNew, 'the same new chunks and trees');
      await assertRestoresLike(t, run3.target, incremental, data);
      await assertVerifies(run3.target, 2);
    });
  }

  it('keeps every workload of the job in one target backup, copies no point twice and waits for points being written', async (t) => {
    const root = await tempDir(t);
    const source = await newRepository(root, 'source');
    const folders = { docs: path.join(root, 'docs'), photos: path.join(root, 'photos'), mail: path.join(root, 'mail') };
    for (const folder of Object.values(folders)) await writeRandomFiles(folder, 3, 40 * KiB);
    const files = await backupFolders(source.store, 'Files', { docs: folders.docs, photos: folders.photos });
    const mail = await backupFolders(source.store, 'Mail', { mail: folders.mail });
    // A point of "late" is being written in the source, and a second one of "docs".
    await mail.backup.markWriting(marker('late'));
    await files.backup.markWriting(marker('docs'));
    const target = await newRepository(root, 'target');

    const phases: [string, CopyProgress['phase']][] = [];
    const run1 = await copyOnce({ from: source.repository, to: target.repository, onProgress: (workload, p) => phases.push([workload, p.phase]) });
    assert.deepEqual(await target.repository.listBackupFolders(), ['Offsite'], 'one backup holds the job\'s workloads');
    const summary = run1.tasks.map((task) => [task.workload, task.result, task.points.length]);
    assert.deepEqual(summary, [['docs', 'success', 1], ['late', 'success', 0], ['mail', 'success', 1], ['photos', 'success', 1]]);
    assert.match(run1.task('late')!.reason ?? '', /^waiting: a point started .+ is still being written in .+Mail$/);
    assert.match(run1.task('docs')!.reason ?? '', /still being written in .+Files: a later run copies it$/);
    assert.ok(phases.some(([workload, phase]) => workload === 'late' && phase === 'waiting'));
    assert.ok(!phases.some(([workload, phase]) => workload === 'late' && phase !== 'waiting'));
    const points = (await run1.target.listPoints()).points;
    assert.deepEqual(points.map((p) => p.workload).sort(), ['docs', 'mail', 'photos']);
    assert.deepEqual(
      points.map((p) => p.lineage?.pointId).sort(),
      [files.points['docs']!.id, files.points['photos']!.id, mail.points['mail']!.id].sort(),
    );

    // The same backup reached twice (as a job and as its repository): each point still once.
    const again = await copyOnce({ from: source.repository, to: target.repository, extraSources: await sourcesOf(source.repository) });
    assert.deepEqual(again.tasks.flatMap((task) => task.points), []);

    // Two more points of docs: catching up copies both, in order, then nothing.
    await files.backup.clearWriting((await files.backup.listWriting())[0]!.pointId);
    const b2 = await backupFolders(source.store, 'Files', { docs: folders.docs });
    await rewriteFiles(folders.docs, [0], 40 * KiB);
    const b3 = await backupFolders(source.store, 'Files', { docs: folders.docs });
    const catchUp = await copyOnce({ from: source.repository, to: target.repository, mode: 'catch-up', extraSources: await sourcesOf(source.repository) });
    assert.deepEqual(catchUp.task('docs')!.points.map((p) => p.lineage?.pointId), [b2.points['docs']!.id, b3.points['docs']!.id]);
    const after = await copyOnce({ from: source.repository, to: target.repository, mode: 'catch-up' });
    assert.deepEqual(after.tasks.flatMap((task) => task.points), []);
    const origins = (await after.target.listPoints()).points.map((p) => `${p.lineage?.origin?.backupId}/${p.lineage?.origin?.pointId}`);
    assert.equal(new Set(origins).size, origins.length, 'no origin twice on the target');
    assert.equal(origins.length, 5);
    await assertVerifies(after.target, 5);
  });

  it('makes the job\'s backup on the target only once a workload has a point to copy', async (t) => {
    const root = await tempDir(t);
    const source = await newRepository(root, 'source');
    const target = await newRepository(root, 'target');
    const docs = path.join(root, 'docs');
    await writeRandomFiles(docs, 2, 40 * KiB);
    // The first point of docs is still being written: the job waits and has no backup yet.
    const files = await source.repository.openOrCreateBackup('Files', { kind: 'folder-backup' });
    const writing = marker('docs');
    await files.markWriting(writing);
    const waiting = await copyOnce({ from: source.repository, to: target.repository });
    assert.equal(waiting.made, false);
    assert.deepEqual(waiting.tasks.map((task) => [task.workload, task.result, task.points.length]), [['docs', 'success', 0]]);
    assert.match(waiting.task('docs')!.reason ?? '', /^waiting: a point started .+ is still being written in .+Files$/);
    // A workload the job names that no backup has fails, and makes nothing either.
    const named = await copyOnce({ from: source.repository, to: target.repository, workloads: ['mail'] });
    assert.equal(named.made, false);
    assert.deepEqual(named.tasks.map((task) => [task.workload, task.result]), [['mail', 'failed']]);
    assert.deepEqual(await target.repository.listBackupFolders(), []);

    await files.clearWriting(writing.pointId);
    const { points } = await backupFolders(source.store, 'Files', { docs });
    const first = await copyOnce({ from: source.repository, to: target.repository });
    assert.equal(first.made, true);
    assert.deepEqual(await target.repository.listBackupFolders(), ['Offsite']);
    assert.deepEqual(first.task('docs')!.points.map((point) => point.lineage?.pointId), [points['docs']!.id]);
    await assertVerifies(first.target, 1);
    await assertRestoresLike(t, first.target, first.task('docs')!.points[0]!, docs);
  });

  const encryptions = [undefined, 'source secret'].flatMap((password) => [undefined, 'target secret'].map((targetPassword) => ({ password, targetPassword })));
  for (const { password, targetPassword } of encryptions) {
    const route = `${password ? 'encrypted' : 'unencrypted'} → ${targetPassword ? 'encrypted' : 'unencrypted'}`;
    it(`fails only the workload with a damaged chunk, naming point, file and chunk, and leaves nothing of it behind (${route})`, async (t) => {
      const root = await tempDir(t);
      const good = path.join(root, 'good');
      const bad = path.join(root, 'bad');
      await writeRandomFiles(good, 3, 100 * KiB);
      await writeRandomFiles(bad, 3, 100 * KiB);
      const source = await newRepository(root, 'source', password);
      const { backup, points } = await backupFolders(source.store, 'Files', { good, bad }, password);
      const chunk = await chunkOf(backup, points['bad']!, 'bad/file-1.bin');
      await damageChunk(chunk);
      const target = await newRepository(root, 'target', targetPassword);

      // One workload at a time, "bad" first: "good" then commits the writer "bad" failed in.
      const run = await copyOnce({ from: source.repository, fromPassword: password, to: target.repository, toPassword: targetPassword, parallel: 1, allowPlaintext: true });
      const failed = run.task('bad')!;
      assert.equal(failed.result, 'failed');
      assert.ok(failed.reason?.includes(`The point of ${dateWords(points['bad']!.created)} of workload "bad"`), failed.reason);
      assert.ok(failed.reason?.includes('"bad/file-1.bin"'), failed.reason);
      assert.ok(failed.reason?.includes(chunk.id), failed.reason);
      assert.equal(run.task('good')?.result, 'success', run.task('good')?.reason);
      const copied = (await run.target.listPoints()).points;
      assert.deepEqual(copied.map((p) => p.workload), ['good'], 'no point of the damaged workload');
      await assertVerifies(run.target, 1);
      await assertRestoresLike(t, run.target, copied[0]!, good);

      // Repaired (the flip undone), the chunk is copied now: nothing of the damaged one stayed on the target.
      await damageChunk(chunk);
      const rerun = await copyOnce({ from: source.repository, fromPassword: password, to: target.repository, toPassword: targetPassword, allowPlaintext: true });
      assert.equal(rerun.task('bad')?.result, 'success', rerun.task('bad')?.reason);
      const repaired = (await rerun.target.listPoints()).points.find((p) => p.workload === 'bad')!;
      await assertVerifies(rerun.target, 2);
      await assertRestoresLike(t, rerun.target, repaired, bad);
    });
  }

  it('copies from a copy keeping the origin, and never copies one original point twice', async (t) => {
    const root = await tempDir(t);
    const data = path.join(root, 'data');
    await writeRandomFiles(data, 4, 64 * KiB);
    const primary = await newRepository(root, 'primary');
    const offsite = await newRepository(root, 'offsite');
    const vault = await newRepository(root, 'vault');
    const b1 = await backupFolders(primary.store, 'Files', { data });
    const origin1 = { backupId: b1.backup.config.id, pointId: b1.points['data']!.id };
    const o1 = await copyOnce({ from: primary.repository, to: offsite.repository, job: 'Offsite' });
    const offsitePoint = o1.task('data')!.points[0]!;

    // Vault copies from the copy only: lineage names the copy, origin the primary point.
    const v1 = await copyOnce({ from: offsite.repository, to: vault.repository, job: 'Vault' });
    const [vaultPoint] = v1.task('data')!.points;
    assert.deepEqual(vaultPoint?.lineage, { backupId: o1.target.config.id, pointId: offsitePoint.id, repository: offsite.store.location, origin: origin1 });
    assert.equal(vaultPoint?.created, b1.points['data']!.created);

    // Both the primary and the copy as sources: the point is already there, nothing moves.
    const v2 = await copyOnce({ from: [primary.repository, offsite.repository], to: vault.repository, job: 'Vault' });
    assert.deepEqual(v2.tasks.map((task) => [task.result, task.points.length]), [['success', 0]]);
    assert.match(v2.tasks[0]!.reason ?? '', /^up to date/);

    // A new primary point reached by both routes is copied once, from the primary.
    await rewriteFiles(data, [1], 64 * KiB);
    const b2 = await backupFolders(primary.store, 'Files', { data });
    await copyOnce({ from: primary.repository, to: offsite.repository, job: 'Offsite' });
    const v3 = await copyOnce({ from: [offsite.repository, primary.repository], to: vault.repository, job: 'Vault', mode: 'catch-up' });
    const taken = v3.task('data')!.points;
    assert.equal(taken.length, 1);
    assert.deepEqual(taken[0]!.lineage, {
      backupId: b1.backup.config.id,
      pointId: b2.points['data']!.id,
      repository: primary.store.location,
      origin: { backupId: b1.backup.config.id, pointId: b2.points['data']!.id },
    });
    const vaultPoints = (await v3.target.listPoints()).points;
    assert.deepEqual(vaultPoints.map((p) => p.lineage?.origin?.pointId), [b1.points['data']!.id, b2.points['data']!.id]);
    await assertVerifies(v3.target, 2);
    await assertRestoresLike(t, v3.target, taken[0]!, data);

    // The copy of the copy is itself a source elsewhere: the origin still travels.
    const cold = await newRepository(root, 'cold');
    const c1 = await copyOnce({ from: [vault.repository, offsite.repository], to: cold.repository, job: 'Cold', mode: 'catch-up' });
    assert.deepEqual(c1.task('data')!.points.map((p) => p.lineage?.origin), [origin1, { backupId: b1.backup.config.id, pointId: b2.points['data']!.id }]);
  });
});

describe('copy errors', () => {
  const isCode = (code: string) => (error: unknown) => error instanceof FerryError && error.code === code;

  it('refuses a wrong source or target password with wrong_password, writing nothing', async (t) => {
    const root = await tempDir(t);
    const data = path.join(root, 'data');
    await writeRandomFiles(data, 2, 10 * KiB);
    const source = await newRepository(root, 'source', 'right source');
    await backupFolders(source.store, 'Files', { data }, 'right source');
    const target = await newRepository(root, 'target');
    await openCopyTarget(target.repository, { name: 'Offsite', password: 'right target', kdf: FAST_KDF });
    const before = await listKeys(target.store);
    const args = ['copy', '--from', source.path, '--to', target.path, '--job', 'Offsite', '--encrypt'];

    const wrongSource = await runFerry(args, { FERRY_PASSWORD: 'wrong', FERRY_TARGET_PASSWORD: 'right target' });
    assert.equal(wrongSource.code, 1);
    assert.match(wrongSource.stderr, new RegExp(`${source.path}.*\\(wrong_password\\)`));
    const wrongTarget = await runFerry(args, { FERRY_PASSWORD: 'right source', FERRY_TARGET_PASSWORD: 'wrong' });
    assert.equal(wrongTarget.code, 1);
    assert.match(wrongTarget.stderr, /\(wrong_password\)/);
    assert.deepEqual(await listKeys(target.store), before, 'nothing written on the target');
    await assert.rejects(copyOnce({ from: source.repository, fromPassword: 'wrong', to: target.repository, toPassword: 'right target' }), isCode('wrong_password'));
    await assert.rejects(copyOnce({ from: source.repository, fromPassword: 'right source', to: target.repository, toPassword: 'wrong' }), isCode('wrong_password'));

    const right = await runFerry([...args, '--json'], { FERRY_PASSWORD: 'right source', FERRY_TARGET_PASSWORD: 'right target' });
    assert.equal(right.code, 0, right.stderr);
    const output = JSON.parse(right.stdout) as { target: string; tasks: { workload: string; result: string; points: string[] }[] };
    assert.equal(output.target, `${target.path}/Offsite`);
    assert.deepEqual(output.tasks.map((task) => [task.workload, task.result, task.points.length]), [['data', 'success', 1]]);
  });

  it('ferry copy stores an encrypted source only in an encrypted target, unless --allow-plaintext; a plain source goes anywhere', async (t) => {
    const root = await tempDir(t);
    const data = path.join(root, 'data');
    const notes = path.join(root, 'notes');
    await writeRandomFiles(data, 2, 10 * KiB);
    await writeRandomFiles(notes, 2, 10 * KiB);
    const source = await newRepository(root, 'source');
    const locked = await backupFolders(source.store, 'Locked', { data }, 'source secret');
    await backupFolders(source.store, 'Open', { notes });
    const target = await newRepository(root, 'target');
    const env = { FERRY_PASSWORD: 'source secret' };
    const args = ['copy', '--from', source.path, '--to', target.path, '--job', 'Offsite'];

    const refused = await runFerry(args, env);
    assert.equal(refused.code, 1, refused.stderr);
    const lines = refused.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(1).map((line) => line.split(':')[0]), ['failed   data', 'success  notes']);
    assert.equal(
      lines[1],
      `failed   data: not copied: its source ${locked.backup.where} is encrypted and the target backup is not, so its data would be stored there unencrypted. Copy into an encrypted backup (--encrypt when the job's backup is made, or an encrypted target repository), or pass --allow-plaintext to store it unencrypted.`,
    );
    const [folder] = await target.repository.listBackupFolders();
    const copy = await target.repository.openBackup(folder!);
    assert.deepEqual((await copy.listPoints()).points.map((p) => p.workload), ['notes'], 'nothing of the encrypted backup on the target');

    const allowed = await runFerry([...args, '--allow-plaintext'], env);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /warning: data: its source .*\/Locked is encrypted and the target backup is not: its data is stored there unencrypted, as this copy allows\./);
    assert.deepEqual((await copy.listPoints()).points.map((p) => p.workload).sort(), ['data', 'notes']);

    // Into an encrypted backup, encrypted and plain sources alike are copied without a word.
    const sealed = await runFerry(['copy', '--from', source.path, '--to', target.path, '--job', 'Vault', '--encrypt'], { ...env, FERRY_TARGET_PASSWORD: 'vault' });
    assert.equal(sealed.code, 0, sealed.stderr);
    assert.doesNotMatch(sealed.stderr, /unencrypted/);
    assert.match(sealed.stdout, /success {2}data: .*\nsuccess {2}notes: /);
  });

  it('says clearly when the source repository is gone, or is the target', async (t) => {
    const root = await tempDir(t);
    const target = await newRepository(root, 'target');
    const gone = path.join(root, 'removed-drive');
    const missing = await runFerry(['copy', '--from', gone, '--to', target.path, '--job', 'Offsite']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`ferry: ${gone} is not reachable.*\\(repo_unavailable\\)`));
    const same = await runFerry(['copy', '--from', target.path, '--to', target.path, '--job', 'Offsite']);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /are the same repository: a copy must go to another repository\. \(invalid_input\)/);
    assert.deepEqual(await target.repository.listBackupFolders(), []);
  });

  it('copies nothing from a source without restore points, and leaves no empty backup on the target', async (t) => {
    const root = await tempDir(t);
    const empty = await newRepository(root, 'empty');
    const target = await newRepository(root, 'target');
    const text = await runFerry(['copy', '--from', empty.path, '--to', target.path, '--job', 'Offsite']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.trim(), `Nothing to copy: ${empty.path} has no restore points.`);
    // A workload asked for by name fails whether the source has backups or not (see below).
    const noBackups = await runFerry(['copy', '--from', empty.path, '--to', target.path, '--job', 'Offsite', '--workload', 'docs']);
    assert.equal(noBackups.code, 1);
    assert.equal(noBackups.stdout.trim(), `Nothing to copy, so no backup was made on ${target.path}\nfailed   docs: no restore point of this workload in any source: none holds a backup`);
    // A backup whose only run failed before its first point: there still is nothing to copy.
    await empty.repository.openOrCreateBackup('Files', { kind: 'folder-backup' });
    const json = await runFerry(['copy', '--from', empty.path, '--to', target.path, '--job', 'Offsite', '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { target: null, tasks: [] });
    // A workload asked for by name that is nowhere: it fails, and still nothing is made.
    const named = await runFerry(['copy', '--from', empty.path, '--to', target.path, '--job', 'Offsite', '--workload', 'docs']);
    assert.equal(named.code, 1);
    assert.equal(named.stdout.trim(), `Nothing to copy, so no backup was made on ${target.path}\nfailed   docs: no restore point of this workload in ${empty.path}/Files`);
    assert.deepEqual(await target.repository.listBackupFolders(), []);
  });

  it('maps only a copy job\'s backup, and only the job\'s own', async (t) => {
    const root = await tempDir(t);
    const data = path.join(root, 'data');
    await writeRandomFiles(data, 1, 10 * KiB);
    const target = await newRepository(root, 'target');
    await backupFolders(target.store, 'Primary', { data });
    const theirs = await openCopyTarget(target.repository, { name: 'Theirs', jobId: 'job-a', kdf: FAST_KDF });
    const ownerOf = (jobId: string) => (jobId === 'job-a' ? 'Theirs' : undefined);

    await assert.rejects(
      openCopyTarget(target.repository, { name: 'Mine', jobId: 'job-b', mapping: { folder: theirs.folder }, ownerOf }),
      (error: unknown) => isCode('conflict')(error) && /belongs to the job "Theirs"/.test((error as Error).message),
    );
    await assert.rejects(
      openCopyTarget(target.repository, { name: 'Mine', jobId: 'job-b', mapping: { folder: 'Primary' }, ownerOf }),
      (error: unknown) => isCode('invalid_input')(error) && /backup of a folder backup job/.test((error as Error).message),
    );
    await assert.rejects(openCopyTarget(target.repository, { name: 'Mine', jobId: 'job-b', mapping: { folder: 'Nowhere' }, ownerOf }), isCode('not_found'));
    // A backup whose job was deleted can be taken over; the job's own always can.
    const orphan = await openCopyTarget(target.repository, { name: 'Mine', jobId: 'job-b', mapping: { folder: theirs.folder }, ownerOf: () => undefined });
    assert.equal(orphan.config.id, theirs.config.id);
    const own = await openCopyTarget(target.repository, { name: 'Theirs', jobId: 'job-a', mapping: { folder: theirs.folder }, ownerOf });
    assert.equal(own.config.id, theirs.config.id);
    // Without a mapping, a job never takes over another live job's backup of the same name.
    const separate = await openCopyTarget(target.repository, { name: 'Theirs', jobId: 'job-b', ownerOf });
    assert.notEqual(separate.config.id, theirs.config.id);
  });
});
