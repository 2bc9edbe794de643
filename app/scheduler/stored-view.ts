import type { Catalog } from '../catalog/catalog.ts';
import type { ScheduleView } from '../jobs/job-service.ts';
import type { JobStatus } from '../../shared/domain/job.ts';
import { schedulingProcess } from './data-lock.ts';

/**
 * A job's status and next run for an engine that does not schedule (a CLI command): as the
 * engine that schedules this data folder recorded them. With none running, a job is idle
 * (or disabled) and its next run is the one recorded: what happens once one starts.
 */
export function storedView(catalog: Catalog, dataDir: string): ScheduleView {
  // Prepared once: a job list asks it for every job.
  const recorded = catalog.db.prepare('SELECT status, next_run FROM schedule_jobs WHERE job_id = ?');
  return (jobId, definition, running) => {
    const row = recorded.get(jobId) as
      | { status: JobStatus; next_run: string | null }
      | undefined;
    const nextRun = definition.enabled && definition.schedule.mode !== 'manual' ? (row?.next_run ?? null) : null;
    if (running) return { status: 'working', nextRun };
    if (!definition.enabled) return { status: 'disabled', nextRun: null };
    const live = row && schedulingProcess(dataDir) !== undefined;
    return { status: live ? row.status : 'idle', nextRun };
  };
}
