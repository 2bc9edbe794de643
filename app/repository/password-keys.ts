import { FerryError } from '../../shared/rpc/errors.ts';
import { type KeyFile, openKeyFileWith, type PasswordKey, passwordKeyFor } from '../format/crypto.ts';

/**
 * What passwords derive for a repository's key files, each derived once. In an encrypted
 * repository every backup's key file is wrapped with the repository's password key (the
 * same salt and cost: Repository.newBackupKey), so opening the repository and all of its
 * backups costs one scrypt derivation (32 MiB, ~0.1 s) instead of one each. What a wrong
 * password derived is not kept: it opens nothing, and the password should not linger.
 */
export class PasswordKeys {
  private readonly derived = new Map<string, Promise<PasswordKey>>();
  /** Derivations that opened a key file: one that fails another key file of the same salt and cost finds it damaged. */
  private readonly opened = new Set<string>();

  /** The master key of a (parsed) key file and the password key that opened it, or FerryError('wrong_password'). */
  async unlock(keyFile: KeyFile, password: string, name: string): Promise<{ masterKey: Buffer; passwordKey: PasswordKey }> {
    const id = `${keyFile.N}/${keyFile.r}/${keyFile.p}/${keyFile.salt}/${password}`;
    let derived = this.derived.get(id);
    if (!derived) {
      derived = passwordKeyFor(keyFile, password);
      this.derived.set(id, derived);
      derived.catch(() => this.derived.delete(id));
    }
    const passwordKey = await derived;
    try {
      const masterKey = openKeyFileWith(keyFile, passwordKey, name);
      this.opened.add(id);
      return { masterKey, passwordKey };
    } catch (error) {
      if (this.opened.has(id)) {
        throw new FerryError('corrupt_data', `The key file of ${name} is damaged: the password opens the other key files wrapped with it (the same salt), not this one.`);
      }
      if (this.derived.get(id) === derived) this.derived.delete(id);
      throw error;
    }
  }
}
