import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createKeyFile, createKeyFileWith, type KdfParams, type KeyFile, keyFileCheck } from '../../app/format/crypto.ts';
import { PasswordKeys } from '../../app/repository/password-keys.ts';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { tempDir } from '../helpers.ts';

const FAST: KdfParams = { N: 2 ** 10, r: 8, p: 1 };

describe('PasswordKeys', () => {
  it('derives once for key files wrapped with one password key, and opens each with its own master key', async () => {
    const first = await createKeyFile('pw', { kdf: FAST });
    const keys = new PasswordKeys();
    const a = await keys.unlock(first.keyFile, 'pw', 'a');
    const second = createKeyFileWith(a.passwordKey);
    const b = await keys.unlock(second.keyFile, 'pw', 'b');
    assert.ok(a.masterKey.equals(first.masterKey));
    assert.ok(b.masterKey.equals(second.masterKey));
    assert.equal(b.passwordKey, a.passwordKey, 'the same derivation, not a second one');
  });

  it('derives anew for another salt, cost or password, and a wrong password fails as such without spoiling the right one', async () => {
    const keys = new PasswordKeys();
    const one = await createKeyFile('pw', { kdf: FAST });
    const other = await createKeyFile('pw', { kdf: FAST });
    const a = await keys.unlock(one.keyFile, 'pw', 'one');
    assert.notEqual((await keys.unlock(other.keyFile, 'pw', 'other')).passwordKey, a.passwordKey);
    const cheaper: KeyFile = { ...one.keyFile, N: 2 ** 9, check: keyFileCheck({ ...one.keyFile, N: 2 ** 9 }) };
    await assert.rejects(keys.unlock(cheaper, 'pw', 'cheaper'), { code: 'wrong_password', message: 'The password is wrong for cheaper.' });
    await assert.rejects(keys.unlock(one.keyFile, 'pW', 'one'), { code: 'wrong_password', message: 'The password is wrong for one.' });
    assert.ok((await keys.unlock(one.keyFile, 'pw', 'one')).masterKey.equals(one.masterKey));
  });
});

describe('Repository.changePassword', () => {
  it('rewraps the repository and every backup with one new password key; a wrong old password changes no file', async (t) => {
    const dir = await tempDir(t);
    const store = new LocalFolderStore(dir);
    await Repository.init(store, { password: 'old', kdf: FAST });
    const repository = await Repository.open(store);
    const nightly = await repository.openOrCreateBackup('Nightly', { kind: 'folder-backup', password: 'old' });
    const weekly = await repository.openOrCreateBackup('Weekly', { kind: 'folder-backup', password: 'old' });
    const monthly = await (await Repository.open(store)).openOrCreateBackup('Monthly', { kind: 'folder-backup', password: 'old' });
    const writer = nightly.writer();
    const id = await writer.add('data', Buffer.from('kept as it is'));
    await writer.commit();
    const files = [path.join(dir, 'ferry-repository.json'), ...[nightly, weekly, monthly].map((b) => path.join(dir, b.folder, 'backup.json'))];
    const read = () => Promise.all(files.map((file) => readFile(file, 'utf8')));
    const before = await read();

    await assert.rejects((await Repository.open(store)).changePassword('wrong', 'new'), { code: 'wrong_password' });
    assert.deepEqual(await read(), before);

    assert.equal(await (await Repository.open(store)).changePassword('old', 'new', { kdf: FAST }), 3);
    const salts = (await read()).map((text) => {
      const json = JSON.parse(text) as { encryption: { key: KeyFile } };
      return json.encryption.key.salt;
    });
    assert.equal(new Set(salts).size, 1, 'one salt: one derivation opens them all');
    assert.notEqual(salts[0], (JSON.parse(before[0]!) as { encryption: { key: KeyFile } }).encryption.key.salt);
    const reopened = await Repository.open(store);
    await reopened.checkPassword('new');
    await assert.rejects(reopened.checkPassword('old'), { code: 'wrong_password' });
    const opened = await reopened.openBackup(nightly.folder, 'new');
    assert.equal((await opened.readBlob(id)).toString(), 'kept as it is');
    await assert.rejects(reopened.openBackup(weekly.folder, 'old'), { code: 'wrong_password' });
  });
});

describe('PasswordKeys and damage', () => {
  it('finds damaged a key file without a check that the password opening its siblings (same salt) does not open', async () => {
    const keys = new PasswordKeys();
    const first = await createKeyFile('pw', { kdf: FAST });
    const a = await keys.unlock(first.keyFile, 'pw', 'the repository');
    const { check: _, ...sibling } = createKeyFileWith(a.passwordKey).keyFile;
    const wrapped = Buffer.from(sibling.wrapped, 'base64');
    wrapped[20]! ^= 1;
    const damaged: KeyFile = { ...sibling, wrapped: wrapped.toString('base64') };
    await assert.rejects(keys.unlock(damaged, 'pw', 'backup Docs'), {
      code: 'corrupt_data',
      message: 'The key file of backup Docs is damaged: the password opens the other key files wrapped with it (the same salt), not this one.',
    });
    await assert.rejects(keys.unlock(damaged, 'other', 'backup Docs'), { code: 'wrong_password' }, 'another password is only wrong');
  });
});
