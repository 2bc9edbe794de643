import type { BackupSummary } from '../../../shared/domain/backup.ts';
import type { CopySource } from '../../../shared/domain/job.ts';

/** Names the page knows, to say a source in words (never an id). */
export interface SourceNames {
  job: (jobId: string) => string | undefined;
  repository: (repositoryId: string) => string | undefined;
  backup: (repositoryId: string, backupId: string) => Pick<BackupSummary, 'name'> | undefined;
}

/** A source in words: "Job “Daily”: every workload of it". */
export function describeSource(source: CopySource, names: SourceNames): { title: string; detail: string } {
  switch (source.kind) {
    case 'job': {
      const name = names.job(source.jobId);
      return name === undefined
        ? { title: 'A job that no longer exists', detail: 'Remove this source: its job was deleted.' }
        : { title: `Job “${name}”`, detail: 'Every workload of the job, including ones added to it later.' };
    }
    case 'backup': {
      const backup = names.backup(source.repositoryId, source.backupId);
      const repository = names.repository(source.repositoryId) ?? 'a removed repository';
      const title = backup ? `Backup “${backup.name}” on ${repository}` : `A backup on ${repository} that is no longer listed`;
      const detail =
        source.workloads.length === 0
          ? 'Every workload of the backup, including ones added later.'
          : `Only ${source.workloads.length === 1 ? 'the workload' : 'the workloads'} ${source.workloads.map((w) => `“${w}”`).join(', ')}.`;
      return { title, detail };
    }
    case 'workload':
      return { title: `Workload “${source.workload}”`, detail: 'Its newest restore point, from whichever backup has it.' };
    case 'repository': {
      const name = names.repository(source.repositoryId);
      return name === undefined
        ? { title: 'A repository that is no longer registered', detail: 'Remove this source, or add the repository again.' }
        : { title: `Repository “${name}”`, detail: 'Every backup in it, including ones that appear later.' };
    }
  }
}

/** Whether two sources take the same thing (adding it twice is refused at the picker). */
export function sameSource(a: CopySource, b: CopySource): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'job':
      return a.jobId === (b as typeof a).jobId;
    case 'backup':
      return a.repositoryId === (b as typeof a).repositoryId && a.backupId === (b as typeof a).backupId;
    case 'workload':
      return a.workload.toLowerCase() === (b as typeof a).workload.toLowerCase();
    case 'repository':
      return a.repositoryId === (b as typeof a).repositoryId;
  }
}

/**
 * At most how many bytes the first run moves: the stored size of each backup the copied
 * workloads come from (chunks the target already has are not moved, so it is an upper bound).
 */
export function firstRunBound(rows: readonly { repositoryId: string; folder: string; skipped: string | null }[], backups: readonly BackupSummary[]): number {
  const read = new Set(rows.filter((row) => row.skipped === null).map((row) => `${row.repositoryId}/${row.folder}`));
  return backups.filter((backup) => read.has(`${backup.repositoryId}/${backup.folder}`)).reduce((sum, backup) => sum + backup.sizeBytes, 0);
}

/**
 * The backups of the target a copy job may continue: copy jobs' backups that no other
 * job of this engine continues (the engine refuses the others at the run).
 */
export function mappableBackups(backups: readonly BackupSummary[], repositoryId: string, jobId: string | null, jobExists: (id: string) => boolean): BackupSummary[] {
  return backups.filter(
    (backup) => backup.repositoryId === repositoryId && backup.kind === 'backup-copy' && (backup.jobId === null || backup.jobId === jobId || !jobExists(backup.jobId)),
  );
}
