import { dataPathSpec, type DataPathSpec, RATE_LIMIT } from '../../../shared/domain/job.ts';
import { formatNumber } from '../../format/format.ts';
import { decimalNumber, type FieldErrors, schemaErrors, wholeNumber, wholeNumberError } from './text.ts';

/**
 * A copy job's data path: its own bandwidth limit, typed in MB/s (decimal megabytes, as
 * sizes are shown everywhere), and how many workloads it copies at once.
 */

export interface DataPathDraft {
  throttled: boolean;
  /** MB/s as typed; kept while `throttled` is off. */
  megabytesPerSecond: string;
  parallelWorkloads: string;
}

export const MEGABYTE = 1_000_000;
export const DEFAULT_THROTTLE_MBPS = 50;
export const DEFAULT_PARALLEL_WORKLOADS = 2;
export const MAX_PARALLEL_WORKLOADS = 16;
/** The limits of RATE_LIMIT in MB/s, rounded inwards so that what is said is accepted. */
export const MIN_MBPS = Math.ceil((RATE_LIMIT.min / MEGABYTE) * 100) / 100;
export const MAX_MBPS = Math.floor(RATE_LIMIT.max / MEGABYTE);

export function dataPathDraftFrom(spec: Partial<DataPathSpec> | undefined): DataPathDraft {
  const limit = spec?.throttleBytesPerSecond ?? null;
  return {
    throttled: limit !== null,
    megabytesPerSecond: limit === null ? String(DEFAULT_THROTTLE_MBPS) : String(limit / MEGABYTE),
    parallelWorkloads: String(spec?.parallelWorkloads ?? DEFAULT_PARALLEL_WORKLOADS),
  };
}

export function dataPathFromDraft(draft: DataPathDraft): DataPathSpec {
  return {
    parallelWorkloads: wholeNumber(draft.parallelWorkloads),
    throttleBytesPerSecond: draft.throttled ? Math.round(decimalNumber(draft.megabytesPerSecond) * MEGABYTE) : null,
  };
}

/** Keyed `dataPath.throttleBytesPerSecond`, `dataPath.parallelWorkloads`. */
export function dataPathErrors(draft: DataPathDraft): FieldErrors {
  const known: FieldErrors = {};
  wholeNumberError(known, 'dataPath.parallelWorkloads', draft.parallelWorkloads, `Enter a whole number of workloads from 1 to ${MAX_PARALLEL_WORKLOADS}.`);
  if (draft.throttled && Number.isNaN(decimalNumber(draft.megabytesPerSecond))) {
    known['dataPath.throttleBytesPerSecond'] = 'Enter the limit in MB/s, e.g. 50 or 0.5.';
  }
  const errors = schemaErrors(dataPathSpec, dataPathFromDraft(draft), 'dataPath', known);
  if (!known['dataPath.parallelWorkloads'] && errors['dataPath.parallelWorkloads']) {
    errors['dataPath.parallelWorkloads'] = `Copy from 1 to ${MAX_PARALLEL_WORKLOADS} workloads at once.`;
  }
  if (!known['dataPath.throttleBytesPerSecond'] && errors['dataPath.throttleBytesPerSecond']) {
    errors['dataPath.throttleBytesPerSecond'] = `Enter a limit from ${formatNumber(MIN_MBPS)} to ${formatNumber(MAX_MBPS)} MB/s.`;
  }
  return errors;
}
