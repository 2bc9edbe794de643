import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { SafeStorage } from 'electron';
import { engineSecretKey, type EngineKeyOptions, exportPlainKey } from '../../main/engine-key.ts';
import { type Keychain, safeStorageKeychain } from '../../main/keychain.ts';

/** A fresh temporary folder removed when the test ends. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-engine-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The engine's secrets file (app/, which tsconfig.main does not type-check: a computed specifier). */
interface SecretsFile {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}
type SecretKey = { key: Buffer; source: string };
const engineSecrets = (await import(new URL('../../app/secrets/secret-store.ts', import.meta.url).href)) as {
  SealedFileSecretStore: new (file: string, key: () => Promise<SecretKey>) => SecretsFile;
  headlessSecretKey(dataDir: string, env: NodeJS.ProcessEnv): () => Promise<SecretKey>;
};

/** A stand-in OS keychain: only the same "user" opens what it sealed. */
function fakeKeychain(user = 'ada', unavailable?: string): Keychain {
  return {
    unavailableReason: async () => unavailable,
    encrypt: async (text) => Buffer.from(`${user}:${Buffer.from(text).toString('base64')}`),
    async decrypt(data) {
      const [owner, body] = data.toString().split(':');
      if (owner !== user || body === undefined) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(body, 'base64').toString();
    },
  };
}

function options(dataDir: string, keychain: Keychain, warnings: string[] = []): EngineKeyOptions {
  return {
    dataDir,
    legacyStore: path.join(dataDir, 'userData', 'secrets.json'),
    keychain,
    log: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  };
}

/** The engine's store as the utility process builds it from what main sends. */
function desktopStore(dataDir: string, key: () => Promise<{ key: string; source: string }>) {
  return new engineSecrets.SealedFileSecretStore(path.join(dataDir, 'secrets.sealed'), async (): Promise<SecretKey> => {
    const { key: hex, source } = await key();
    return { key: Buffer.from(hex, 'hex'), source };
  });
}
const serveStore = (dataDir: string) =>
  new engineSecrets.SealedFileSecretStore(path.join(dataDir, 'secrets.sealed'), engineSecrets.headlessSecretKey(dataDir, {}));

describe('the desktop app key of the engine secrets', () => {
  it('seals a new key with the OS keychain beside the secrets, and finds it again', async (t) => {
    const dir = await tempDir(t);
    const first = await engineSecretKey(options(dir, fakeKeychain()));
    assert.match(first.key, /^[0-9a-f]{64}$/);
    assert.deepEqual(await readdir(dir), ['secret.key.safe']);
    assert.equal((await readFile(path.join(dir, 'secret.key.safe'))).includes(first.key), false);
    assert.match(first.source, /OS keychain/);
    assert.deepEqual(await engineSecretKey(options(dir, fakeKeychain())), first);
  });

  it('never makes a new key beside an existing secrets file', async (t) => {
    const dir = await tempDir(t);
    await writeFile(path.join(dir, 'secrets.sealed'), 'sealed secrets');
    await assert.rejects(engineSecretKey(options(dir, fakeKeychain())), /exists but its key .* is missing, and a new key would leave every stored secret unreadable/);
    assert.deepEqual(await readdir(dir), ['secrets.sealed']);
  });

  it("fails, naming the cause, when the key's keychain is not running or is another user's", async (t) => {
    const dir = await tempDir(t);
    await engineSecretKey(options(dir, fakeKeychain('ada')));
    await assert.rejects(engineSecretKey(options(dir, fakeKeychain('ada', 'no OS keyring is available'))), /sealed with the OS keychain, but no OS keyring is available/);
    await assert.rejects(engineSecretKey(options(dir, fakeKeychain('eve'))), /cannot be opened with this user's OS keychain/);
    assert.deepEqual(await readdir(dir), ['secret.key.safe']);
  });

  it('accepts only a real keyring on Linux: basic_text and unknown are not a keychain', async () => {
    const storage = (backend: string) =>
      ({ getSelectedStorageBackend: () => backend, isAsyncEncryptionAvailable: async () => true }) as unknown as SafeStorage;
    for (const backend of ['basic_text', 'unknown']) {
      assert.match((await safeStorageKeychain(storage(backend), 'linux').unavailableReason()) ?? 'accepted', new RegExp(`no OS keyring.*"${backend}"`));
    }
    for (const backend of ['gnome_libsecret', 'kwallet6']) assert.equal(await safeStorageKeychain(storage(backend), 'linux').unavailableReason(), undefined);
    assert.equal(await safeStorageKeychain(storage('basic_text'), 'darwin').unavailableReason(), undefined);
  });

  it('without a keychain keeps the key as serve does (secret.key, 0600), and says so', async (t) => {
    const dir = await tempDir(t);
    const warnings: string[] = [];
    const { key, source } = await engineSecretKey(options(dir, fakeKeychain('ada', 'no OS keyring is available (… "basic_text" backend)'), warnings));
    assert.equal(source, path.join(dir, 'secret.key'));
    assert.equal((await readFile(source, 'utf8')).trim(), key);
    if (process.platform !== 'win32') assert.equal((await stat(source)).mode & 0o777, 0o600);
    assert.match(warnings.join('\n'), /basic_text.*kept in .*secret\.key, readable only by you/);
  });

  it('reads the secrets ferry serve stored on the same data folder, and the other way round after --export-secret-key', async (t) => {
    const servedFirst = await tempDir(t);
    await serveStore(servedFirst).set('repository/r/s3-secret-access-key', 'from serve');
    const desktop = desktopStore(servedFirst, () => engineSecretKey(options(servedFirst, fakeKeychain())));
    assert.equal(await desktop.get('repository/r/s3-secret-access-key'), 'from serve');

    const desktopFirst = await tempDir(t);
    await desktopStore(desktopFirst, () => engineSecretKey(options(desktopFirst, fakeKeychain()))).set('job/j/password', 'from the app');
    await assert.rejects(serveStore(desktopFirst).get('job/j/password'), /--export-secret-key/);
    assert.equal(await exportPlainKey(options(desktopFirst, fakeKeychain())), path.join(desktopFirst, 'secret.key'));
    assert.equal(await exportPlainKey(options(desktopFirst, fakeKeychain())), path.join(desktopFirst, 'secret.key'), 'exporting twice is fine');
    assert.equal(await serveStore(desktopFirst).get('job/j/password'), 'from the app');
  });

  it('moves the key an earlier version kept in userData beside the secrets', async (t) => {
    const dir = await tempDir(t);
    const keychain = fakeKeychain();
    const oldKey = 'c3'.repeat(32);
    const legacy = path.join(dir, 'userData', 'secrets.json');
    await mkdir(path.dirname(legacy));
    const sealedKey = (await keychain.encrypt(oldKey)).toString('base64');
    await writeFile(legacy, JSON.stringify({ version: 1, secrets: { 'engine/secrets-file-key': sealedKey } }));
    await writeFile(path.join(dir, 'secrets.sealed'), 'sealed with the old key');
    assert.equal((await engineSecretKey(options(dir, keychain))).key, oldKey);
    await assert.rejects(stat(legacy), { code: 'ENOENT' });
    assert.equal((await engineSecretKey(options(dir, keychain))).key, oldKey);
  });
});
