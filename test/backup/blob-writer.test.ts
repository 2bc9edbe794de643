import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { pseudoRandom } from '../format/helpers.ts';
import { tempDir } from '../helpers.ts';

describe('BlobWriter', () => {
  it('uploads two packs at most while one fills: adds wait for a slot, and all blobs are stored', async (t) => {
    const store = new LocalFolderStore(await tempDir(t));
    await Repository.init(store);
    const backup = await (await Repository.open(store)).openOrCreateBackup('b', { kind: 'folder-backup' });
    const put = store.put.bind(store);
    const held: (() => void)[] = [];
    let uploading = 0;
    let most = 0;
    store.put = async (key, data) => {
      if (!key.includes('/packs/')) return put(key, data);
      most = Math.max(most, ++uploading);
      await new Promise<void>((resolve) => held.push(resolve));
      await put(key, data);
      uploading--;
    };
    const writer = backup.writer({ packTarget: 1000 });
    const blobs = Array.from({ length: 12 }, (_, k) => pseudoRandom(600, k));
    let settled = 0;
    const adds = blobs.map((blob) => writer.add('data', blob).finally(() => settled++));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(held.length, 2, 'two packs uploading');
    assert.ok(settled < blobs.length, 'the other adds wait');
    const release = setInterval(() => held.shift()?.(), 2);
    try {
      const ids = await Promise.all(adds);
      await writer.commit();
      assert.equal(most, 2);
      for (const [k, id] of ids.entries()) assert.ok((await backup.readBlob(id)).equals(blobs[k]!));
    } finally {
      clearInterval(release);
    }
  });

  it('close waits for the uploads still running, then frees the pack buffers', async (t) => {
    const store = new LocalFolderStore(await tempDir(t));
    await Repository.init(store);
    const backup = await (await Repository.open(store)).openOrCreateBackup('b', { kind: 'folder-backup' });
    const put = store.put.bind(store);
    const held: (() => void)[] = [];
    store.put = async (key, data) => {
      if (key.includes('/packs/')) await new Promise<void>((resolve) => held.push(resolve));
      await put(key, data);
    };
    const writer = backup.writer({ packTarget: 1000 });
    const blobs = Array.from({ length: 3 }, (_, k) => pseudoRandom(600, k));
    const adds = blobs.map((blob) => writer.add('data', blob));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(held.length > 0, 'a pack is uploading');
    let closed = false;
    const closing = writer.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(closed, false, 'close waits for the upload');
    const release = setInterval(() => held.shift()?.(), 2);
    try {
      await Promise.allSettled(adds);
      await closing;
    } finally {
      clearInterval(release);
    }
    assert.equal(closed, true);
    await assert.rejects(writer.add('data', pseudoRandom(600, 9)), { code: 'internal', message: 'This writer is closed: it takes no more blobs.' });
  });
});
