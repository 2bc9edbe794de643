import assert from 'node:assert/strict';
import { link, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { backupWorkload } from '../../app/backup/folder-backup.ts';
import { copyPoint } from '../../app/copy/copy-point.ts';
import { unthrottled } from '../../app/copy/throttle.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { TreeReader } from '../../app/repository/trees.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { snapshot } from '../backup/tree-fixtures.ts';
import { tempDir } from '../helpers.ts';
import { type Crafted, craftedRepository, dir, file } from './crafted.ts';

/** Before the fix these ran without end: a bound, so that a regression fails instead of hanging. */
const BOUNDED = { timeout: 20_000 };

/**
 * A point whose folders each hold two folders sharing one subtree, `levels` deep, with a
 * file at the bottom: a few KB holding 2^levels files, claiming what one path holds.
 */
async function bomb(crafted: Crafted, levels: number): Promise<PointManifest> {
  const content = await crafted.chunk(Buffer.from('x'));
  let tree = await crafted.tree([file('f', [content], 1)]);
  for (let level = 0; level < levels; level++) tree = await crafted.tree([dir('a', tree), dir('b', tree)]);
  return crafted.point([dir('Data', tree)], { files: 1, dirs: levels, bytes: 1 });
}

async function copyTarget(t: TestContext) {
  const folder = await tempDir(t);
  const store = new LocalFolderStore(folder);
  await Repository.init(store, {});
  return (await Repository.open(store)).openOrCreateBackup('Offsite', { kind: 'backup-copy' });
}

function isBeyondClaim(point: PointManifest, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'corrupt_data');
    assert.match(error.message, new RegExp(`Restore point ${point.id} of workload "files" .* is damaged or crafted`));
    assert.match(error.message, pattern);
    return true;
  };
}

describe('points whose trees hold more than they claim', () => {
  it('restore refuses a folder DAG bomb (2⁴⁰ paths in a few KB) before it writes anything', BOUNDED, async (t) => {
    const crafted = await craftedRepository(t);
    const point = await bomb(crafted, 40);
    const target = path.join(crafted.dir, 'target');

    await assert.rejects(restorePoint({ backup: crafted.backup, point, target }), isBeyondClaim(point, /list 42 folders where its manifest claims 41/));
    await assert.rejects(stat(target), { code: 'ENOENT' });
    // A chosen path inside it too.
    await assert.rejects(restorePoint({ backup: crafted.backup, point, target, paths: ['Data/a/b'] }), isBeyondClaim(point, /files/));
  });

  it('copy refuses it, reading each of its trees once', BOUNDED, async (t) => {
    const crafted = await craftedRepository(t);
    const point = await bomb(crafted, 40);
    const target = await copyTarget(t);
    const reads: string[] = [];
    const readStored = crafted.backup.readStored.bind(crafted.backup);
    crafted.backup.readStored = (id) => {
      reads.push(id);
      return readStored(id);
    };

    await assert.rejects(
      copyPoint({ source: crafted.backup, target, writer: target.writer(), point, lineage: { backupId: crafted.backup.config.id, pointId: point.id }, throttle: unthrottled }),
      isBeyondClaim(point, /list 1[.,]1\d*e\+12 files|list 1,099,511,627,776 files/),
    );
    assert.equal(reads.length, new Set(reads).size, 'no tree read twice');
    assert.equal(reads.length, 42);
    assert.deepEqual((await target.listPoints()).points, []);
  });

  it('verify reports it as damage of the whole point', BOUNDED, async (t) => {
    const crafted = await craftedRepository(t);
    const point = await bomb(crafted, 40);

    const result = await verifyBackup({ backup: crafted.backup });

    assert.equal(result.damage.length, 1);
    assert.equal(result.damage[0]!.point, point.id);
    assert.equal(result.damage[0]!.blobId, point.tree);
    assert.match(result.damage[0]!.message, /is damaged or crafted: its folders list 1,099,511,627,776 files where its manifest claims 1/);
  });

  it('refuses folders deeper than any path a backup can make, and content beyond the bytes claimed', BOUNDED, async (t) => {
    const crafted = await craftedRepository(t);
    let tree = await crafted.tree([]);
    for (let level = 0; level < 2100; level++) tree = await crafted.tree([dir('d', tree)]);
    const deep = await crafted.point([dir('Data', tree)], { dirs: 2100 });
    const chunk = await crafted.chunk(Buffer.alloc(128 * 1024, 1));
    // One small file whose content repeats a chunk: 125 MiB written for a claim of 10 bytes.
    const swollen = await crafted.point([dir('Data', await crafted.tree([file('f', Array.from({ length: 1000 }, () => chunk), 10)]))], { files: 1, bytes: 10 });
    const target = path.join(crafted.dir, 'target');

    await assert.rejects(restorePoint({ backup: crafted.backup, point: deep, target }), isBeyondClaim(deep, /deeper than 2048 levels/));
    await assert.rejects(restorePoint({ backup: crafted.backup, point: swollen, target }), isBeyondClaim(swollen, /content adds up to 131,072,000 bytes where its manifest claims 10/));
    await assert.rejects(stat(target), { code: 'ENOENT' });
    const damage = (await verifyBackup({ backup: crafted.backup })).damage.map((d) => [d.point, d.message.replace(/.*: /, '')]);
    assert.deepEqual(damage.sort(), [
      [deep.id, 'its folders go deeper than 2048 levels.'],
      [swollen.id, "its files' content adds up to 131,072,000 bytes where its manifest claims 10."],
    ].sort());
  });

  it('restores, copies and verifies identical folders, which share their trees', async (t) => {
    const work = await tempDir(t);
    const source = path.join(work, 'source', 'Data');
    for (const copy of ['one', 'two', 'three']) {
      await mkdir(path.join(source, copy, 'inner', 'empty'), { recursive: true });
      // Hard links: a file's listing holds its inode, so only these make equal listings.
      if (copy === 'one') await writeFile(path.join(source, copy, 'inner', 'same.txt'), 'same content');
      else await link(path.join(source, 'one', 'inner', 'same.txt'), path.join(source, copy, 'inner', 'same.txt'));
      await mkdir(path.join(source, copy, 'empty'), { recursive: true });
      // Equal times too: a folder's listing holds its entries' times.
      for (const entry of ['inner/empty', 'inner/same.txt', 'inner', 'empty']) await utimes(path.join(source, copy, entry), 1_600_000_000, 1_600_000_000);
    }
    await mkdir(path.join(work, 'repo'));
    const store = new LocalFolderStore(path.join(work, 'repo'));
    await Repository.init(store, {});
    const backup = await (await Repository.open(store)).openOrCreateBackup('Files', { kind: 'folder-backup' });
    const { point } = await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'files', folders: [source] } });
    const top = (await new TreeReader(backup).read(point.tree)).nodes[0]!;
    const children = top.type === 'dir' ? (await new TreeReader(backup).read(top.subtree)).nodes : [];
    assert.equal(new Set(children.map((node) => node.type === 'dir' && node.subtree)).size, 1, 'the three folders share one tree');

    const target = path.join(work, 'target');
    const result = await restorePoint({ backup, point, target });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(await snapshot(path.join(target, 'Data')), await snapshot(source));
    assert.deepEqual((await verifyBackup({ backup })).damage, []);
    const copyTo = await copyTarget(t);
    const copied = await copyPoint({ source: backup, target: copyTo, writer: copyTo.writer(), point, lineage: { backupId: backup.config.id, pointId: point.id }, throttle: unthrottled });
    await restorePoint({ backup: copyTo, point: copied, target: path.join(work, 'from-copy') });
    assert.deepEqual(await readdir(path.join(work, 'from-copy', 'Data')), ['one', 'three', 'two']);
  });

  it("records a file's size as read, so its content and the point's claim agree (files may change size while read)", async (t) => {
    const work = await tempDir(t);
    await mkdir(path.join(work, 'repo'));
    const store = new LocalFolderStore(path.join(work, 'repo'));
    await Repository.init(store, {});
    const backup = await (await Repository.open(store)).openOrCreateBackup('Files', { kind: 'folder-backup' });
    // Files that lstat says are empty and that read as a line of text.
    const { point } = await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'random', folders: ['/proc/sys/kernel/random'] } });
    const trees = new TreeReader(backup);
    const top = (await trees.read(point.tree)).nodes[0]!;
    assert.equal(top.type, 'dir');
    let total = 0;
    for (const node of (await trees.read(top.subtree)).nodes) {
      assert.equal(node.type, 'file');
      const read = node.content.reduce((sum, id) => sum + backup.entry(id)!.plain, 0);
      assert.ok(read > 0, node.name);
      assert.equal(node.size, read, node.name);
      total += read;
    }
    assert.equal(point.stats.bytes, total);
  });
});
