import type { DamagedItem } from '../repository/backup-store.ts';
import { keys } from '../repository/layout.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { escapeName } from './escape.ts';
import { closeStore, storeFromArgument } from './location.ts';
import type { BackupPasswords, UnopenedBackup } from './open-backups.ts';
import { askPassword } from './password.ts';
import type { CommandIo } from './repo-commands.ts';

/*
 * What commands that open a repository's backups share (apart from repo-commands.ts, so
 * that a command importing them does not load backup, restore and verify).
 */

export async function withStore<T>(argument: string, work: (store: ObjectStore) => Promise<T>, create = false): Promise<T> {
  const store = await storeFromArgument(argument, { create });
  try {
    return await work(store);
  } finally {
    closeStore(store);
  }
}

/** FERRY_PASSWORD for every encrypted backup; at a terminal, asked for a backup it does not open. */
export const cliPasswords: BackupPasswords = { given: process.env['FERRY_PASSWORD'] || undefined, ask: askPassword };

/**
 * The backups that could not be opened, on stderr: one whose config or key file is
 * damaged as damage (returned, for verify's count), the others (no password, a wrong one)
 * named with why. Either hides no other backup.
 */
export function noteUnopened(io: CommandIo, unopened: readonly UnopenedBackup[]): DamagedItem[] {
  const damaged: DamagedItem[] = [];
  for (const backup of unopened) {
    if (backup.code === 'corrupt_data') damaged.push({ key: keys.backupConfig(backup.folder), message: backup.message });
    else io.note(`ferry: could not open the backup "${escapeName(backup.name)}" (${backup.folder}): ${backup.message} (${backup.code ?? 'error'})`);
  }
  warnDamaged(io, damaged);
  return damaged;
}

/** Whether a backup asked for could not be opened: any, or with --job the job's (one whose config is unreadable is named, but may be another job's). */
export function askedFailed(unopened: readonly UnopenedBackup[], job: string | undefined): boolean {
  return unopened.some((backup) => job === undefined || backup.name === job);
}

/** Damage that hides nothing else, on stderr: the command goes on with everything intact. */
export function warnDamaged(io: CommandIo, damaged: readonly DamagedItem[]): void {
  for (const item of damaged) io.note(`warning: ${item.key} cannot be read: ${item.message}`);
}
