import { type ErrorCode, FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { Repository } from '../repository/repository.ts';

/** A backup the CLI could not open, and why (shown; it hides no other backup). */
export interface UnopenedBackup {
  folder: string;
  /** The job's name from its config; the folder when the config cannot be read. */
  name: string;
  message: string;
  /** corrupt_data: its config or key file is damaged; wrong_password: no password opened it. */
  code: ErrorCode | undefined;
}

export interface BackupPasswords {
  /** FERRY_PASSWORD, tried first on every encrypted backup. */
  given: string | undefined;
  /** Asks for one backup's password (at the terminal); undefined: none to be had, or skipped. */
  ask(what: string): Promise<string | undefined>;
}

export interface OpenedBackups {
  opened: BackupStore[];
  /** The password that opened each encrypted backup, by folder (to open it again). */
  passwords: Map<string, string>;
  unopened: UnopenedBackup[];
}

/**
 * The repository's backups (or the job's alone, or the one in `folderOnly`), each opened for its points with the
 * password it needs: none for a plain one; for an encrypted one the given password, one
 * that opened another backup, else what `ask` gets. Backups in one repository may have
 * different passwords (an encrypted job in a plain repository), and one that cannot be
 * opened is reported beside the others, never in their way. Restore and verify read the
 * index themselves, under the backup's lock.
 */
export async function openBackups(repository: Repository, passwords: BackupPasswords, job?: string, folderOnly?: string): Promise<OpenedBackups> {
  const result: OpenedBackups = { opened: [], passwords: new Map(), unopened: [] };
  const known = new Set(passwords.given === undefined ? [] : [passwords.given]);
  for (const folder of await repository.listBackupFolders()) {
    if (folderOnly !== undefined && folder !== folderOnly) continue;
    let name = folder;
    try {
      const config = await repository.readBackupConfig(folder);
      name = config.name;
      if (job !== undefined && name !== job) continue;
      if (!config.encryption) {
        result.opened.push(await repository.openBackup(folder, undefined, { index: false }));
        continue;
      }
      const { backup, password } = await openEncrypted(repository, folder, name, known, passwords);
      result.opened.push(backup);
      result.passwords.set(folder, password);
    } catch (error) {
      // The store gone is no backup's failure: the command fails.
      if (!(error instanceof FerryError) || error.code === 'repo_unavailable') throw error;
      result.unopened.push({ folder, name, message: error.message, code: error.code });
    }
  }
  return result;
}

async function openEncrypted(
  repository: Repository,
  folder: string,
  name: string,
  known: Set<string>,
  passwords: BackupPasswords,
): Promise<{ backup: BackupStore; password: string }> {
  let failure: unknown = new FerryError('wrong_password', `The backup "${name}" is encrypted and no password was given for it: set FERRY_PASSWORD, or give it when asked at a terminal.`);
  const attempt = async (password: string): Promise<{ backup: BackupStore; password: string } | undefined> => {
    try {
      const backup = await repository.openBackup(folder, password, { index: false });
      known.add(password);
      return { backup, password };
    } catch (error) {
      if (!(error instanceof FerryError) || error.code !== 'wrong_password') throw error;
      failure = error;
      return undefined;
    }
  };
  for (const password of known) {
    const opened = await attempt(password);
    if (opened) return opened;
  }
  const asked = await passwords.ask(`the backup "${name}" at ${repository.store.location}/${folder}`);
  const opened = asked === undefined ? undefined : await attempt(asked);
  if (opened) return opened;
  throw failure;
}
