import { z } from 'zod';
import { command, defineContract } from '../rpc/contract.ts';
import { none } from './common.ts';
import { jobCommands, jobEvents } from './jobs.ts';
import { pointCommands } from './points.ts';
import { repositoryCommands, repositoryEvents } from './repositories.ts';
import { retentionCommands } from './retention.ts';
import { scheduleCommands } from './schedules.ts';
import { settingCommands } from './settings.ts';

export const engineHost = z.enum(['electron', 'serve', 'cli']);
export type EngineHost = z.infer<typeof engineHost>;

export const engineInfo = z.object({
  version: z.string(),
  host: engineHost,
  dataDir: z.string(),
  startedAt: z.string(),
});
export type EngineInfo = z.infer<typeof engineInfo>;

/**
 * The engine's contract: every command the console and CLI can send, every event it
 * emits. One contract, declared by domain (a file each beside this one).
 */
export const engineContract = defineContract({
  commands: {
    'engine.info': command('Describe the running engine.', none, engineInfo),
    ...repositoryCommands,
    ...pointCommands,
    ...jobCommands,
    ...settingCommands,
    ...scheduleCommands,
    ...retentionCommands,
  },
  events: {
    ...repositoryEvents,
    ...jobEvents,
  },
});

export type EngineContract = typeof engineContract;
