import { type TrafficRule, trafficRule } from '../../../shared/domain/job.ts';
import { fieldErrorsFromZod } from '../../../shared/rpc/dispatch.ts';
import { decimalNumber, type FieldErrors } from '../../wizard/fields/text.ts';
import type { Checked } from './checked.ts';

/** "Any repository" in a From or To choice. */
export const ANY = '';

/** One traffic rule as the form holds it: the limit as typed, in MB/s. */
export interface TrafficRuleDraft {
  id: string;
  from: string;
  to: string;
  limit: string;
  /** Null: all day. */
  hours: { from: number; to: number } | null;
}

const MB = 1_000_000;

export function trafficDraftFrom(rules: readonly TrafficRule[]): TrafficRuleDraft[] {
  return rules.map((rule) => ({
    id: rule.id,
    from: rule.fromRepositoryId ?? ANY,
    to: rule.toRepositoryId ?? ANY,
    limit: String(Number((rule.bytesPerSecond / MB).toFixed(3))),
    hours: rule.hours,
  }));
}

export function newTrafficRule(): TrafficRuleDraft {
  return { id: `rule-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, from: ANY, to: ANY, limit: '', hours: null };
}

/**
 * The rules as `traffic.set` takes them, checked with the engine's schema. Field keys are
 * `<index>.<field>` (`0.limit`, `1.to`, `2.hours`).
 */
export function trafficFromDraft(drafts: readonly TrafficRuleDraft[]): Checked<TrafficRule[]> {
  const fields: FieldErrors = {};
  const rules: TrafficRule[] = [];
  drafts.forEach((draft, index) => {
    const megabytes = decimalNumber(draft.limit);
    const rule = {
      id: draft.id,
      fromRepositoryId: draft.from === ANY ? null : draft.from,
      toRepositoryId: draft.to === ANY ? null : draft.to,
      bytesPerSecond: Math.round(megabytes * MB),
      hours: draft.hours,
    };
    if (Number.isNaN(megabytes)) fields[`${index}.limit`] = 'Enter the limit in MB/s, a number such as 20.';
    if (rule.fromRepositoryId !== null && rule.fromRepositoryId === rule.toRepositoryId) {
      fields[`${index}.to`] = 'From and To are the same repository: a copy never runs between them.';
    }
    if (draft.hours && draft.hours.from % 24 === draft.hours.to % 24) {
      fields[`${index}.hours`] = 'The hours start and end at the same time: choose a span, or All day.';
    }
    const parsed = trafficRule.safeParse(rule);
    if (!parsed.success) {
      for (const [key, message] of Object.entries(fieldErrorsFromZod(parsed.error))) {
        const field = key === 'bytesPerSecond' ? 'limit' : key.startsWith('hours') ? 'hours' : key;
        fields[`${index}.${field}`] ??= message;
      }
    } else rules.push(parsed.data);
  });
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, value: rules };
}
