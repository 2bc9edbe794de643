import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seal } from '../../app/format/crypto.ts';
import { headlessSecretKey, SealedFileSecretStore } from '../../app/secrets/secret-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';

const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);

/** The key id the file records (app/secrets/secret-store.ts): it tells a wrong key from damage. */
const keyId = (key: Buffer) => createHmac('sha256', key).update('ferry/secrets/key-id').digest().subarray(0, 16);

function headlessStore(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  return new SealedFileSecretStore(path.join(dataDir, 'secrets.sealed'), headlessSecretKey(dataDir, env));
}

const failsWith = (code: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof FerryError, String(error));
  assert.equal(error.code, code, error.message);
  assert.match(error.message, pattern);
  return true;
};

describe('sealed secrets file and the headless key', () => {
  it('makes a private key on first use and reads its secrets back', async (t) => {
    const dir = await tempDir(t);
    await headlessStore(dir).set('repository/r1/s3-secret-access-key', 'hunter2');
    assert.equal(await headlessStore(dir).get('repository/r1/s3-secret-access-key'), 'hunter2');
    if (process.platform !== 'win32') {
      assert.equal((await stat(path.join(dir, 'secret.key'))).mode & 0o777, 0o600);
      assert.equal((await stat(path.join(dir, 'secrets.sealed'))).mode & 0o777, 0o600);
    }
    assert.equal((await readFile(path.join(dir, 'secrets.sealed'))).includes('hunter2'), false);
  });

  it('never makes a new key over an existing secrets file: it fails saying why and what to do', async (t) => {
    const dir = await tempDir(t);
    await headlessStore(dir).set('job/j1/password', 'pw');
    const sealedBefore = await readFile(path.join(dir, 'secrets.sealed'));
    await rm(path.join(dir, 'secret.key'));
    const store = headlessStore(dir);
    await assert.rejects(store.get('job/j1/password'), failsWith('not_found', /exists but its key .*secret\.key is missing.*Put the key back/));
    await assert.rejects(store.set('job/j2/password', 'x'), failsWith('not_found', /unreadable/));
    await assert.rejects(stat(path.join(dir, 'secret.key')), { code: 'ENOENT' });
    assert.deepEqual(await readFile(path.join(dir, 'secrets.sealed')), sealedBefore);
  });

  it('names a wrong key as such, and damage as damage', async (t) => {
    const dir = await tempDir(t);
    await headlessStore(dir, { FERRY_SECRET_KEY: KEY_A }).set('s', 'v');
    await assert.rejects(
      headlessStore(dir, { FERRY_SECRET_KEY: KEY_B }).get('s'),
      failsWith('wrong_password', new RegExp(`sealed with another key \\(key id ${keyId(Buffer.from(KEY_A, 'hex')).toString('hex')}\\).*FERRY_SECRET_KEY`)),
    );
    const file = path.join(dir, 'secrets.sealed');
    const bytes = await readFile(file);
    bytes[bytes.length - 20]! ^= 0x01;
    await writeFile(file, bytes);
    await assert.rejects(headlessStore(dir, { FERRY_SECRET_KEY: KEY_A }).get('s'), failsWith('corrupt_data', /is damaged/));
  });

  it('opens a file written before key ids, and records the key id on the next write', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'secrets.sealed');
    const key = Buffer.from(KEY_A, 'hex');
    await writeFile(file, seal(key, Buffer.from(JSON.stringify({ old: 'secret' })), Buffer.from('ferry/secrets/v1')));
    const store = headlessStore(dir, { FERRY_SECRET_KEY: KEY_A });
    assert.equal(await store.get('old'), 'secret');
    await assert.rejects(headlessStore(dir, { FERRY_SECRET_KEY: KEY_B }).get('old'), failsWith('corrupt_data', /records no key id/));
    await store.set('new', 'value');
    assert.ok((await readFile(file)).includes(keyId(key)));
    assert.equal(await headlessStore(dir, { FERRY_SECRET_KEY: KEY_A }).get('old'), 'secret');
  });

  it("refuses the desktop app's keychain-sealed key instead of making another, and says how to share it", async (t) => {
    const dir = await tempDir(t);
    await writeFile(path.join(dir, 'secret.key.safe'), 'sealed by the OS keychain');
    await assert.rejects(headlessStore(dir).set('s', 'v'), failsWith('not_found', /OS keychain.*--export-secret-key.*FERRY_SECRET_KEY/));
    await assert.rejects(stat(path.join(dir, 'secret.key')), { code: 'ENOENT' });
  });

  it('gives two processes that make the first key at once the same key', async (t) => {
    const dir = await tempDir(t);
    const keys = await Promise.all(Array.from({ length: 8 }, () => headlessSecretKey(dir, {})()));
    assert.equal(new Set(keys.map(({ key }) => key.toString('hex'))).size, 1);
    assert.deepEqual((await readdir(dir)).sort(), ['secret.key']);
  });

  it('refuses a malformed FERRY_SECRET_KEY or key file', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(headlessSecretKey(dir, { FERRY_SECRET_KEY: 'abc' })(), failsWith('invalid_input', /FERRY_SECRET_KEY is not a valid key/));
    await writeFile(path.join(dir, 'secret.key'), 'not hex');
    await assert.rejects(headlessSecretKey(dir, {})(), failsWith('invalid_input', /secret\.key is not a valid key/));
  });
});
