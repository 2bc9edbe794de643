import type { JobDefinition, JobSummary } from '../../shared/domain/job.ts';
import type { FerryError } from '../../shared/rpc/errors.ts';
import { request } from '../connection/engine.ts';
import { upsertJob } from '../store/jobs.ts';
import type { WizardMode } from './fields-of.ts';

/** What a wizard's Finish did: the job saved, and the run asked for (started, or why not). */
export interface JobSaved {
  mode: WizardMode;
  job: JobSummary;
  /** The run started on Finish, if one was asked for and started. */
  sessionId: string | null;
  /** Why the run asked for could not start (the job is saved anyway). */
  startError: string | null;
}

/** Saves a wizard's definition; rejects with the engine's FerryError (its field messages go to the fields). */
export type SaveJob = (definition: JobDefinition, password: string | undefined, runNow: boolean) => Promise<void>;

/** Creates (new, clone) or updates (edit) the job, then starts it if asked. */
export async function saveJob(
  target: { mode: WizardMode; jobId: string | null },
  definition: JobDefinition,
  password: string | undefined,
  runNow: boolean,
): Promise<JobSaved> {
  const input = { definition, ...(password ? { password } : {}) };
  const job = target.mode === 'edit' && target.jobId ? await request('jobs.update', { id: target.jobId, ...input }) : await request('jobs.create', input);
  upsertJob(job);
  let sessionId: string | null = null;
  let startError: string | null = null;
  if (runNow) {
    try {
      ({ sessionId } = await request('jobs.start', { id: job.id }));
    } catch (error) {
      startError = (error as FerryError).message;
    }
  }
  return { mode: target.mode, job, sessionId, startError };
}
