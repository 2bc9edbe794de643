import type { z } from 'zod';

/**
 * What the wizard's fields share: numbers read from text kept as typed (a half-typed
 * number is never rewritten under the cursor), and messages keyed by the dotted path of
 * the job definition (`retries.count`, `window`), the keys the engine's
 * `details.fields` use too.
 */

/** Field path of the definition → its message. */
export type FieldErrors = Record<string, string>;

/** A whole number typed as digits (spaces around allowed); NaN for anything else. */
export function wholeNumber(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number.parseInt(text, 10) : Number.NaN;
}

/** A decimal number such as "12", "0.5" or "0,5" (a lone comma is the decimal separator); NaN for anything else. */
export function decimalNumber(text: string): number {
  const trimmed = text.trim();
  const normalized = /^\d*,\d+$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
  return /^(\d+(\.\d*)?|\.\d+)$/.test(normalized) ? Number.parseFloat(normalized) : Number.NaN;
}

/** The non-empty lines of a multi-line field, trimmed. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * The issues of `schema` on `value`, keyed `prefix.path`; the first issue of a path wins.
 * A path already in `known` (a message worded at the field, e.g. "Enter a whole number")
 * keeps that message.
 */
export function schemaErrors(schema: z.ZodType, value: unknown, prefix: string, known: FieldErrors = {}): FieldErrors {
  const errors: FieldErrors = { ...known };
  const checked = schema.safeParse(value);
  if (checked.success) return errors;
  for (const issue of checked.error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    errors[path] ??= issue.message;
  }
  return errors;
}

/** Text that is not a whole number gets `message` at `path`. */
export function wholeNumberError(errors: FieldErrors, path: string, text: string, message: string): void {
  if (Number.isNaN(wholeNumber(text))) errors[path] ??= message;
}
