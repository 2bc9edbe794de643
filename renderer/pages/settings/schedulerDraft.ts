import { type SchedulerSettings, schedulerSettings } from '../../../shared/contract/settings.ts';
import { fieldErrorsFromZod } from '../../../shared/rpc/dispatch.ts';
import { type FieldErrors, wholeNumber } from '../../wizard/fields/text.ts';
import type { Checked } from './checked.ts';

export interface SchedulerDraft {
  rescanMinutes: string;
  slotsPerRepository: string;
}

export function schedulerDraftFrom(settings: SchedulerSettings): SchedulerDraft {
  return { rescanMinutes: String(settings.rescanMinutes), slotsPerRepository: String(settings.slotsPerRepository) };
}

/** The draft as `scheduler.setSettings` takes it, checked with the engine's schema. */
export function schedulerFromDraft(draft: SchedulerDraft): Checked<SchedulerSettings> {
  const rescanMinutes = wholeNumber(draft.rescanMinutes);
  const slotsPerRepository = wholeNumber(draft.slotsPerRepository);
  const fields: FieldErrors = {};
  if (Number.isNaN(rescanMinutes)) fields.rescanMinutes = 'Enter a whole number of minutes, from 1 to 1440.';
  if (Number.isNaN(slotsPerRepository)) fields.slotsPerRepository = 'Enter a whole number of runs, from 1 to 64.';
  const parsed = schedulerSettings.safeParse({ rescanMinutes, slotsPerRepository });
  if (!parsed.success) for (const [key, message] of Object.entries(fieldErrorsFromZod(parsed.error))) fields[key] ??= message;
  return parsed.success && Object.keys(fields).length === 0 ? { ok: true, value: parsed.data } : { ok: false, fields };
}
