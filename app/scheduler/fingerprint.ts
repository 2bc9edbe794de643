import { createHash } from 'node:crypto';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { BackupCopyJob, JobDefinition } from '../../shared/domain/job.ts';
import { previewCopy } from '../jobs/copy-preview.ts';

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
 * What a copy job's sources hold for it, as the catalog's inventory knows it: the
 * workloads it would copy (the copy preview: its sources' choices, its exclusions), their
 * point counts and newest points. A copy job waiting for a point runs again only when
 * this changes, so an idle source, or a new point of a workload it does not copy, makes
 * no empty sessions.
 */
export function sourceFingerprint(job: BackupCopyJob, jobOf: (id: string) => JobDefinition | undefined, backups: readonly BackupSummary[]): string {
  const rows = previewCopy({ sources: job.sources, exclusions: job.exclusions, repositoryId: job.repositoryId }, backups, jobOf)
    .filter((row) => row.skipped === null)
    .map((row) => `${row.repositoryId}/${row.folder}/${row.workload}=${row.points}@${row.newest ?? ''}`);
  return createHash('sha256').update(rows.sort().join('\n')).digest('hex');
}
