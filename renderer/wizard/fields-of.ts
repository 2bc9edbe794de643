/**
 * Where a wizard's messages go, as plain data. A message is keyed by the dotted path of
 * the job definition it is about (`retention.keepPoints`, `sources.0`, `window`), or by
 * `password` / `repeatPassword`, or `form` (no field: shown on the Summary step). Each
 * step owns path prefixes; a message belongs to the first step owning a prefix of it.
 */

/** New: an empty draft, created on Finish. Edit: the job's definition, updated on Finish. Clone: a copy, created. */
export type WizardMode = 'new' | 'edit' | 'clone';

/** Field path → message. */
export type FieldErrors = Record<string, string>;

/** The key a path of zod or of the engine's `details.fields` is shown under (`definition.` dropped). */
export function fieldKey(path: string | readonly PropertyKey[]): string {
  const dotted = typeof path === 'string' ? path : path.map(String).join('.');
  return dotted.replace(/^definition\./, '') || 'form';
}

/** Whether `field` is `prefix` or lies under it (`retention` owns `retention.gfs.weekly`). */
export function isUnder(field: string, prefix: string): boolean {
  return field === prefix || field.startsWith(`${prefix}.`);
}

/** The step that shows a field: the first that owns a prefix of it, else the last (Summary). */
export function stepOfField(owned: readonly (readonly string[])[], field: string): number {
  const index = owned.findIndex((prefixes) => prefixes.some((prefix) => isUnder(field, prefix)));
  return index >= 0 ? index : owned.length - 1;
}

/** The messages one step shows. */
export function errorsOfStep(owned: readonly (readonly string[])[], errors: FieldErrors, step: number): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => stepOfField(owned, field) === step));
}

/** The earliest step with a message, or null. */
export function firstStepWithErrors(owned: readonly (readonly string[])[], errors: FieldErrors): number | null {
  const steps = Object.keys(errors).map((field) => stepOfField(owned, field));
  return steps.length > 0 ? Math.min(...steps) : null;
}

/** The errors without those under any of the prefixes (a field was changed, its message goes). */
export function withoutErrors(errors: FieldErrors, prefixes: readonly string[]): FieldErrors {
  const kept = Object.entries(errors).filter(([field]) => !prefixes.some((prefix) => isUnder(field, prefix)));
  return kept.length === Object.keys(errors).length ? errors : Object.fromEntries(kept);
}

/**
 * The registered field that shows a message: the field of that exact path, else the
 * nearest registered parent (`retention.gfs` for `retention.gfs.weekly`), else none.
 */
export function fieldShowing(registered: readonly string[], field: string): string | null {
  let best: string | null = null;
  for (const candidate of registered) {
    if (isUnder(field, candidate) && (best === null || candidate.length > best.length)) best = candidate;
  }
  return best;
}

/** The first message of each path from zod issues, keyed as the wizard shows them. */
export function errorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[fieldKey(issue.path)] ??= issue.message;
  return errors;
}
