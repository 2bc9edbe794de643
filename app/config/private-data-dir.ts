import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export interface PrivacySeams {
  platform?: NodeJS.Platform;
  chmod?: (path: string, mode: number) => void;
}

/** Makes a folder inside the data folder, 0700 whatever the umask. */
export function makePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  chmodSync(folder, PRIVATE_FOLDER_MODE);
}

/**
 * Makes the data folder private to the user who runs the engine: the catalog, the
 * sealed secrets and their key, and the default repository live there, and a session
 * of `ferry serve` is worth as much as the user's own account. The folder becomes 0700
 * (whatever the umask) and what is at its top 0600 files / 0700 folders, so a folder
 * made by an older Ferry is fixed too; what is below a private folder is out of others'
 * reach already. Returns one warning per item it could not fix, naming what to do.
 *
 * Windows has no modes: a data folder under the user's profile (%APPDATA%) inherits the
 * profile's ACL, which only that user, SYSTEM and administrators can read.
 */
export function makeDataDirPrivate(dataDir: string, seams: PrivacySeams = {}): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if ((seams.platform ?? process.platform) === 'win32') return [];
  const chmod = seams.chmod ?? chmodSync;
  const warnings: string[] = [];
  // The folder itself may be a link the admin made to where the data lives; a link inside it is not followed.
  const fix = (path: string, mode: number, follow = false) => {
    const current = follow ? statSync(path) : lstatSync(path);
    if (current.isSymbolicLink() || (current.mode & 0o777) === mode) return;
    try {
      chmod(path, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      warnings.push(
        `${path} is readable by other users of this machine and could not be made private (${code}): run chmod ${mode.toString(8)} "${path}" as its owner.`,
      );
    }
  };
  fix(dataDir, PRIVATE_FOLDER_MODE, true);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isDirectory()) fix(join(dataDir, entry.name), PRIVATE_FOLDER_MODE);
    else if (entry.isFile()) fix(join(dataDir, entry.name), PRIVATE_FILE_MODE);
  }
  return warnings;
}
