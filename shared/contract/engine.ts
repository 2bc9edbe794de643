import { z } from 'zod';
import { command, defineContract } from '../rpc/contract.ts';
import { backupSummary, restorePointList } from '../domain/backup.ts';
import {
  copyPreviewInput,
  copyPreviewRow,
  jobDefinition,
  jobSummary,
  sessionDetail,
  sessionProgress,
  sessionResult,
  sessionSummary,
  trafficRule,
} from '../domain/job.ts';
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
const id = z.object({ id: z.string().min(1) }).strict();

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
      'The restore points of a backup, optionally of one workload, and its point files that cannot be read.',
      z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), workload: z.string().optional() }).strict(),
      restorePointList,
    ),
    'jobs.list': command('Every job with its state and last result.', none, z.array(jobSummary)),
    'jobs.get': command('A job\'s full definition.', id, z.object({ id: z.string(), definition: jobDefinition })),
    'jobs.create': command(
      'Create a job. The password of an encrypted backup goes to the secret store, not the catalog.',
      z.object({ definition: jobDefinition, password: z.string().min(1).max(1024).optional() }).strict(),
      jobSummary,
    ),
    'jobs.update': command(
      'Change a job (not while it runs). A password given replaces the stored one; without one the stored one stays.',
      z.object({ id: z.string().min(1), definition: jobDefinition, password: z.string().min(1).max(1024).optional() }).strict(),
      jobSummary,
    ),
    'jobs.previewCopy': command(
      'The workloads a copy job with these sources would process now (from the catalog; rescan repositories to refresh).',
      copyPreviewInput.strict(),
      z.array(copyPreviewRow),
    ),
    'backups.unlock': command(
      'Give the engine the password of an encrypted backup it did not make (a copy source, a seed); kept in the secret store once it opens the backup.',
      z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
      z.object({ unlocked: z.boolean() }),
    ),
    'traffic.list': command('The global traffic rules between repositories.', none, z.array(trafficRule)),
    'traffic.set': command(
      'Replace the global traffic rules; running copies follow the new limits at once.',
      z.object({ rules: z.array(trafficRule).max(100) }).strict(),
      z.array(trafficRule),
    ),
    'jobs.delete': command('Delete a job (its backups stay in the repository).', id, z.object({ id: z.string() })),
    'jobs.start': command('Run a job now; progress and the end arrive as session events.', id, z.object({ sessionId: z.string() })),
    'jobs.stop': command('Stop a running job; the repository stays consistent.', id, z.object({ stopping: z.boolean() })),
    'sessions.list': command(
      'Past and running sessions, newest first.',
      z.object({ jobId: z.string().optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
      z.array(sessionSummary),
    ),
    'sessions.get': command('A session with its tasks and log.', id, sessionDetail),
  },
  events: {
    'repos.changed': z.object({ repositories: z.array(repository) }),
    'backups.changed': z.object({ repositoryId: z.string() }),
    'jobs.changed': z.object({ jobs: z.array(jobSummary) }),
    'session.progress': sessionProgress,
    'session.finished': z.object({ sessionId: z.string(), jobId: z.string(), result: sessionResult }),
  },
});

export type EngineContract = typeof engineContract;
