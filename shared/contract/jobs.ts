import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import {
  acceptedJobDefinition,
  copyPreviewInput,
  copyPreviewRow,
  jobBackup,
  jobDefinition,
  jobSummary,
  sessionDetail,
  sessionProgress,
  sessionResult,
  sessionSummary,
} from '../domain/job.ts';
import { id, none } from './common.ts';
import { rpoStatus } from '../domain/after-run.ts';

/** Jobs and their runs (sessions). */
export const jobCommands = {
  'jobs.list': command('Every job with its state and last result.', none, z.array(jobSummary)),
  'jobs.get': command('A job\'s full definition.', id, z.object({ id: z.string(), definition: jobDefinition })),
  'jobs.create': command(
    'Create a job. The password of an encrypted backup goes to the secret store, not the catalog.',
    z.object({ definition: acceptedJobDefinition, password: z.string().min(1).max(1024).optional() }).strict(),
    jobSummary,
  ),
  'jobs.update': command(
    'Change a job (not while it runs). A password given replaces the stored one; without one the stored one stays.',
    z.object({ id: z.string().min(1), definition: acceptedJobDefinition, password: z.string().min(1).max(1024).optional() }).strict(),
    jobSummary,
  ),
  'jobs.previewCopy': command(
    'The workloads a copy job with these sources would process now (from the catalog; rescan repositories to refresh).',
    copyPreviewInput.strict(),
    z.array(copyPreviewRow),
  ),
  'jobs.delete': command(
    'Delete a job (not while it runs), and with deleteBackups its backups too. A dry run deletes nothing and says what would be lost.',
    z.object({ id: z.string().min(1), deleteBackups: z.boolean().default(false), dryRun: z.boolean().default(false) }).strict(),
    z.object({ id: z.string(), deleted: z.boolean(), backups: z.array(jobBackup) }),
  ),
  'jobs.setEnabled': command(
    'Enable or disable jobs (a disabled job never runs by schedule; Start still runs it). Unknown ids refuse the whole call.',
    z.object({ ids: z.array(z.string().min(1)).min(1).max(10_000), enabled: z.boolean() }).strict(),
    z.array(jobSummary),
  ),
  'jobs.start': command('Run a job now; progress and the end arrive as session events.', id, z.object({ sessionId: z.string() })),
  'jobs.stop': command('Stop a running job; the repository stays consistent.', id, z.object({ stopping: z.boolean() })),
  'sessions.list': command(
    'Past and running sessions (endedAt null: running), newest first; from/to bound startedAt.',
    z
      .object({
        jobId: z.string().optional(),
        results: z.array(sessionResult).min(1).optional(),
        from: z.string().datetime({ offset: true, message: 'Enter the start of the range as a date and time.' }).optional(),
        to: z.string().datetime({ offset: true, message: 'Enter the end of the range as a date and time.' }).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict()
      .refine((input) => input.from === undefined || input.to === undefined || Date.parse(input.from) <= Date.parse(input.to), {
        path: ['to'],
        message: 'The end of the range is before its start.',
      }),
    z.array(sessionSummary),
  ),
  'sessions.get': command('A session with its tasks and log.', id, sessionDetail),
};

export const jobEvents = {
  'jobs.changed': z.object({ jobs: z.array(jobSummary) }),
  'session.progress': sessionProgress,
  'session.finished': z.object({ sessionId: z.string(), jobId: z.string(), result: sessionResult }),
  /** A workload of a copy job fell behind its RPO (once per workload until a copy brings it back). */
  'jobs.rpoLate': z.object({ jobId: z.string(), jobName: z.string(), rpo: rpoStatus }),
};
