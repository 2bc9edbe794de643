import type { BackupStore } from './backup-store.ts';
import { count } from '../../shared/format/count.ts';

/**
 * What crashed runs left in a backup, cleared at a run's start under its write lock: points
 * still marked as being written, and the temporary files of runs killed on this host (a
 * folder's; a live run's are never touched). A temporary file that cannot be removed is
 * said and left: it takes space, nothing reads it.
 */
export async function clearLeftovers(backup: BackupStore, log: (message: string) => void): Promise<void> {
  for (const marker of await backup.listWriting()) await backup.clearWriting(marker.pointId);
  const removed = await backup.store.removeDeadTemporaries?.(`${backup.folder}/`).catch((error: unknown) => {
    log(`The temporary files killed runs left in ${backup.where} could not be removed: ${(error as Error).message}`);
    return 0;
  });
  if (removed) log(`Removed ${count(removed, 'temporary file', 'temporary files')} that killed runs left in ${backup.where}.`);
}
