import { z } from 'zod';
import { command, defineContract } from '../rpc/contract.ts';
import { addRepositoryInput, repository } from '../domain/repository.ts';

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
  },
  events: {
    'repos.changed': z.object({ repositories: z.array(repository) }),
  },
});

export type EngineContract = typeof engineContract;
