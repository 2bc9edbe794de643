import { createHash } from 'node:crypto';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { BackupCopyJob, JobDefinition } from '../../shared/domain/job.ts';

/** The repositories a copy job reads from; undefined: every one but its target (a workload source). */
export function sourceRepositories(job: BackupCopyJob, jobOf: (id: string) => JobDefinition | undefined): Set<string> | undefined {
  const ids = new Set<string>();
  for (const source of job.sources) {
    if (source.kind === 'workload') return undefined;
    const id = source.kind === 'job' ? jobOf(source.jobId)?.repositoryId : source.repositoryId;
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/**
 * What a copy job's sources hold, as the catalog's inventory knows it (points per
 * workload, the newest, of the backups its sources take): a new point there changes it. A copy job waiting for a point
 * runs again only when it changes, so an idle source makes no empty sessions.
 */
export function sourceFingerprint(job: BackupCopyJob, jobOf: (id: string) => JobDefinition | undefined, backups: readonly BackupSummary[]): string {
  const rows = new Set<string>();
  for (const source of job.sources) {
    for (const b of backups) {
      if (b.repositoryId === job.repositoryId) continue;
      const taken =
        source.kind === 'job'
          ? b.jobId === source.jobId && b.repositoryId === jobOf(source.jobId)?.repositoryId
          : source.kind === 'backup'
            ? b.backupId === source.backupId
            : source.kind === 'repository'
              ? b.repositoryId === source.repositoryId
              : b.workloads.some((w) => w.name === source.workload);
      if (taken) rows.add(`${b.repositoryId}/${b.folder}:${b.workloads.map((w) => `${w.name}=${w.points}@${w.newest ?? ''}`).join(',')}`);
    }
  }
  return createHash('sha256').update([...rows].sort().join('\n')).digest('hex');
}
