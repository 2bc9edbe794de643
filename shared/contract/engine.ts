import { z } from 'zod';
import { command, defineContract } from '../rpc/contract.ts';
import { backupSummary, restorePointSummary } from '../domain/backup.ts';
import { addRepositoryInput, locationInput, repository } from '../domain/repository.ts';

export const engineHost = z.enum(['electron', 'serve', 'cli']);
export type EngineHost = z.infer<typeof engineHost>;

export const engineInfo = z.object({
  version: z.string(),
  host: engineHost,
  dataDir: z.string(),
  startedAt: z.string(),
});
export type EngineInfo = z.infer<typeof engineInfo>;

const none = z.object({}).strict();

/** The engine's contract: every command the console and CLI can send, every event it emits. */
export const engineContract = defineContract({
  commands: {
    'engine.info': command('Describe the running engine.', none, engineInfo),
    'repos.list': command('List the registered repositories with their reachability.', none, z.array(repository)),
    'repos.add': command('Register a repository, creating its folder if needed.', addRepositoryInput, repository),
    'repos.remove': command(
      'Unregister a repository. Its data stays where it is.',
      z.object({ id: z.string().min(1) }).strict(),
      z.object({ id: z.string() }),
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
    'points.list': command(
      'The restore points of a backup, optionally of one workload.',
      z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), workload: z.string().optional() }).strict(),
      z.array(restorePointSummary),
    ),
  },
  events: {
    'repos.changed': z.object({ repositories: z.array(repository) }),
    'backups.changed': z.object({ repositoryId: z.string() }),
  },
});

export type EngineContract = typeof engineContract;
