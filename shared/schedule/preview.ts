import type { AnyScheduleSpec, TransferWindow } from '../domain/job.ts';
import { nextRuns } from './calendar.ts';
import { nextWindowChange, windowOpenAt } from './window.ts';

/** The next `count` runs after `after`, each with when its window lets it transfer (null: never). */
export function previewRuns(
  schedule: AnyScheduleSpec,
  window: TransferWindow | undefined,
  after: Date,
  count: number,
): { at: string; transfersFrom: string | null }[] {
  return nextRuns(schedule, after, count).map((run) => {
    const opens = windowOpenAt(window, run) ? run : nextWindowChange(window, run);
    return { at: run.toISOString(), transfersFrom: opens?.toISOString() ?? null };
  });
}
