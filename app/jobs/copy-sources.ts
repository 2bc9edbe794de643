import type { BackupCopyJob, CopySource, JobDefinition } from '../../shared/domain/job.ts';
import { FerryError, fieldError } from '../../shared/rpc/errors.ts';
import type { SourceBackup, UnavailableSource } from '../copy/run-copy.ts';
import type { Throttle } from '../copy/throttle.ts';
import type { PasswordLookup } from '../repositories/inventory.ts';
import type { RepositoryRegistry } from '../repositories/registry.ts';
import type { BackupConfig } from '../repository/schemas.ts';
import type { BackupSummary } from '../../shared/domain/backup.ts';

export interface SourceContext {
  registry: RepositoryRegistry;
  job(id: string): JobDefinition | undefined;
  passwordFor: PasswordLookup;
  /** The traffic rules a transfer from one repository to another falls under. */
  throttleBetween(fromRepositoryId: string, toRepositoryId: string): Throttle;
}

/** A backup of a repository the source names, before it is opened. */
interface Wanted {
  repositoryId: string;
  match: (config: BackupConfig) => boolean;
  workloads?: string[] | undefined;
  /** What to call the source when none of its backups can be found. */
  label?: string;
}

function wantedOf(source: CopySource, context: SourceContext, targetId: string): Wanted[] | UnavailableSource {
  switch (source.kind) {
    case 'job': {
      const job = context.job(source.jobId);
      if (!job) return { label: 'a source job', reason: 'it was deleted: remove it from the sources' };
      return [{ repositoryId: job.repositoryId, match: (config) => config.jobId === source.jobId, label: `job "${job.name}"` }];
    }
    case 'backup':
      return [{ repositoryId: source.repositoryId, match: (config) => config.id === source.backupId, workloads: source.workloads.length > 0 ? source.workloads : undefined, label: 'a chosen backup' }];
    case 'workload':
      return context.registry
        .registered()
        .filter((repo) => repo.id !== targetId)
        .map((repo) => ({ repositoryId: repo.id, match: () => true, workloads: [source.workload] }));
    case 'repository':
      return [{ repositoryId: source.repositoryId, match: () => true }];
  }
}

/**
 * The backups a copy job reads from now: job sources follow their job (dynamically),
 * repository sources take every backup there. A source that cannot be reached or
 * opened is reported (its workloads fail), never silently skipped; a source in the
 * target repository is refused.
 */
export async function resolveSources(job: BackupCopyJob, context: SourceContext): Promise<{ sources: SourceBackup[]; unavailable: UnavailableSource[] }> {
  const sources: SourceBackup[] = [];
  const unavailable: UnavailableSource[] = [];
  const seen = new Set<string>();
  for (const source of job.sources) {
    const wanted = wantedOf(source, context, job.repositoryId);
    if (!Array.isArray(wanted)) {
      unavailable.push(wanted);
      continue;
    }
    for (const want of wanted) {
      const repoName = context.registry.registered().find((repo) => repo.id === want.repositoryId)?.name;
      if (repoName === undefined) {
        unavailable.push({ label: want.label ?? 'a source repository', reason: 'its repository is no longer registered' });
        continue;
      }
      if (want.repositoryId === job.repositoryId) {
        unavailable.push({ label: want.label ?? repoName, reason: `it is in "${repoName}", the job's target: a copy must go to another repository` });
        continue;
      }
      let found = 0;
      try {
        const repository = await context.registry.open(want.repositoryId);
        /** One backup, opened; one whose password Ferry lacks or has wrong is reported instead. */
        const openSource = async (folder: string, config: BackupConfig): Promise<SourceBackup | UnavailableSource> => {
          try {
            const password = config.encryption ? await context.passwordFor(config) : undefined;
            return {
              backup: await repository.openBackup(folder, password, { index: false }),
              repository: want.repositoryId,
              workloads: want.workloads,
              throttle: context.throttleBetween(want.repositoryId, job.repositoryId),
            };
          } catch (error) {
            // A damaged key file hides this backup only, never the others of its repository.
            if (error instanceof FerryError && error.code === 'corrupt_data') return { label: `${repoName}/${folder}`, reason: error.message };
            if (!(error instanceof FerryError) || error.code !== 'wrong_password') throw error;
            return { label: `${repoName}/${folder}`, reason: `${error.message} Unlock the backup on the Backups page.` };
          }
        };
        // Each backup's key is a scrypt derivation: they are opened at once (on the thread pool), kept in folder order.
        const opening: Promise<SourceBackup | UnavailableSource>[] = [];
        for (const { folder, config } of await repository.listBackups()) {
          if (!want.match(config)) continue;
          // Found, even when another source already brought the same backup (then it is not opened twice).
          found++;
          const key = `${config.id}/${want.workloads?.join('\0') ?? '*'}`;
          if (seen.has(key)) continue;
          seen.add(key);
          opening.push(openSource(folder, config));
        }
        for (const opened of await Promise.all(opening)) {
          if ('backup' in opened) sources.push(opened);
          else unavailable.push(opened);
        }
      } catch (error) {
        unavailable.push({ label: want.label ?? repoName, reason: `${repoName} cannot be read: ${(error as Error).message}` });
        continue;
      }
      if (found === 0 && source.kind === 'job') {
        unavailable.push({ label: want.label ?? repoName, reason: `the source job has no backup in "${repoName}" yet`, warning: true });
      } else if (found === 0 && source.kind === 'backup') {
        unavailable.push({ label: want.label ?? repoName, reason: `it is not in "${repoName}" any more` });
      }
    }
  }
  return { sources, unavailable };
}

/**
 * Refuses an unencrypted copy job, without allowPlaintext, of a source known now to be
 * encrypted (an encrypted source job, or an encrypted backup the catalog knows), with the
 * message at the allowPlaintext field. Sources that become encrypted later are refused at
 * run time (runCopy), workload by workload.
 */
export function checkPlaintext(job: BackupCopyJob, jobOf: (id: string) => JobDefinition | undefined, backups: readonly BackupSummary[]): void {
  if (job.storage.encrypted || job.allowPlaintext) return;
  const encrypted = backups.filter((backup) => backup.encrypted && backup.repositoryId !== job.repositoryId);
  const known = job.sources.flatMap((source): string[] => {
    switch (source.kind) {
      case 'job': {
        const sourceJob = jobOf(source.jobId);
        const isEncrypted = sourceJob?.storage.encrypted || encrypted.some((backup) => backup.jobId === source.jobId);
        return isEncrypted ? [`the job "${sourceJob?.name ?? source.jobId}"`] : [];
      }
      case 'backup':
        return encrypted.filter((backup) => backup.backupId === source.backupId).map((backup) => `the backup "${backup.name}"`);
      case 'repository':
        return encrypted.filter((backup) => backup.repositoryId === source.repositoryId).map((backup) => `the backup "${backup.name}"`);
      case 'workload':
        return encrypted.filter((backup) => backup.workloads.some((w) => w.name === source.workload)).map((backup) => `the backup "${backup.name}"`);
    }
  });
  if (known.length === 0) return;
  const which = [...new Set(known)].join(', ');
  throw fieldError({
    allowPlaintext: `This copy is not encrypted, and its sources include encrypted ones (${which}): their data would be stored unencrypted on the target. Encrypt the copy, or allow plaintext copies.`,
  });
}

/**
 * Why each source of a copy job cannot be taken, by field (`definition.sources.N`): a job
 * that does not exist, a repository no longer registered, a backup not in its repository.
 * A backup the catalog does not list is looked for again in its repository (one listing)
 * before it is refused: it may have been written since the last scan.
 */
export async function sourceErrors(
  job: BackupCopyJob,
  context: { jobOf: (id: string) => JobDefinition | undefined; registry: RepositoryRegistry; backups: () => readonly BackupSummary[]; rescan: (repositoryId: string) => Promise<unknown> },
): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const [index, source] of job.sources.entries()) {
    const field = `definition.sources.${index}`;
    if (source.kind === 'job') {
      if (!context.jobOf(source.jobId)) fields[field] = 'This source job does not exist any more: remove it from the sources.';
      continue;
    }
    if (source.kind === 'workload') continue;
    const repository = context.registry.registered().find((repo) => repo.id === source.repositoryId);
    if (repository === undefined) {
      fields[field] = 'The repository of this source is not registered any more: add it again on the Repositories page, or remove the source.';
      continue;
    }
    if (source.kind === 'repository') continue;
    const listed = () => context.backups().some((backup) => backup.repositoryId === source.repositoryId && backup.backupId === source.backupId);
    if (listed()) continue;
    try {
      await context.rescan(source.repositoryId);
    } catch (error) {
      fields[field] = `${repository.name} cannot be read now, so this backup cannot be checked: ${(error as Error).message}`;
      continue;
    }
    if (!listed()) fields[field] = `This backup is not in ${repository.name} (any more): choose one of the backups there, or remove the source.`;
  }
  return fields;
}

/** Refuses a copy job whose target is a source's repository, with the message at the target field. */
export function checkCopyTarget(job: BackupCopyJob, jobOf: (id: string) => JobDefinition | undefined): void {
  for (const source of job.sources) {
    const repositoryId = source.kind === 'job' ? jobOf(source.jobId)?.repositoryId : source.kind === 'workload' ? undefined : source.repositoryId;
    if (repositoryId === job.repositoryId) {
      throw fieldError({ repositoryId: 'The target is a source\'s repository: a copy must go to another repository (3-2-1).' });
    }
  }
}
