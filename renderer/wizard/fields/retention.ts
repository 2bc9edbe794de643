import { type GfsSpec, type RetentionSpec, retentionSpec } from '../../../shared/domain/job.ts';
import { GFS_KINDS, type GfsKind } from '../../../shared/retention/gfs.ts';
import type { JobKind } from './schedule.ts';
import { type FieldErrors, schemaErrors, wholeNumber, wholeNumberError } from './text.ts';

/**
 * Retention as the Target step holds it: keep the newest N restore points and, for copy
 * jobs, grandfather-father-son: a weekly, monthly and yearly point each kept for its own
 * count of periods. A kind switched off keeps its count, so switching it on again
 * restores what was typed.
 */

export interface RetentionDraft {
  keepPoints: string;
  weekly: { on: boolean; count: string };
  monthly: { on: boolean; count: string };
  yearly: { on: boolean; count: string };
  /** 0 = Sunday: weekly points are this day's (or the first after it in its week). */
  weekday: number;
  monthlyWeek: 'first' | 'last';
  /** 0 = January. */
  yearlyMonth: number;
}

export const DEFAULT_KEEP_POINTS = 7;
/** What a kind switched on suggests: a month of weeks, a year of months, three years. */
export const DEFAULT_GFS_COUNTS: Record<GfsKind, number> = { weekly: 4, monthly: 12, yearly: 3 };

export function retentionDraftFrom(spec: RetentionSpec | undefined): RetentionDraft {
  const gfs = spec?.gfs;
  const kind = (name: GfsKind) => {
    const count = gfs?.[name] ?? 0;
    return { on: count > 0, count: String(count > 0 ? count : DEFAULT_GFS_COUNTS[name]) };
  };
  return {
    keepPoints: String(spec?.keepPoints ?? DEFAULT_KEEP_POINTS),
    weekly: kind('weekly'),
    monthly: kind('monthly'),
    yearly: kind('yearly'),
    weekday: gfs?.weekday ?? 0,
    monthlyWeek: gfs?.monthlyWeek ?? 'first',
    yearlyMonth: gfs?.yearlyMonth ?? 0,
  };
}

export function gfsOn(draft: RetentionDraft): boolean {
  return GFS_KINDS.some((kind) => draft[kind].on);
}

/** The retention the draft describes; GFS only for copy jobs with a kind switched on (numbers that are not numbers are NaN). */
export function retentionFromDraft(draft: RetentionDraft, kind: JobKind): RetentionSpec {
  const keepPoints = wholeNumber(draft.keepPoints);
  if (kind !== 'backup-copy' || !gfsOn(draft)) return { keepPoints };
  const count = (name: GfsKind) => (draft[name].on ? wholeNumber(draft[name].count) : 0);
  const gfs: GfsSpec = {
    weekly: count('weekly'),
    monthly: count('monthly'),
    yearly: count('yearly'),
    weekday: draft.weekday,
    monthlyWeek: draft.monthlyWeek,
    yearlyMonth: draft.yearlyMonth,
  };
  return { keepPoints, gfs };
}

const UNIT: Record<GfsKind, string> = { weekly: 'weeks', monthly: 'months', yearly: 'years' };

/** Keyed `retention.keepPoints`, `retention.gfs.weekly|monthly|yearly`. */
export function retentionErrors(draft: RetentionDraft, kind: JobKind): FieldErrors {
  const known: FieldErrors = {};
  wholeNumberError(known, 'retention.keepPoints', draft.keepPoints, 'Enter a whole number of restore points, e.g. 7.');
  if (kind === 'backup-copy') {
    for (const name of GFS_KINDS) {
      if (!draft[name].on) continue;
      const path = `retention.gfs.${name}`;
      wholeNumberError(known, path, draft[name].count, `Enter for how many ${UNIT[name]} to keep ${name} points.`);
      if (wholeNumber(draft[name].count) === 0) known[path] ??= `Keep ${name} points at least 1 ${UNIT[name].slice(0, -1)}, or switch them off.`;
    }
  }
  return schemaErrors(retentionSpec, retentionFromDraft(draft, kind), 'retention', known);
}
