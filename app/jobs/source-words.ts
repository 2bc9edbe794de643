import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { CopySource, JobDefinition } from '../../shared/domain/job.ts';

/** Names the catalog knows, for saying what a job takes its data from. */
export interface Names {
  job(id: string): string | undefined;
  repository(id: string): string | undefined;
  backups: readonly BackupSummary[];
}

function sourceWords(source: CopySource, names: Names): string {
  switch (source.kind) {
    case 'job': {
      const name = names.job(source.jobId);
      return name === undefined ? 'a job that was deleted' : `job ${name}`;
    }
    case 'backup': {
      const repository = names.repository(source.repositoryId) ?? 'a removed repository';
      const backup = names.backups.find((b) => b.repositoryId === source.repositoryId && b.backupId === source.backupId);
      const which = source.workloads.length > 0 ? ` (${source.workloads.join(', ')})` : '';
      return backup === undefined ? `a backup no longer listed on ${repository}${which}` : `backup ${backup.name} on ${repository}${which}`;
    }
    case 'workload':
      return `workload ${source.workload}`;
    case 'repository':
      return `repository ${names.repository(source.repositoryId) ?? '(removed)'}`;
  }
}

/** What a job takes its data from, in words: a copy job's sources, a folder backup job's workloads. */
export function jobSources(definition: JobDefinition, names: Names): string[] {
  return definition.kind === 'folder-backup' ? definition.workloads.map((workload) => workload.name) : definition.sources.map((source) => sourceWords(source, names));
}
