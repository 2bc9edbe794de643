import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  createKeyFile,
  createKeyFileWith,
  DEFAULT_KDF,
  derivePasswordKey,
  type KdfParams,
  type KeyFile,
  MASTER_KEY_LENGTH,
  open,
  parseKeyFile,
  rewrapCost,
  seal,
  SEAL_OVERHEAD,
  wrapKey,
} from '../../app/format/crypto.ts';
import { PasswordKeys } from '../../app/repository/password-keys.ts';
import { flipBit } from './helpers.ts';

/** Opens a key file with a password as repositories do (PasswordKeys, a fresh one each time). */
const unlockKeyFile = (keyFile: KeyFile, password: string, name = 'the backup') => new PasswordKeys().unlock(parseKeyFile(keyFile, name), password, name);
const openKeyFile = async (keyFile: KeyFile, password: string, name?: string) => (await unlockKeyFile(keyFile, password, name)).masterKey;

/** Cheap scrypt for tests: the default costs ~0.1 s and 32 MiB per derivation. */
const FAST: KdfParams = { N: 1024, r: 8, p: 1 };
const corrupt = { name: 'FerryError', code: 'corrupt_data' };

describe('seal / open', () => {
  it('round-trips any plaintext with its AAD; the overhead is 28 bytes', () => {
    const key = randomBytes(32);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ maxLength: 64 }), (plaintext, aad) => {
        const sealed = seal(key, plaintext, aad);
        assert.equal(sealed.length, plaintext.length + SEAL_OVERHEAD);
        assert.ok(open(key, sealed, aad).equals(plaintext));
      }),
    );
  });

  it('seals into a given buffer, and opens with a KeyObject as with the raw key', () => {
    const raw = randomBytes(32);
    const key = createSecretKey(raw);
    const out = Buffer.alloc(SEAL_OVERHEAD + 5);
    assert.equal(seal(key, Buffer.from('hello'), Buffer.from('id'), out), out);
    assert.equal(open(raw, out, Buffer.from('id')).toString(), 'hello');
    assert.throws(() => seal(key, Buffer.from('hello'), Buffer.from('id'), Buffer.alloc(SEAL_OVERHEAD + 4)), { code: 'internal' });
    assert.throws(() => seal(createSecretKey(randomBytes(16)), Buffer.from('x'), Buffer.from('id')), { code: 'internal' });
  });

  it('uses a fresh nonce every time', () => {
    const key = randomBytes(32);
    const a = seal(key, Buffer.from('same'), Buffer.from('id'));
    const b = seal(key, Buffer.from('same'), Buffer.from('id'));
    assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12));
  });

  it('rejects any flipped bit (nonce, ciphertext, tag) as corrupt_data', () => {
    const key = randomBytes(32);
    const aad = randomBytes(32);
    const sealed = seal(key, randomBytes(3000), aad);
    fc.assert(
      fc.property(fc.nat(sealed.length * 8 - 1), (bit) => {
        assert.throws(() => open(key, flipBit(sealed, bit), aad), corrupt);
      }),
      { numRuns: 500 },
    );
    // Every bit of the nonce and the tag, exhaustively.
    for (const bit of [...Array(12 * 8).keys(), ...Array.from({ length: 16 * 8 }, (_, k) => (sealed.length - 16) * 8 + k)]) {
      assert.throws(() => open(key, flipBit(sealed, bit), aad), corrupt);
    }
  });

  it('rejects another AAD (a blob moved to another id), another key, and truncation', () => {
    const key = randomBytes(32);
    const id = randomBytes(32);
    const sealed = seal(key, Buffer.from('chunk'), id);
    assert.throws(() => open(key, sealed, randomBytes(32)), corrupt);
    assert.throws(() => open(randomBytes(32), sealed, id), corrupt);
    for (const length of [0, 1, 27, sealed.length - 1]) assert.throws(() => open(key, sealed.subarray(0, length), id), corrupt);
    assert.throws(() => open(key, Buffer.concat([sealed, Buffer.of(0)]), id), corrupt);
    assert.throws(() => seal(randomBytes(16), Buffer.from('x'), id), { code: 'internal' });
  });
});

describe('key files', () => {
  it('creates a JSON key file that opens to the master key with the password only', async () => {
    const { keyFile, masterKey } = await createKeyFile('correct horse', { kdf: FAST });
    assert.equal(masterKey.length, MASTER_KEY_LENGTH);
    const stored = JSON.parse(JSON.stringify(keyFile)) as KeyFile;
    assert.deepEqual(Object.keys(stored).sort(), ['N', 'check', 'created', 'kdf', 'p', 'r', 'salt', 'version', 'wrapped']);
    assert.equal(stored.kdf, 'scrypt');
    assert.equal(Buffer.from(stored.salt, 'base64').length, 32);
    assert.equal(Buffer.from(stored.wrapped, 'base64').length, 60);
    assert.ok(!Number.isNaN(Date.parse(stored.created)));
    assert.ok((await openKeyFile(stored, 'correct horse')).equals(masterKey));
    await assert.rejects(openKeyFile(stored, 'correct horse!', 'backup "Nightly"'), {
      name: 'FerryError',
      code: 'wrong_password',
      message: 'The password is wrong for backup "Nightly".',
    });
    await assert.rejects(openKeyFile(stored, ''), { code: 'wrong_password' });
  });

  it('uses scrypt N=2^15, r=8, p=1 by default', async () => {
    assert.deepEqual({ ...DEFAULT_KDF }, { N: 32768, r: 8, p: 1 });
    const { keyFile, masterKey } = await createKeyFile('pw');
    assert.deepEqual([keyFile.N, keyFile.r, keyFile.p], [32768, 8, 1]);
    assert.ok((await openKeyFile(keyFile, 'pw')).equals(masterKey));
  });

  it('treats canonically equal Unicode passwords as the same password', async () => {
    const { keyFile, masterKey } = await createKeyFile('caf\u00e9', { kdf: FAST });
    assert.ok((await openKeyFile(keyFile, 'cafe\u0301')).equals(masterKey));
  });

  it('rewraps the same master key under a new password', async () => {
    const { keyFile, masterKey } = await createKeyFile('old', { kdf: FAST });
    const rewrapped = wrapKey(await openKeyFile(keyFile, 'old'), await derivePasswordKey('new', FAST));
    assert.notEqual(rewrapped.salt, keyFile.salt);
    assert.ok((await openKeyFile(rewrapped, 'new')).equals(masterKey));
    await assert.rejects(openKeyFile(rewrapped, 'old'), { code: 'wrong_password' });
    // A rewrapped key file gets at least today's default cost; a stronger one keeps its own.
    assert.deepEqual(rewrapCost(keyFile), DEFAULT_KDF);
    const strong: KdfParams = { N: 2 ** 16, r: 8, p: 1 };
    assert.deepEqual(rewrapCost({ ...keyFile, ...strong }), strong);
  });

  it('wraps further keys with the password key a key file was opened with: same salt, each opens with the password alone', async () => {
    const first = await createKeyFile('pw', { kdf: FAST });
    const { masterKey, passwordKey } = await unlockKeyFile(first.keyFile, 'pw');
    assert.ok(masterKey.equals(first.masterKey));
    const second = createKeyFileWith(passwordKey);
    assert.equal(second.keyFile.salt, first.keyFile.salt);
    assert.deepEqual([second.keyFile.N, second.keyFile.r, second.keyFile.p], [FAST.N, FAST.r, FAST.p]);
    assert.ok(!second.masterKey.equals(first.masterKey));
    assert.notEqual(second.keyFile.wrapped, first.keyFile.wrapped);
    assert.ok((await openKeyFile(second.keyFile, 'pw')).equals(second.masterKey));
    await assert.rejects(openKeyFile(second.keyFile, 'wrong'), { code: 'wrong_password' });
    await assert.rejects(unlockKeyFile(first.keyFile, 'wrong'), { code: 'wrong_password' });
  });

  it('refuses damaged or hostile key files with corrupt_data before deriving anything', async () => {
    const { keyFile } = await createKeyFile('pw', { kdf: FAST });
    const variants: unknown[] = [
      null,
      'text',
      { ...keyFile, version: 2 },
      { ...keyFile, kdf: 'argon2id' },
      { ...keyFile, N: 1000 },
      { ...keyFile, N: 2 ** 30 },
      { ...keyFile, r: 0 },
      { ...keyFile, p: 1000 },
      { ...keyFile, N: 2 ** 20, r: 16, p: 16 }, // within each bound, too slow together
      { ...keyFile, N: '1024' },
      { ...keyFile, salt: 'not base64!' },
      { ...keyFile, salt: '' },
      { ...keyFile, wrapped: Buffer.alloc(59).toString('base64') },
      { ...keyFile, created: 5 },
    ];
    for (const variant of variants) {
      assert.throws(() => parseKeyFile(variant, 'X'), { code: 'corrupt_data' }, JSON.stringify(variant));
      await assert.rejects(openKeyFile(variant as KeyFile, 'pw'), { code: 'corrupt_data' });
    }
  });

  it('refuses to create key files with unusable parameters (invalid_input)', async () => {
    for (const kdf of [{ N: 1000, r: 8, p: 1 }, { N: 2 ** 23, r: 8, p: 1 }, { N: 1024, r: 0, p: 1 }]) {
      await assert.rejects(createKeyFile('pw', { kdf }), { code: 'invalid_input' });
    }
  });

  it('finds a flipped bit in the wrapped key or the salt damaged (its check), not a wrong password', async () => {
    const { keyFile } = await createKeyFile('pw', { kdf: FAST });
    const wrapped = Buffer.from(keyFile.wrapped, 'base64');
    const salt = Buffer.from(keyFile.salt, 'base64');
    const variants = [
      ...[0, 100, 300, 479].map((bit) => ({ ...keyFile, wrapped: flipBit(wrapped, bit).toString('base64') })),
      { ...keyFile, salt: flipBit(salt, 7).toString('base64') },
      { ...keyFile, N: keyFile.N * 2 },
    ];
    for (const damaged of variants) {
      await assert.rejects(openKeyFile(damaged, 'pw', 'backup "Nightly"'), {
        code: 'corrupt_data',
        message: 'The key file of backup "Nightly" is damaged: its fields do not match its check (a byte of it changed).',
      });
    }
    // Intact, with its check: a failure to open is the password's.
    await assert.rejects(openKeyFile(keyFile, 'pW', 'backup "Nightly"'), { code: 'wrong_password', message: 'The password is wrong for backup "Nightly".' });
  });

  it('says a key file of before checks that does not open may be damaged (GCM cannot tell them apart)', async () => {
    const { keyFile } = await createKeyFile('pw', { kdf: FAST });
    const { check: _, ...old } = keyFile;
    const damaged = { ...old, wrapped: flipBit(Buffer.from(old.wrapped, 'base64'), 100).toString('base64') };
    const expected = { code: 'wrong_password', message: 'The password is wrong for X (or its key file, which has no check, is damaged).' };
    await assert.rejects(openKeyFile(damaged, 'pw', 'X'), expected);
    await assert.rejects(openKeyFile(old, 'nope', 'X'), expected);
    assert.ok((await openKeyFile(old, 'pw', 'X')).length === MASTER_KEY_LENGTH, 'it still opens with its password');
  });
});
