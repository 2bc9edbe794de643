import { type JobDefinition, jobDefinition } from '../../shared/domain/job.ts';
import type { RepositoryUser } from '../../shared/domain/repository.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { Catalog } from '../catalog/catalog.ts';

/** Why a job whose target repository is not registered cannot run, and what to do. */
export function missingTarget(jobName: string): FerryError {
  return new FerryError('conflict', `The target repository of “${jobName}” was removed. Add it again on the Repositories page, or edit the job.`);
}

/**
 * The jobs that use a repository: those writing to it, and the copy jobs reading from it
 * (a backup or every backup there, or a job whose target it is). Removing it stops them.
 */
export function repositoryUsers(catalog: Catalog, repositoryId: string): RepositoryUser[] {
  const rows = catalog.db.prepare('SELECT id, definition FROM jobs ORDER BY name COLLATE NOCASE').all() as { id: string; definition: string }[];
  const jobs = new Map<string, JobDefinition>(rows.map((row) => [row.id, jobDefinition.parse(JSON.parse(row.definition))]));
  const readsFrom = (definition: JobDefinition) =>
    definition.kind === 'backup-copy' &&
    definition.sources.some((source) =>
      source.kind === 'job' ? jobs.get(source.jobId)?.repositoryId === repositoryId : source.kind !== 'workload' && source.repositoryId === repositoryId,
    );
  return [...jobs].flatMap(([id, definition]): RepositoryUser[] =>
    definition.repositoryId === repositoryId
      ? [{ id, name: definition.name, use: 'target' }]
      : readsFrom(definition)
        ? [{ id, name: definition.name, use: 'source' }]
        : [],
  );
}
