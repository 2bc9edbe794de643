import { z } from 'zod';
import {
  DEFAULT_HEALTH_CHECK,
  deletedWorkloadDays,
  healthCheckSpec,
  type HealthCheckSpec,
} from '../../../shared/domain/job.ts';
import { type JobScript, jobScript, type JobScripts, mailReportSpec, type MailReportSpec, rpoHours } from '../../../shared/domain/after-run.ts';
import { dayName } from './days.ts';
import type { JobKind } from './schedule.ts';
import { type FieldErrors, lines, schemaErrors, wholeNumber, wholeNumberError } from './text.ts';

/**
 * The Advanced step's settings besides storage: the health check's schedule, how long a
 * removed workload's points stay, which results send the mail report, the scripts around
 * a run, and (copy jobs) the RPO warning threshold.
 */

export interface ScriptDraft {
  on: boolean;
  path: string;
  /** One argument per line, passed as typed (no shell). */
  args: string;
  timeoutSeconds: string;
}

export interface AdvancedDraft {
  healthCheck: HealthCheckSpec;
  removeDeletedWorkloadsAfterDays: string;
  mailReport: MailReportSpec;
  before: ScriptDraft;
  after: ScriptDraft;
  /** Copy jobs: hours after which a workload's newest copy is too old. */
  rpoHours: string;
}

export interface AdvancedSpec {
  healthCheck: HealthCheckSpec;
  removeDeletedWorkloadsAfterDays: number;
  mailReport: MailReportSpec;
  scripts: JobScripts;
  rpoHours?: number;
}

export const DEFAULT_REMOVE_AFTER_DAYS = 30;
export const DEFAULT_RPO_HOURS = 48;
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 600;
const DEFAULT_MAIL: MailReportSpec = { onSuccess: false, onWarning: true, onFailure: true };

function scriptDraftFrom(script: JobScript | null | undefined): ScriptDraft {
  return {
    on: Boolean(script),
    path: script?.path ?? '',
    // An argument may itself hold a line break: such a job is edited with it split, as typed here.
    args: (script?.args ?? []).join('\n'),
    timeoutSeconds: String(script?.timeoutSeconds ?? DEFAULT_SCRIPT_TIMEOUT_SECONDS),
  };
}

export function advancedDraftFrom(spec: Partial<AdvancedSpec> | undefined): AdvancedDraft {
  return {
    healthCheck: { ...(spec?.healthCheck ?? DEFAULT_HEALTH_CHECK) },
    removeDeletedWorkloadsAfterDays: String(spec?.removeDeletedWorkloadsAfterDays ?? DEFAULT_REMOVE_AFTER_DAYS),
    mailReport: { ...(spec?.mailReport ?? DEFAULT_MAIL) },
    before: scriptDraftFrom(spec?.scripts?.before),
    after: scriptDraftFrom(spec?.scripts?.after),
    rpoHours: String(spec?.rpoHours ?? DEFAULT_RPO_HOURS),
  };
}

function scriptFromDraft(draft: ScriptDraft): JobScript | null {
  if (!draft.on) return null;
  return { path: draft.path.trim(), args: lines(draft.args), timeoutSeconds: wholeNumber(draft.timeoutSeconds) };
}

export function advancedFromDraft(draft: AdvancedDraft, kind: JobKind): AdvancedSpec {
  return {
    healthCheck: { ...draft.healthCheck },
    removeDeletedWorkloadsAfterDays: wholeNumber(draft.removeDeletedWorkloadsAfterDays),
    mailReport: { ...draft.mailReport },
    scripts: { before: scriptFromDraft(draft.before), after: scriptFromDraft(draft.after) },
    ...(kind === 'backup-copy' ? { rpoHours: wholeNumber(draft.rpoHours) } : {}),
  };
}

const advancedSchema = z.object({
  healthCheck: healthCheckSpec,
  removeDeletedWorkloadsAfterDays: deletedWorkloadDays,
  mailReport: mailReportSpec,
  scripts: z.object({ before: jobScript.nullable(), after: jobScript.nullable() }),
  rpoHours: rpoHours.optional(),
});

/**
 * Keyed as the definition: `healthCheck.*`, `removeDeletedWorkloadsAfterDays`,
 * `scripts.before.path|args|timeoutSeconds` (and after), `rpoHours`.
 */
export function advancedErrors(draft: AdvancedDraft, kind: JobKind): FieldErrors {
  const known: FieldErrors = {};
  wholeNumberError(known, 'removeDeletedWorkloadsAfterDays', draft.removeDeletedWorkloadsAfterDays, 'Enter a whole number of days, e.g. 30.');
  for (const when of ['before', 'after'] as const) {
    if (draft[when].on) wholeNumberError(known, `scripts.${when}.timeoutSeconds`, draft[when].timeoutSeconds, 'Enter a whole number of seconds, e.g. 600.');
  }
  if (kind === 'backup-copy') wholeNumberError(known, 'rpoHours', draft.rpoHours, 'Enter a whole number of hours, e.g. 48.');
  const errors = schemaErrors(advancedSchema, advancedFromDraft(draft, kind), '', known);
  // "Too big" on the argument list as a whole: say it in the field's words.
  for (const when of ['before', 'after'] as const) {
    const args = Object.keys(errors).find((path) => path.startsWith(`scripts.${when}.args`));
    if (args && args !== `scripts.${when}.args`) {
      errors[`scripts.${when}.args`] ??= 'Keep each argument under 4,096 characters.';
      delete errors[args];
    } else if (args) errors[args] = 'Pass at most 64 arguments.';
  }
  return errors;
}

export const WEEKS: Record<HealthCheckSpec['week'], string> = { first: 'first', second: 'second', third: 'third', fourth: 'fourth', last: 'last' };

/** When the health check runs, in words: "every month, on the last Sunday", "every Monday"; "never" when off. */
export function describeHealthCheck(spec: HealthCheckSpec): string {
  if (!spec.enabled) return 'never';
  if (spec.frequency === 'weekly') return `every ${dayName(spec.weekday)}`;
  return `every month, on the ${WEEKS[spec.week]} ${dayName(spec.weekday)}`;
}
