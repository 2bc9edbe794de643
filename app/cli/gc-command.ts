import { FerryError } from '../../shared/rpc/errors.ts';
import { compactWithLock, type CompactReport, describeCompaction } from '../maintenance/compact.ts';
import { Repository } from '../repository/repository.ts';
import { escapeName } from './escape.ts';
import { openBackups } from './open-backups.ts';
import { askedFailed, cliPasswords, noteUnopened, withStore } from './backup-access.ts';
import type { CommandIo } from './repo-commands.ts';

/** A backup whose compaction did not run or stopped, and why. */
interface GcFailure {
  folder: string;
  code: string;
  message: string;
}

/**
 * `ferry gc`: compacts each backup of the repository (or the one in `folder`) under its
 * exclusive lock, taken without waiting (a run using the backup is named, and that
 * backup left for later). Prints what each removes and reclaims; `dryRun` only says it.
 * Exit 1 when any backup could not be opened or compacted: the others are still done.
 */
export async function gc(io: CommandIo, location: string, options: { dryRun: boolean; folder?: string | undefined }): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const { opened, unopened } = await openBackups(repository, cliPasswords, undefined, options.folder);
    noteUnopened(io, unopened);
    if (options.folder !== undefined && opened.length + unopened.length === 0) {
      throw new FerryError('not_found', `There is no backup "${escapeName(options.folder)}" in ${store.location}.`);
    }
    const reports: CompactReport[] = [];
    const failed: GcFailure[] = [];
    for (const backup of opened) {
      try {
        reports.push(await compactWithLock(backup, { purpose: options.dryRun ? 'compaction dry run (ferry gc --dry-run)' : 'compaction (ferry gc)', dryRun: options.dryRun, log: io.note }));
      } catch (error) {
        // The storage gone fails the command; anything else is this backup's.
        if (!(error instanceof FerryError) || error.code === 'repo_unavailable') throw error;
        failed.push({ folder: backup.folder, code: error.code, message: error.message });
      }
    }
    io.print({ dryRun: options.dryRun, backups: reports, failed }, () =>
      [
        ...reports.flatMap((report) => describeCompaction(report)),
        ...failed.map((failure) => `NOT COMPACTED ${failure.folder}: ${failure.message} (${failure.code})`),
        ...(reports.length + failed.length === 0 ? ['No backup to compact.'] : []),
      ].join('\n'),
    );
    return failed.length === 0 && !askedFailed(unopened, undefined) ? 0 : 1;
  });
}
