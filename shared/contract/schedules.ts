import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { anyScheduleSpec, transferWindow } from '../domain/job.ts';

export const PREVIEW_MAX_RUNS = 100;

export const schedulePreviewInput = z
  .object({
    schedule: anyScheduleSpec,
    /** A copy job's transfer window: each run says when it may begin to transfer. */
    window: transferWindow.optional(),
    /** Runs strictly after this time; absent: after now. */
    after: z.string().datetime({ offset: true, message: 'Enter a date and time.' }).optional(),
    count: z.number().int().min(1).max(PREVIEW_MAX_RUNS, `Ask for at most ${PREVIEW_MAX_RUNS} runs.`).default(10),
  })
  .strict();

export const schedulePreview = z.object({
  /** The engine's time zone: the schedule's wall-clock times are in it, wherever the console runs. */
  timeZone: z.string(),
  runs: z.array(
    z.object({
      at: z.string(),
      /** When the window lets it transfer: `at`, the window's next opening, or null when the window never opens. */
      transfersFrom: z.string().nullable(),
    }),
  ),
});
export type SchedulePreview = z.infer<typeof schedulePreview>;

/** The scheduler's planning, for the job wizard. */
export const scheduleCommands = {
  'schedules.preview': command(
    'The next runs of a schedule definition, in the engine\'s time zone (none for manual and immediate schedules).',
    schedulePreviewInput,
    schedulePreview,
  ),
};
