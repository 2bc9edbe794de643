import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { pseudoRandom } from '../format/helpers.ts';
import { tempDir } from '../helpers.ts';

/** A new backup whose pack uploads wait in `held` until released; `most` is the most that ran at once. */
async function backupWithHeldUploads(t: TestContext) {
  const store = new LocalFolderStore(await tempDir(t));
  await Repository.init(store);
  const backup = await (await Repository.open(store)).openOrCreateBackup('b', { kind: 'folder-backup' });
  const put = store.put.bind(store);
  const uploads = { held: [] as (() => void)[], running: 0, most: 0 };
  store.put = async (key, data) => {
    if (!key.includes('/packs/')) return put(key, data);
    uploads.most = Math.max(uploads.most, ++uploads.running);
    await new Promise<void>((resolve) => uploads.held.push(resolve));
    await put(key, data);
    uploads.running--;
  };
  return { backup, uploads };
}

describe('BlobWriter', () => {
  it('uploads two packs at most while one fills: adds wait for a slot, and all blobs are stored', async (t) => {
    const { backup, uploads } = await backupWithHeldUploads(t);
    const { held } = uploads;
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
      assert.equal(uploads.most, 2);
      for (const [k, id] of ids.entries()) assert.ok((await backup.readBlob(id)).equals(blobs[k]!));
    } finally {
      clearInterval(release);
    }
  });

  it('close waits for the uploads still running, then frees the pack buffers', async (t) => {
    const { backup, uploads } = await backupWithHeldUploads(t);
    const { held } = uploads;
    const writer = backup.writer({ packTarget: 1000 });
    const blobs = Array.from({ length: 3 }, (_, k) => pseudoRandom(600, k));
    const adds = blobs.map((blob) => writer.add('data', blob));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(held.length > 0, 'a pack is uploading');
    const buffersBefore = process.memoryUsage().arrayBuffers;
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
    // Each pack buffer is the pack target and 2 MiB of room: those sent and the one begun are freed at once.
    const freed = buffersBefore - process.memoryUsage().arrayBuffers;
    assert.ok(freed >= 2 * 2 ** 20, `${freed} bytes of buffers freed`);
    await assert.rejects(writer.add('data', pseudoRandom(600, 9)), { code: 'internal', message: 'This writer is closed: it takes no more blobs.' });
  });
});
