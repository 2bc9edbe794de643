import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { tempDir } from '../helpers.ts';

describe('BackupStore opened for its points alone', () => {
  it('lists points without reading the index, refuses blob lookups until refreshIndex, then reads blobs', async (t) => {
    const store = new LocalFolderStore(await tempDir(t));
    await Repository.init(store, { password: 'pw', kdf: { N: 2 ** 10, r: 8, p: 1 } });
    const repository = await Repository.open(store);
    const written = await repository.openOrCreateBackup('Nightly', { kind: 'folder-backup', password: 'pw' });
    const writer = written.writer();
    const id = await writer.add('data', Buffer.from('a chunk'));
    await writer.commit();

    const points = await repository.openBackup(written.folder, 'pw', { index: false });
    assert.deepEqual((await points.listPoints()).points, []);
    const notRead = { code: 'internal', message: /^The index of the backup at .+\/Nightly was not read \(opened for its points alone\)\.$/ };
    assert.throws(() => points.has(id), notRead);
    assert.throws(() => points.entry(id), notRead);
    await assert.rejects(points.readBlob(id), notRead);
    await points.refreshIndex();
    assert.equal((await points.readBlob(id)).toString(), 'a chunk');
    assert.equal(points.blobCount, 1);
    await assert.rejects(repository.openBackup(written.folder, 'wrong', { index: false }), { code: 'wrong_password' });
  });
});
