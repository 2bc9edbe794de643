import type { AnyScheduleSpec, RetentionSpec } from '../domain/job.ts';
import { nextRuns } from '../schedule/calendar.ts';
import { localDayNumber, wallClock } from '../schedule/local-time.ts';
import { applyRetention, keptByRetention, type RetentionDecision } from './apply.ts';
import { flagsOnDay, type GfsFlags, localDayOf, NO_FLAGS, type RetainedPoint } from './gfs.ts';

/** Points simulated at most: a schedule running more often is simulated up to its 3000th point (the output says so). */
export const SIMULATION_LIMIT = 3000;

export interface TimelinePoint {
  /** A current point's id; null for a point the schedule would make. */
  id: string | null;
  completed: string;
  gfs: GfsFlags;
  /** The run after which retention removes it; null: still kept at the end of the simulation. */
  removedAt: string | null;
}

export interface RetentionPreview {
  timeZone: string;
  now: string;
  /** The end of the simulation: `months` after now, or earlier when the point limit stopped it. */
  until: string;
  /** Per current point, in the order given: would retention keep it now, and why. */
  current: RetentionDecision[];
  /** The current points kept now, then every point the schedule would make until `until`. */
  timeline: TimelinePoint[];
  /** The most points kept at once (after each run's retention). */
  peakKept: number;
  /** What the simulation assumed or where it stopped, in words. */
  notes: string[];
}

interface Simulated extends RetainedPoint {
  day: number;
  entry: TimelinePoint;
}
const dayOfPoint = (point: Simulated) => point.day;

/** The same local time of day `months` calendar months later (the day clamped to the month's length). */
function monthsLater(from: Date, months: number): Date {
  const target = new Date(from.getFullYear(), from.getMonth() + months, 1);
  const lastDay = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  const day = localDayNumber(target) + Math.min(from.getDate(), lastDay) - 1;
  return wallClock(day, from.getHours(), from.getMinutes(), from.getSeconds(), from.getMilliseconds());
}

/**
 * Which current points retention would keep now, and a simulation of the next `months`:
 * a point at every run of the schedule (completed at its run time, flagged as a copy job
 * flags it), retention applied after each run as the job's transform phase does. The
 * schedule's times are wall-clock times of the process's zone, so `timeZone` is the
 * engine's own.
 */
export function previewRetention(options: {
  retention: RetentionSpec;
  points: readonly RetainedPoint[];
  schedule: AnyScheduleSpec | undefined;
  months: number;
  now: Date;
  timeZone: string;
}): RetentionPreview {
  const { retention, timeZone, now } = options;
  const notes: string[] = [];
  const current = applyRetention(options.points, retention, now.toISOString(), timeZone);
  // Each point kept with its local day and its timeline entry.
  let kept: Simulated[] = options.points
    .filter((_, index) => current[index]!.keep)
    .map((point) => ({ ...point, day: localDayOf(point.completed, timeZone), entry: { id: point.id, completed: point.completed, gfs: point.gfs, removedAt: null } }));
  const timeline = kept.map((point) => point.entry);

  let schedule = options.schedule;
  if (!schedule || schedule.mode === 'manual' || schedule.mode === 'immediate') {
    if (schedule) notes.push(`A${schedule.mode === 'manual' ? ' manual job runs only when started' : 'n immediate copy follows its sources'}: the simulation assumes one point a day.`);
    schedule = { mode: 'periodic', every: 1, unit: 'days', startAt: now.toISOString() };
  }
  let until = monthsLater(now, options.months);
  const runs = nextRuns(schedule, now, SIMULATION_LIMIT + 1).filter((run) => run.getTime() <= until.getTime());
  if (runs.length > SIMULATION_LIMIT) {
    runs.length = SIMULATION_LIMIT;
    until = runs.at(-1)!;
    notes.push(`The schedule makes more than ${SIMULATION_LIMIT} points in ${options.months} month(s): the simulation stops at the ${SIMULATION_LIMIT}th, ${until.toISOString()}.`);
  }

  let peakKept = kept.length;
  runs.forEach((run, index) => {
    const at = run.toISOString();
    const day = localDayOf(at, timeZone);
    const gfs = retention.gfs ? flagsOnDay(day, kept, retention.gfs, dayOfPoint) : { ...NO_FLAGS };
    const point: Simulated = { id: `simulated-${index}`, created: at, completed: at, gfs, day, entry: { id: null, completed: at, gfs, removedAt: null } };
    timeline.push(point.entry);
    const candidates = [...kept, point];
    const keeps = keptByRetention(candidates, retention, day, dayOfPoint);
    kept = candidates.filter((candidate, position) => {
      if (keeps[position]) return true;
      candidate.entry.removedAt = at;
      return false;
    });
    peakKept = Math.max(peakKept, kept.length);
  });
  return { timeZone, now: now.toISOString(), until: until.toISOString(), current, timeline, peakKept, notes };
}
