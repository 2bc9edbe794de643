import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { backupSummary } from '../domain/backup.ts';
import { addRepositoryInput, locationInput, repository, repositoryUser, USAGE_HISTORY_DAYS, usageSample } from '../domain/repository.ts';
import { none } from './common.ts';

/** Repositories and the backups in them. */
export const repositoryCommands = {
  'repos.list': command('List the registered repositories with their reachability.', none, z.array(repository)),
  'repos.add': command('Register a repository, creating its folder if needed.', addRepositoryInput, repository),
  'repos.remove': command(
    'Unregister a repository (its data stays where it is), or with dryRun only say which jobs use it. Adding its folder or bucket again gives it back to them.',
    z.object({ id: z.string().min(1), dryRun: z.boolean().optional() }).strict(),
    z.object({ id: z.string(), removed: z.boolean(), jobs: z.array(repositoryUser) }),
  ),
  'repos.usage': command(
    "Each repository's size over time (its backups' stored bytes, free and total space): a sample an hour at most, and one after each job run.",
    z.object({ repositoryId: z.string().min(1).optional(), days: z.number().int().min(1).max(USAGE_HISTORY_DAYS).default(30) }).strict(),
    z.array(z.object({ repositoryId: z.string(), samples: z.array(usageSample) })),
  ),
  'repos.testConnection': command(
    'Check that a location is reachable and writable, without registering it.',
    z.object({ location: locationInput }).strict(),
    z.object({ message: z.string() }),
  ),
  'repos.rescan': command(
    'Scan a repository for backups (a backup folder copied in by hand is imported).',
    z.object({ id: z.string().min(1) }).strict(),
    z.array(backupSummary),
  ),
  'backups.list': command(
    'The backups the catalog knows, in one repository or all.',
    z.object({ repositoryId: z.string().min(1).optional() }).strict(),
    z.array(backupSummary),
  ),
  'backups.unlock': command(
    'Give the engine the password of an encrypted backup it did not make (a copy source, a seed); kept in the secret store once it opens the backup.',
    z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
    z.object({ unlocked: z.boolean() }),
  ),
};

export const repositoryEvents = {
  'repos.changed': z.object({ repositories: z.array(repository) }),
  'backups.changed': z.object({ repositoryId: z.string() }),
};
