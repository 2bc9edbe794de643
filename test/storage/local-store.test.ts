import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { tempDir } from '../helpers.ts';
import { listAll, objectStoreConformance, storeErrorOf } from './conformance.ts';
import { crashDuringPut } from './crash.ts';
import { mountTmpfs } from './tmpfs.ts';

const MiB = 1024 * 1024;

objectStoreConformance('LocalFolderStore', async (t) => new LocalFolderStore(await tempDir(t, 'ferry-store-')), {
  largeSizes: [5 * MiB, 5 * MiB + 1],
});

/** Every file under `dir`, temporary ones included, as '/'-joined relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

describe('LocalFolderStore: crash safety and faults', () => {
  it('a crash between the temporary write and the rename leaves no visible object, and the temp file is never listed', async (t) => {
    const root = await tempDir(t);
    assert.equal(await crashDuringPut(root, 'packs/3f/new', 4096), 'SIGKILL');

    const onDisk = await filesUnder(root);
    assert.equal(onDisk.length, 1, 'the data reached a temporary file before the crash');
    assert.match(onDisk[0]!, /^packs\/3f\/\.new~[0-9a-f]{8}-[0-9]+-[0-9a-f]{16}\.tmp$/);
    const store = new LocalFolderStore(root);
    assert.equal(await store.stat('packs/3f/new'), undefined);
    assert.equal((await storeErrorOf(store.get('packs/3f/new'))).kind, 'not_found');
    assert.deepEqual(await listAll(store, ''), []);
    assert.deepEqual(await listAll(store, 'packs/3f/'), []);
  });

  it('a crash while overwriting leaves the old object whole', async (t) => {
    const root = await tempDir(t);
    const store = new LocalFolderStore(root);
    const old = Buffer.from('the old manifest');
    await store.put('points/p1', old);
    assert.equal(await crashDuringPut(root, 'points/p1', 100_000), 'SIGKILL');
    assert.ok((await store.get('points/p1')).equals(old));
    assert.deepEqual(await listAll(store, ''), [{ key: 'points/p1', size: old.length }]);
  });

  it('a failed write removes its temporary file and keeps the old object', async (t) => {
    const root = await tempDir(t);
    const old = Buffer.from('old');
    await new LocalFolderStore(root).put('k', old);
    const failing = new LocalFolderStore(root, {
      testHooks: {
        afterTempWrite: () => {
          throw new Error('simulated failure before rename');
        },
      },
    });
    await assert.rejects(failing.put('k', Buffer.from('new')), /simulated failure/);
    assert.deepEqual(await filesUnder(root), ['k']);
    assert.ok((await failing.get('k')).equals(old));
  });

  it('readers see the old or the new object whole while it is overwritten', async (t) => {
    const store = new LocalFolderStore(await tempDir(t));
    const size = 256 * 1024;
    await store.put('atomic/x', Buffer.alloc(size, 0x41));
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 40 && writing; i++) await store.put('atomic/x', Buffer.alloc(size, i % 2 ? 0x41 : 0x42));
      writing = false;
    })();
    let reads = 0;
    try {
      while (writing) {
        const got = await store.get('atomic/x');
        assert.equal(got.length, size);
        assert.ok(got.every((b) => b === got[0]), 'a read mixed two versions');
        reads++;
      }
    } finally {
      writing = false;
      await writer; // before the folder is removed
    }
    assert.ok(reads > 0);
  });

  it('lists only keys: temporary files and names that cannot be keys are skipped', async (t) => {
    const root = await tempDir(t);
    await mkdir(path.join(root, 'a'));
    await writeFile(path.join(root, 'a', '.x~0123abcd.tmp'), 'temp');
    await writeFile(path.join(root, 'a', 'not a key.txt'), 'foreign');
    await writeFile(path.join(root, 'a', 'ok'), 'ok');
    assert.deepEqual(await listAll(new LocalFolderStore(root), ''), [{ key: 'a/ok', size: 2 }]);
  });

  it('takes key segments up to the 255-byte file-name limit (temporary names stay short enough)', async (t) => {
    const store = new LocalFolderStore(await tempDir(t));
    const key = `long/${'n'.repeat(255)}`;
    await store.put(key, Buffer.from('x'));
    assert.equal((await store.get(key)).toString(), 'x');
  });

  it('an unplugged drive (root folder gone) is unavailable, named, and never recreated', async (t) => {
    const root = path.join(await tempDir(t), 'usb-drive', 'Ferry');
    await mkdir(root, { recursive: true });
    const store = new LocalFolderStore(root);
    await store.put('backups/job/points/p1', Buffer.from('x'));
    await rm(path.join(root, '..'), { recursive: true });

    const calls = [
      () => store.put('backups/job/points/p2', Buffer.from('y')),
      () => store.get('backups/job/points/p1'),
      () => store.getRange('backups/job/points/p1', 0, 1),
      () => store.stat('backups/job/points/p1'),
      () => listAll(store, 'backups/'),
      () => store.delete('backups/job/points/p1'),
      () => store.space(),
    ];
    for (const call of calls) {
      const error = await storeErrorOf(call);
      assert.equal(error.kind, 'unavailable', `${call.toString()}: ${error.message}`);
      assert.equal(error.message, `${root} is not reachable. Is the drive or network share connected?`);
    }
    assert.equal(existsSync(root), false, 'put must not create the root on the system disk');
  });

  it('a full disk is no_space with the path and what to do, and leaves no temporary file', async (t) => {
    const mounted = await mountTmpfs(t, 'size=1m');
    if ('skip' in mounted) return t.skip(mounted.skip);
    const store = new LocalFolderStore(mounted.dir);
    const error = await storeErrorOf(store.put('packs/big', Buffer.alloc(2 * MiB, 1)));
    assert.equal(error.kind, 'no_space', error.message);
    assert.equal(error.message, `The drive holding ${path.join(mounted.dir, 'packs', 'big')} is full: free space or choose another repository.`);
    assert.deepEqual(await filesUnder(mounted.dir), []);
    await store.put('packs/small', Buffer.alloc(64 * 1024, 1));
    const space = await store.space();
    assert.ok(space.totalBytes === MiB && space.freeBytes < MiB, JSON.stringify(space));
  });

  it('a read-only file system is a permission error that says so', async (t) => {
    const mounted = await mountTmpfs(t, 'ro,size=1m');
    if ('skip' in mounted) return t.skip(mounted.skip);
    const store = new LocalFolderStore(mounted.dir);
    const error = await storeErrorOf(store.put('x', Buffer.from('x')));
    assert.equal(error.kind, 'permission', error.message);
    assert.match(error.message, /read-only file system: make the drive writable or choose another repository/);
    assert.equal((await storeErrorOf(store.get('x'))).kind, 'not_found');
  });

  it('reports free and total space of the drive', async (t) => {
    const space = await new LocalFolderStore(await tempDir(t)).space();
    assert.ok(space.totalBytes > 0 && space.freeBytes >= 0 && space.freeBytes <= space.totalBytes);
  });
});
