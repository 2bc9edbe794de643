import type { FieldErrors } from '../../wizard/fields/text.ts';

/** A draft's check: the value to send, or the message of each field at fault. */
export type Checked<T> = { ok: true; value: T } | { ok: false; fields: FieldErrors };
