import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { restorePointList } from '../domain/backup.ts';

/** Restore points (browsing and restores join them here). */
export const pointCommands = {
  'points.list': command(
    'The restore points of a backup, optionally of one workload, and its point files that cannot be read.',
    z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), workload: z.string().optional() }).strict(),
    restorePointList,
  ),
};
