import type { RetentionSpec } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { compactWithLock, type CompactReport, describeCompaction } from '../maintenance/compact.ts';
import { describePoint, forgetPoints, type PointDecision, retentionDecisions, writeLockFor } from '../maintenance/forget.ts';
import { acquireReadLock } from '../repository/locks.ts';
import { Repository } from '../repository/repository.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import { escapeName } from './escape.ts';
import { openBackups } from './open-backups.ts';
import { cliPasswords, type CommandIo, findPoint, noteUnopened, withStore } from './repo-commands.ts';
import { processTimeZone } from '../../shared/schedule/local-time.ts';

/** What `ferry forget` did to one backup of the job. */
interface ForgetResult {
  backup: string;
  decisions: { id: string; workload: string; created: string; keep: boolean; reasons: string[] }[];
  removed: string[];
  compaction?: CompactReport;
}

/** Retention's decisions on the backup's points, under its write lock, and (not dry) the removed ones forgotten. */
async function forgetIn(io: CommandIo, backup: BackupStore, retention: RetentionSpec, dryRun: boolean): Promise<{ decisions: PointDecision[]; removed: string[] }> {
  // A dry run writes nothing: a read lock keeps only a compaction out while it reads.
  const lock = dryRun
    ? await acquireReadLock(backup.store, backup.folder, { purpose: 'ferry forget --dry-run', log: io.note })
    : await writeLockFor(backup, { purpose: 'ferry forget', log: io.note });
  try {
    const { points, damaged } = await backup.listPoints();
    for (const item of damaged) io.note(`warning: ${item.key} cannot be read: ${item.message} (not counted by retention)`);
    const decisions = retentionDecisions(points, retention, new Date().toISOString(), processTimeZone());
    const doomed = decisions.filter((decision) => !decision.keep).map((decision) => decision.point);
    const removed = dryRun ? [] : (await forgetPoints(backup, doomed, { held: true })).map((point) => point.id);
    return { decisions, removed };
  } finally {
    await lock?.release();
  }
}

/**
 * `ferry forget`: retention applied to each workload of the job's backup in the
 * repository (the local time zone's weeks, months and years; GFS flags as the points
 * carry them). A dry run lists what would be removed and why; otherwise the removed
 * points are forgotten and the backup is compacted, both printed.
 */
export async function forget(io: CommandIo, location: string, job: string, retention: RetentionSpec, dryRun: boolean): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const { opened, unopened } = await openBackups(repository, cliPasswords, job);
    noteUnopened(io, unopened);
    if (opened.length === 0 && unopened.length === 0) throw new FerryError('not_found', `No backup of the job "${job}" in ${store.location}: nothing was forgotten.`);
    const results: ForgetResult[] = [];
    for (const backup of opened) {
      const { decisions, removed } = await forgetIn(io, backup, retention, dryRun);
      const result: ForgetResult = {
        backup: backup.where,
        decisions: decisions.map(({ point, keep, reasons }) => ({ id: point.id, workload: point.workload, created: point.created, keep, reasons })),
        removed,
      };
      if (!dryRun) result.compaction = await compactWithLock(backup, { purpose: 'ferry forget', log: io.note });
      results.push(result);
    }
    io.print({ dryRun, backups: results }, () =>
      results
        .flatMap((result) => {
          const removing = result.decisions.filter((decision) => !decision.keep);
          const verb = dryRun ? 'would be removed' : 'removed';
          return [
            `${result.backup}:`,
            ...result.decisions.map((decision) => `  ${decision.keep ? 'keep  ' : dryRun ? 'remove' : 'removed'} ${escapeName(describePoint(decision, decision.reasons))}`),
            `${removing.length} point(s) ${verb}, ${result.decisions.length - removing.length} kept.`,
            ...(result.compaction ? describeCompaction(result.compaction) : []),
          ];
        })
        .join('\n'),
    );
    return unopened.length === 0 ? 0 : 1;
  });
}

/**
 * `ferry points rm`: forgets one point (its manifest goes at once); its data is reclaimed by
 * the next compaction, at once with `prune`. A dry run names the point and removes nothing.
 */
export async function pointsRm(io: CommandIo, location: string, pointId: string, options: { dryRun: boolean; prune: boolean; job: string | undefined }): Promise<number> {
  return withStore(location, async (store) => {
    const repository = await Repository.open(store);
    const backups = await openBackups(repository, cliPasswords, options.job);
    noteUnopened(io, backups.unopened);
    const { backup, point } = await findPoint(io, repository, backups, pointId);
    const what = describePoint(point, []);
    if (options.dryRun) {
      io.print({ dryRun: true, backup: backup.where, point: point.id, workload: point.workload, created: point.created }, () => `Would forget ${escapeName(what)} in ${backup.where}.`);
      return 0;
    }
    await forgetPoints(backup, [point], { purpose: 'ferry points rm', log: io.note });
    const compaction = options.prune ? await compactWithLock(backup, { purpose: 'ferry points rm --prune', log: io.note }) : undefined;
    io.print({ dryRun: false, backup: backup.where, point: point.id, workload: point.workload, created: point.created, ...(compaction ? { compaction } : {}) }, () =>
      [
        `Forgot ${escapeName(what)} in ${backup.where}.`,
        ...(compaction ? describeCompaction(compaction) : ['Its data stays stored until a compaction reclaims it (ferry points rm --prune, or ferry gc).']),
      ].join('\n'),
    );
    return 0;
  });
}
