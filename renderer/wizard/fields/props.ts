import type { FieldErrors } from './text.ts';

/** What every group of wizard fields takes from its step. */
export interface FieldsProps<D> {
  draft: D;
  onChange: (next: D) => void;
  /** Messages keyed by the definition path (`retries.count`); a group shows only its own. */
  errors: FieldErrors;
  /** Registers the input of a path, so the step can focus the first field with a message. */
  fieldRef?: (path: string) => (element: HTMLElement | null) => void;
  disabled?: boolean;
}
