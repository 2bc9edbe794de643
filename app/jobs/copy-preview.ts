import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { CopyPreviewInput, CopyPreviewRow, CopySource, JobDefinition } from '../../shared/domain/job.ts';

/** Why a workload a source names explicitly is not copied: it has no point yet (it is still in the job). */
export const NO_POINT_YET = 'no restore point yet';

function sourceTakes(source: CopySource, backup: BackupSummary, jobOf: (id: string) => JobDefinition | undefined): string[] | 'all' | undefined {
  switch (source.kind) {
    case 'job': {
      const job = jobOf(source.jobId);
      return job && backup.jobId === source.jobId && backup.repositoryId === job.repositoryId ? 'all' : undefined;
    }
    case 'backup':
      if (backup.backupId !== source.backupId || backup.repositoryId !== source.repositoryId) return undefined;
      return source.workloads.length > 0 ? source.workloads : 'all';
    case 'workload':
      return backup.workloads.some((w) => w.name === source.workload) ? [source.workload] : undefined;
    case 'repository':
      return backup.repositoryId === source.repositoryId ? 'all' : undefined;
  }
}

/**
 * The workloads a copy job would process now, from the catalog's inventory (no
 * repository is read): what the wizard shows under the sources. The run itself
 * resolves the sources again against the repositories.
 */
export function previewCopy(input: CopyPreviewInput, backups: readonly BackupSummary[], jobOf: (id: string) => JobDefinition | undefined): CopyPreviewRow[] {
  const excluded = new Set(input.exclusions.map((name) => name.toLowerCase()));
  const rows = new Map<string, CopyPreviewRow>();
  for (const backup of backups) {
    const takes = input.sources.map((source) => sourceTakes(source, backup, jobOf)).filter((take) => take !== undefined);
    if (takes.length === 0) continue;
    const base = { repositoryId: backup.repositoryId, folder: backup.folder, backupName: backup.name };
    if (!backup.readable) {
      rows.set(`${backup.repositoryId}/${backup.folder}/`, { ...base, workload: '', points: 0, newest: null, skipped: 'encrypted: unlock it on the Backups page to copy it' });
      continue;
    }
    const taken = new Set(takes.flatMap((take) => (take === 'all' ? backup.workloads.map((w) => w.name) : take)));
    for (const name of taken) {
      const workload = backup.workloads.find((w) => w.name === name);
      const skipped =
        backup.repositoryId === input.repositoryId
          ? 'in the target repository'
          : excluded.has(name.toLowerCase())
            ? 'excluded'
            : workload === undefined
              ? NO_POINT_YET
              : null;
      rows.set(`${backup.repositoryId}/${backup.folder}/${name}`, { ...base, workload: name, points: workload?.points ?? 0, newest: workload?.newest ?? null, skipped });
    }
  }
  return [...rows.values()].sort((a, b) => a.workload.localeCompare(b.workload) || a.backupName.localeCompare(b.backupName));
}
