import { z } from 'zod';
import { command } from '../rpc/contract.ts';
import { anyScheduleSpec, retentionSpec } from '../domain/job.ts';
import { SIMULATION_LIMIT } from '../retention/preview.ts';

/** Points one preview takes at most (a year of hourly points is 8760). */
export const RETENTION_PREVIEW_MAX_POINTS = 20_000;

const moment = z.string().datetime({ offset: true, message: 'Enter a date and time.' });
const gfsFlags = z.object({ weekly: z.boolean(), monthly: z.boolean(), yearly: z.boolean() });

/** As the engine writes them (toISOString), so `created` orders points as listPoints does. */
const pointTime = moment.transform((text) => new Date(text).toISOString());

const previewPoint = z.object({
  id: z.string().min(1),
  created: pointTime,
  /** When the backup finished writing it: its GFS periods are counted from this. */
  completed: pointTime,
  gfs: gfsFlags.default({ weekly: false, monthly: false, yearly: false }),
});

export const retentionPreviewInput = z
  .object({
    retention: retentionSpec,
    /** One workload's current points (e.g. from points.list). */
    points: z
      .array(previewPoint)
      .max(RETENTION_PREVIEW_MAX_POINTS, `Give at most ${RETENTION_PREVIEW_MAX_POINTS} points.`)
      .superRefine((points, context) => {
        const seen = new Set<string>();
        points.forEach((point, index) => {
          if (seen.has(point.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `Point ${point.id} is given twice.` });
          seen.add(point.id);
        });
      })
      .optional(),
    /** Or where the engine reads them: one workload of a backup. */
    backup: z.object({ repositoryId: z.string().min(1), folder: z.string().min(1).max(64), workload: z.string().min(1) }).strict().optional(),
    /** The job's schedule, simulated in the engine's time zone; absent: one point a day. */
    schedule: anyScheduleSpec.optional(),
    months: z
      .number()
      .int('Enter a whole number of months.')
      .min(1, 'Simulate at least 1 month.')
      .max(36, 'Simulate at most 36 months.')
      .default(12),
    /** Decide and simulate from this time; absent: now. */
    now: moment.optional(),
  })
  .strict()
  .refine((input) => !(input.points && input.backup), { path: ['backup'], message: 'Give the points or the backup to read them from, not both.' });
export type RetentionPreviewInput = z.infer<typeof retentionPreviewInput>;

export const retentionPreview = z.object({
  /** The engine's time zone: GFS periods are its local weeks, months and years. */
  timeZone: z.string(),
  now: z.string(),
  /** The end of the simulation: `months` after now, or earlier when the point limit stopped it. */
  until: z.string(),
  /** Per current point, in the order given (or listed): would retention keep it now, and why. */
  current: z.array(z.object({ id: z.string(), keep: z.boolean(), reasons: z.array(z.string()) })),
  /** The current points kept now, then each point the schedule would make until `until`. */
  timeline: z.array(
    z.object({
      /** A current point's id; null for a simulated one. */
      id: z.string().nullable(),
      completed: z.string(),
      gfs: gfsFlags,
      /** The run after which retention removes it; null: still kept at `until`. */
      removedAt: z.string().nullable(),
    }),
  ),
  /** The most points kept at once. */
  peakKept: z.number().int(),
  /** What the simulation assumed or where it stopped, and points that could not be read. */
  notes: z.array(z.string()),
});
export type RetentionPreviewOutput = z.infer<typeof retentionPreview>;

/** Retention's decisions, for the job wizard. */
export const retentionCommands = {
  'retention.preview': command(
    `Which of a workload's points retention would keep now, and why; and the points a schedule would make over the next months (at most ${SIMULATION_LIMIT}), each with its GFS flags and when retention would remove it.`,
    retentionPreviewInput,
    retentionPreview,
  ),
};
