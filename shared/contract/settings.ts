import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { trafficRule } from '../domain/job.ts';
import { none } from './common.ts';

/** The engine's own settings (traffic rules between repositories; mail and scheduler settings join them here). */
export const settingCommands = {
  'traffic.list': command('The global traffic rules between repositories.', none, z.array(trafficRule)),
  'traffic.set': command(
    'Replace the global traffic rules; running copies follow the new limits at once.',
    z.object({ rules: z.array(trafficRule).max(100) }).strict(),
    z.array(trafficRule),
  ),
};
