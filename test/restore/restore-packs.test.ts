import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { backupWorkload } from '../../app/backup/folder-backup.ts';
import { BackupStore } from '../../app/repository/backup-store.ts';
import { readBlobs } from '../../app/repository/blob-reader.ts';
import { keys } from '../../app/repository/layout.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { TreeNode } from '../../app/repository/bulk-documents.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { TreeReader } from '../../app/repository/trees.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { pseudoRandom, textLike } from '../format/helpers.ts';
import { tempDir } from '../helpers.ts';
import { snapshot } from '../backup/tree-fixtures.ts';

const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 };
const MiB = 1024 * 1024;

async function setup(t: TestContext, password?: string) {
  const dir = await tempDir(t);
  const source = path.join(dir, 'source', 'Data');
  await mkdir(source, { recursive: true });
  await mkdir(path.join(dir, 'repo'));
  const store = new LocalFolderStore(path.join(dir, 'repo'));
  await Repository.init(store, password === undefined ? {} : { password, kdf: FAST_KDF });
  const repo = await Repository.open(store);
  const backup = await repo.openOrCreateBackup('Files', { kind: 'folder-backup', kdf: FAST_KDF, ...(password ? { password } : {}) });
  const backUp = async (options: { packTarget?: number; previous?: PointManifest } = {}) =>
    (
      await backupWorkload({
        backup,
        writer: backup.writer(options.packTarget ? { packTarget: options.packTarget } : {}),
        workload: { name: 'files', folders: [source] },
        ...(options.previous ? { previous: options.previous } : {}),
      })
    ).point;
  return { dir, source, store, backup, backUp };
}

/** Small files (one chunk each, neighbours in a pack) with assorted modes and times. */
async function writeSmallFiles(root: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `folder-${i % 7}`);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `small-${i}.txt`);
    await writeFile(file, i % 2 ? textLike(1000 + i * 997, i) : pseudoRandom(500 + i * 613, i));
    await chmod(file, [0o644, 0o600, 0o755, 0o444][i % 4]!);
    await utimes(file, 1_600_000_000 + i, 1_600_000_000 + i * 3600);
  }
}

async function fileNode(backup: BackupStore, point: PointManifest, names: string[]): Promise<Extract<TreeNode, { type: 'file' }>> {
  const trees = new TreeReader(backup);
  let nodes = (await trees.read(point.tree)).nodes;
  for (const [i, name] of names.entries()) {
    const node = nodes.find((n) => n.name === name);
    assert.ok(node, `${names.join('/')} is in the point`);
    if (i === names.length - 1) {
      assert.equal(node.type, 'file');
      return node as Extract<TreeNode, { type: 'file' }>;
    }
    assert.equal(node.type, 'dir');
    nodes = (await trees.read((node as Extract<TreeNode, { type: 'dir' }>).subtree)).nodes;
  }
  throw new Error('unreachable');
}

/** Every file's chunks by path ('Data/…'), and every tree, of a point. */
async function walkPoint(backup: BackupStore, point: PointManifest): Promise<{ files: Map<string, string[]>; trees: Set<string> }> {
  const reader = new TreeReader(backup);
  const files = new Map<string, string[]>();
  const trees = new Set<string>();
  const walk = async (treeId: string, prefix: string): Promise<void> => {
    trees.add(treeId);
    for (const node of (await reader.read(treeId)).nodes) {
      const at = prefix ? `${prefix}/${node.name}` : node.name;
      if (node.type === 'file') files.set(at, node.content);
      else if (node.type === 'dir') await walk(node.subtree, at);
    }
  };
  await walk(point.tree, '');
  return { files, trees };
}

/** A pack holding only file content, with at least `blobs` blobs, and the paths of its files by blob offset. */
async function dataPack(backup: BackupStore, point: PointManifest, blobs: number): Promise<{ pack: string; files: { path: string; id: string; offset: number }[] }> {
  const { files, trees } = await walkPoint(backup, point);
  const treePacks = new Set([...trees].map((id) => backup.entry(id)!.pack));
  const byPack = new Map<string, { path: string; id: string; offset: number }[]>();
  for (const [at, ids] of files) {
    for (const id of ids) {
      const entry = backup.entry(id)!;
      if (treePacks.has(entry.pack)) continue;
      byPack.set(entry.pack, [...(byPack.get(entry.pack) ?? []), { path: at, id, offset: entry.offset }]);
    }
  }
  const found = [...byPack].find(([, list]) => new Set(list.map((f) => f.id)).size >= blobs);
  assert.ok(found, `a pack of ${blobs} data blobs`);
  return { pack: found[0], files: found[1].sort((a, b) => a.offset - b.offset) };
}

/** A folder of 30 incompressible ~15 KiB files: with small packs, several packs of file content only. */
async function writeBulk(root: string): Promise<void> {
  await mkdir(path.join(root, 'bulk'), { recursive: true });
  for (let i = 0; i < 30; i++) await writeFile(path.join(root, 'bulk', `part-${i}.bin`), pseudoRandom(15_000 + i * 100, 50 + i));
}

/** A backed-up point with small packs, and one of its packs that holds only file content (see dataPack). */
async function withDataPacks(t: TestContext, blobs: number) {
  const { dir, source, store, backup, backUp } = await setup(t);
  await writeSmallFiles(source, 10);
  await writeBulk(source);
  const point = await backUp({ packTarget: 64 * 1024 });
  return { dir, store, backup, point, ...(await dataPack(backup, point, blobs)) };
}

/** The regular files below `root`, relative paths. */
async function filesBelow(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('restore pack by pack', () => {
  for (const password of [undefined, 'pw']) {
    it(`restores many files at once, pieces out of file order, shared chunks wherever needed (${password ? 'encrypted' : 'plain'})`, async (t) => {
      const { dir, source, backup, backUp } = await setup(t, password);
      await writeSmallFiles(source, 60);
      const block = pseudoRandom(MiB + 4321, 99);
      await writeFile(path.join(source, 'big.bin'), Buffer.concat([pseudoRandom(3 * MiB, 1), textLike(2 * MiB, 2)]));
      await writeFile(path.join(source, 'copy-of-big.bin'), await readFile(path.join(source, 'big.bin')));
      await writeFile(path.join(source, 'repeated.bin'), Buffer.concat(Array.from({ length: 6 }, () => block)));
      await writeFile(path.join(source, 'read-only.bin'), pseudoRandom(3 * MiB, 3));
      await chmod(path.join(source, 'read-only.bin'), 0o444);
      await writeFile(path.join(source, 'empty'), '');
      // Small packs: files span many packs, and the second point mixes old and new ones.
      const first = await backUp({ packTarget: 256 * 1024 });
      const big = await readFile(path.join(source, 'big.bin'));
      pseudoRandom(300 * 1024, 7).copy(big, 2 * MiB);
      await writeFile(path.join(source, 'big.bin'), big);
      await chmod(path.join(source, 'read-only.bin'), 0o644);
      await writeFile(path.join(source, 'read-only.bin'), Buffer.concat([await readFile(path.join(source, 'read-only.bin')), pseudoRandom(MiB, 4)]));
      await chmod(path.join(source, 'read-only.bin'), 0o444);
      await writeFile(path.join(source, 'folder-3', 'small-3.txt'), 'changed');
      const second = await backUp({ packTarget: 256 * 1024, previous: first });

      const repeated = await fileNode(backup, second, ['Data', 'repeated.bin']);
      assert.ok(new Set(repeated.content).size < repeated.content.length, 'a chunk repeats within repeated.bin');

      const target = path.join(dir, 'restored');
      const progress: number[] = [];
      const result = await restorePoint({ backup, point: second, target, onProgress: (p) => progress.push(p.bytes) });
      assert.deepEqual(result.problems, []);
      assert.equal(result.files, 65);
      assert.equal(result.bytes, second.stats.bytes);
      assert.equal(progress.at(-1), second.stats.bytes);
      assert.deepEqual(await snapshot(path.join(target, 'Data')), await snapshot(source));
    });
  }

  it('fails only the files whose chunk is damaged inside a grouped read, and says which', async (t) => {
    const { dir, source, store, backup, backUp } = await setup(t, 'pw');
    await writeSmallFiles(source, 30);
    await writeFile(path.join(source, 'twin.txt'), await readFile(path.join(source, 'folder-5', 'small-12.txt')));
    const point = await backUp();
    const victim = (await fileNode(backup, point, ['Data', 'folder-5', 'small-12.txt'])).content[0]!;
    const entry = backup.entry(victim)!;
    const neighbours = [...(await fileNode(backup, point, ['Data', 'folder-4', 'small-11.txt'])).content];
    assert.ok(neighbours.every((id) => backup.entry(id)!.pack === entry.pack), 'the neighbours share the pack (one range read)');
    const packFile = path.join(store.location, keys.pack(backup.folder, entry.pack));
    const bytes = await readFile(packFile);
    bytes[entry.offset + Math.floor(entry.length / 2)]! ^= 0x40;
    await writeFile(packFile, bytes);

    const verified = await verifyBackup({ backup });
    assert.deepEqual(verified.damage.map((d) => [d.path, d.blobId]).sort(), [
      ['Data/folder-5/small-12.txt', victim],
      ['Data/twin.txt', victim],
    ]);

    const target = path.join(dir, 'restored');
    const restored = await restorePoint({ backup, point, target });
    assert.deepEqual(restored.problems.map((p) => [p.path, p.blobId]).sort(), [
      ['Data/folder-5/small-12.txt', victim],
      ['Data/twin.txt', victim],
    ]);
    await assert.rejects(stat(path.join(target, 'Data', 'folder-5', 'small-12.txt')), { code: 'ENOENT' });
    await assert.rejects(stat(path.join(target, 'Data', 'twin.txt')), { code: 'ENOENT' });
    const expected = await snapshot(source);
    delete expected['folder-5/small-12.txt'];
    delete expected['twin.txt'];
    assert.deepEqual(await snapshot(path.join(target, 'Data')), expected);
  });

  it('reports a truncated pack as damage of the blobs past the cut, and restores the rest', async (t) => {
    const { dir, store, backup, point, pack, files } = await withDataPacks(t, 3);
    const cut = files[Math.floor(files.length / 2)]!.offset + 10;
    await truncate(path.join(store.location, keys.pack(backup.folder, pack)), cut);
    const lost = files.filter((f) => f.offset + backup.entry(f.id)!.length > cut).map((f) => f.path).sort();

    const verified = await verifyBackup({ backup });
    assert.deepEqual(verified.damage.map((d) => d.path).sort(), lost);
    assert.ok(verified.damage.every((d) => d.message.includes('truncated')), verified.damage.map((d) => d.message).join('; '));

    const restored = await restorePoint({ backup, point, target: path.join(dir, 'restored') });
    assert.deepEqual(restored.problems.map((p) => p.path).sort(), lost);
    assert.equal(restored.files, point.stats.files - lost.length);
  });

  it('reports a missing pack by name; the files in other packs are restored', async (t) => {
    const { dir, store, backup, point, pack, files } = await withDataPacks(t, 2);
    await rm(path.join(store.location, keys.pack(backup.folder, pack)));
    const lost = [...new Set(files.map((f) => f.path))].sort();

    const verified = await verifyBackup({ backup });
    assert.deepEqual(verified.damage.map((d) => d.path).sort(), lost);
    assert.ok(verified.damage.every((d) => d.message === `pack ${pack} is missing`));
    const restored = await restorePoint({ backup, point, target: path.join(dir, 'restored') });
    assert.deepEqual(restored.problems.map((p) => p.path).sort(), lost);
    assert.equal(restored.files, point.stats.files - lost.length);
  });

  it('refuses a target that is a file, naming it, and leaves the file alone', async (t) => {
    const { dir, source, backup, backUp } = await setup(t);
    await writeSmallFiles(source, 3);
    const point = await backUp();
    const target = path.join(dir, 'a-file');
    await writeFile(target, 'keep me');
    await assert.rejects(
      restorePoint({ backup, point, target }),
      (e: unknown) => e instanceof FerryError && e.code === 'invalid_input' && e.message === `The restore target ${target} exists and is not a folder.`,
    );
    assert.equal(await readFile(target, 'utf8'), 'keep me');
  });

  it('removes the files it had not finished when stopped', async (t) => {
    const { dir, source, backup, backUp } = await setup(t);
    await writeSmallFiles(source, 40);
    for (let i = 0; i < 4; i++) await writeFile(path.join(source, `big-${i}.bin`), pseudoRandom(3 * MiB, 10 + i));
    const point = await backUp({ packTarget: 256 * 1024 });
    const target = path.join(dir, 'restored');
    const stop = new AbortController();
    await assert.rejects(
      restorePoint({ backup, point, target, signal: stop.signal, onProgress: (p) => p.bytes > 2 * MiB && stop.abort() }),
      (e: unknown) => e instanceof FerryError && e.code === 'cancelled',
    );
    const left = await filesBelow(target);
    assert.ok(left.length < point.stats.files, 'it stopped before the end');
    for (const file of left) {
      assert.deepEqual(await readFile(path.join(target, file)), await readFile(path.join(dir, 'source', file)), `${file} is complete`);
    }
  });

  it('reads neighbouring blobs of a pack with one read, each blob once', async (t) => {
    const { source, store, backup, backUp } = await setup(t, 'pw');
    await writeSmallFiles(source, 25);
    const point = await backUp();
    const ids = [...(await walkPoint(backup, point)).files.values()].flat();
    const packs = new Set(ids.map((id) => backup.entry(id)!.pack));
    const ranges: string[] = [];
    const counting: ObjectStore = {
      location: store.location,
      put: (key, data) => store.put(key, data),
      get: (key) => store.get(key),
      getRange: (key, offset, length) => (ranges.push(key), store.getRange(key, offset, length)),
      stat: (key) => store.stat(key),
      list: (prefix) => store.list(prefix),
      folders: (prefix) => store.folders(prefix),
      delete: (key) => store.delete(key),
      space: () => store.space(),
    };
    const reader = await BackupStore.open(counting, backup.folder, 'pw');
    const seen: string[] = [];
    await readBlobs(reader, [...ids, ...ids], {
      onBlob: (id, plaintext) => {
        assert.equal(plaintext.length, backup.entry(id)!.plain);
        seen.push(id);
      },
      onFailure: (_id, error) => {
        throw error;
      },
    });
    assert.deepEqual(seen.sort(), [...new Set(ids)].sort());
    assert.equal(ranges.length, packs.size);
  });
});
