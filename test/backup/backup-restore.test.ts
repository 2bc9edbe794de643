import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { backupWorkload } from '../../app/backup/folder-backup.ts';
import { Repository } from '../../app/repository/repository.ts';
import { keys, REPOSITORY_MARKER } from '../../app/repository/layout.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { StoreError } from '../../app/storage/object-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { snapshot, writeSampleTree } from './tree-fixtures.ts';

const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 };

async function setup(t: Parameters<typeof tempDir>[0], password?: string) {
  const dir = await tempDir(t);
  const source = path.join(dir, 'source', 'Data');
  await writeSampleTree(source);
  await mkdir(path.join(dir, 'repo'));
  const store = new LocalFolderStore(path.join(dir, 'repo'));
  await Repository.init(store, password === undefined ? {} : { password, kdf: FAST_KDF });
  const repo = await Repository.open(store);
  const backup = await repo.openOrCreateBackup('Nightly files', { kind: 'folder-backup', kdf: FAST_KDF, ...(password ? { password } : {}) });
  return { dir, source, store, repo, backup };
}

describe('folder backup, restore and verify', () => {
  for (const password of [undefined, 'correct horse']) {
    it(`restores byte-identical, with modes, times and links (${password ? 'encrypted' : 'plain'})`, async (t) => {
      const { dir, source, backup } = await setup(t, password);
      const { point, warnings } = await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'files', folders: [source] } });
      assert.deepEqual(warnings, []);
      assert.equal(point.stats.files, 6);
      assert.ok(point.stats.bytesNew < point.stats.bytes, 'the two identical files are stored once');

      const target = path.join(dir, 'restored');
      const result = await restorePoint({ backup, point, target });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(await snapshot(path.join(target, 'Data')), await snapshot(source));
    });
  }

  it('reads only changed files the second time and stores only new chunks', async (t) => {
    const { source, backup } = await setup(t);
    const first = await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'files', folders: [source] } });
    await appendFile(path.join(source, 'docs', 'readme.txt'), 'one more line\n');
    const second = await backupWorkload({
      backup,
      writer: backup.writer(),
      workload: { name: 'files', folders: [source] },
      previous: first.point,
    });
    const changed = (await readFile(path.join(source, 'docs', 'readme.txt'))).length;
    assert.equal(second.point.stats.bytesRead, changed, 'unchanged files are not read again');
    assert.ok(second.point.stats.bytesNew <= changed + 4096, `new bytes ${second.point.stats.bytesNew}`);
    assert.deepEqual((await backup.listPoints()).points.map((p) => p.id), [first.point.id, second.point.id]);
  });

  it('applies exclusions and restores chosen paths only', async (t) => {
    const { dir, source, backup } = await setup(t);
    const { point } = await backupWorkload({
      backup,
      writer: backup.writer(),
      workload: { name: 'files', folders: [source], excludes: ['*.bin', 'docs/deep/*'] },
    });
    const target = path.join(dir, 'partial');
    await restorePoint({ backup, point, target, paths: ['Data/docs/readme.txt'] });
    assert.deepEqual(Object.keys(await snapshot(target)), ['Data', 'Data/docs', 'Data/docs/readme.txt']);
    await restorePoint({ backup, point, target: path.join(dir, 'all') });
    const names = Object.keys(await snapshot(path.join(dir, 'all', 'Data')));
    assert.ok(!names.some((n) => n.endsWith('.bin')), names.join());
    assert.ok(names.includes('docs/deep') && !names.includes('docs/deep/deeper'), names.join());
  });

  it('refuses the wrong password before writing anything', async (t) => {
    const { store, repo } = await setup(t, 'right');
    const before = await listAll(store);
    await assert.rejects(repo.openBackup('Nightly_files', 'wrong'), (e: unknown) => e instanceof FerryError && e.code === 'wrong_password');
    await assert.rejects(
      repo.openOrCreateBackup('Another job', { kind: 'folder-backup', password: 'wrong' }),
      (e: unknown) => e instanceof FerryError && e.code === 'wrong_password',
    );
    assert.deepEqual(await listAll(store), before);
  });

  it('finds its backups from the top folder alone, never listing what they hold', async (t) => {
    const { store, source, backup } = await setup(t);
    await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'files', folders: [source] } });
    const repo = await Repository.open(store);
    await repo.openOrCreateBackup('Weekly', { kind: 'folder-backup' });
    await store.put('stray/notes.txt', Buffer.from('a folder copied in by hand, not a backup'));
    await store.put('half/index/0', Buffer.from('a backup folder without its backup.json'));
    const listed: string[] = [];
    const watched = new Proxy(store, {
      get: (target, name: keyof LocalFolderStore) => {
        if (name === 'list') return (prefix: string) => (listed.push(prefix), target.list(prefix));
        const value = target[name];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await store.put('broken/backup.json', Buffer.from('{ not json'));
    const found = await Repository.open(watched);
    assert.deepEqual(await found.listBackupFolders(), [backup.folder, 'Weekly', 'broken'].sort());
    // With their configs: the damaged one is left out, the others come with what they say.
    const backups = await found.listBackups();
    assert.deepEqual(backups.map((b) => [b.folder, b.config.name]), [[backup.folder, backup.config.name], ['Weekly', 'Weekly']].sort());
    assert.deepEqual(listed, [], 'no object listing: a repository of a million packs is found as fast as an empty one');
    // A store that fails is no "no backup": the failure reaches the caller.
    const failing = new Proxy(store, {
      get: (target, name: keyof LocalFolderStore) => {
        if (name === 'get') return (key: string) => (key === 'Weekly/backup.json' ? Promise.reject(new StoreError('io', 'the drive went away', key)) : target.get(key));
        const value = target[name];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await assert.rejects((await Repository.open(failing)).listBackups(), (e: unknown) => e instanceof StoreError && e.kind === 'io');
  });

  it("wraps a new backup's key with what the repository's password derives (no scrypt of its own); its password still opens it", async (t) => {
    const { store, repo } = await setup(t, 'right');
    const marker = JSON.parse((await store.get(REPOSITORY_MARKER)).toString('utf8'));
    const created = await repo.openOrCreateBackup('Another job', { kind: 'folder-backup', password: 'right' });
    assert.equal((created.config.encryption?.key as { salt: string }).salt, marker.encryption.key.salt);
    const reopened = await (await Repository.open(store)).openBackup(created.folder, 'right');
    assert.equal(reopened.config.id, created.config.id);
    await assert.rejects(repo.openBackup(created.folder, 'wrong'), (e: unknown) => e instanceof FerryError && e.code === 'wrong_password');
  });

  it('names the point, file and chunk of a flipped byte; restores the other files', async (t) => {
    const { dir, source, store, backup } = await setup(t, 'pw');
    const { point } = await backupWorkload({ backup, writer: backup.writer(), workload: { name: 'files', folders: [source] } });
    // Damage the chunk of random.bin, wherever it landed.
    const tree = await import('../../app/repository/trees.ts');
    const reader = new tree.TreeReader(backup);
    const top = await reader.nodesByName(point.tree);
    const data = top.get('Data');
    assert.ok(data?.type === 'dir');
    const random = (await reader.nodesByName(data.subtree)).get('random.bin');
    assert.ok(random?.type === 'file');
    const victim = random.content[0]!;
    const entry = backup.entry(victim)!;
    const packFile = path.join(store.location, keys.pack(backup.folder, entry.pack));
    const bytes = await readFile(packFile);
    bytes[entry.offset + 40]! ^= 0x01;
    await writeFile(packFile, bytes);

    const result = await verifyBackup({ backup });
    assert.equal(result.damage.length, 1);
    assert.deepEqual(
      { point: result.damage[0]!.point, path: result.damage[0]!.path, blobId: result.damage[0]!.blobId },
      { point: point.id, path: 'Data/random.bin', blobId: victim },
    );

    const target = path.join(dir, 'restored');
    const restored = await restorePoint({ backup, point, target });
    assert.equal(restored.problems.length, 1);
    assert.equal(restored.problems[0]!.path, 'Data/random.bin');
    assert.equal(restored.problems[0]!.blobId, victim);
    assert.equal(await readFile(path.join(target, 'Data', 'docs', 'readme.txt'), 'utf8'), await readFile(path.join(source, 'docs', 'readme.txt'), 'utf8'));
    await assert.rejects(readFile(path.join(target, 'Data', 'random.bin')), { code: 'ENOENT' });
  });
});

async function listAll(store: LocalFolderStore): Promise<string[]> {
  const all: string[] = [];
  for await (const object of store.list('')) all.push(object.key);
  return all.sort();
}
