import { type SchedulerSettings, schedulerSettings } from '../../../shared/contract/settings.ts';
import { fieldErrorsFromZod } from '../../../shared/rpc/dispatch.ts';
import { type Checked, type Fields, parseWhole } from './numbers.ts';

export interface SchedulerDraft {
  rescanMinutes: string;
  slotsPerRepository: string;
}

export function schedulerDraftFrom(settings: SchedulerSettings): SchedulerDraft {
  return { rescanMinutes: String(settings.rescanMinutes), slotsPerRepository: String(settings.slotsPerRepository) };
}

/** The draft as `scheduler.setSettings` takes it, checked with the engine's schema. */
export function schedulerFromDraft(draft: SchedulerDraft): Checked<SchedulerSettings> {
  const rescanMinutes = parseWhole(draft.rescanMinutes);
  const slotsPerRepository = parseWhole(draft.slotsPerRepository);
  const fields: Fields = {};
  if (rescanMinutes === null) fields.rescanMinutes = 'Enter a whole number of minutes, from 1 to 1440.';
  if (slotsPerRepository === null) fields.slotsPerRepository = 'Enter a whole number of runs, from 1 to 64.';
  const parsed = schedulerSettings.safeParse({ rescanMinutes: rescanMinutes ?? Number.NaN, slotsPerRepository: slotsPerRepository ?? Number.NaN });
  if (!parsed.success) for (const [key, message] of Object.entries(fieldErrorsFromZod(parsed.error))) fields[key] ??= message;
  return parsed.success && Object.keys(fields).length === 0 ? { ok: true, value: parsed.data } : { ok: false, fields };
}
