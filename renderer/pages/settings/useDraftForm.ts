import { type RefObject, useRef, useState } from 'react';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import type { FieldErrors } from '../../wizard/fields/text.ts';

export type Outcome = { severity: 'success' | 'error'; text: string } | null;

/** Where each field's message lands when the engine names a field: the form's field name. */
export type FieldOf = (engineKey: string) => string;

/**
 * What every engine-backed form of the page shares: the field messages, a line under the
 * buttons, and moving focus to the first field at fault (named by its `name` attribute).
 */
export function useDraftForm(): {
  formRef: RefObject<HTMLFormElement | null>;
  fields: FieldErrors;
  outcome: Outcome;
  busy: boolean;
  showFields: (fields: FieldErrors) => void;
  clearField: (name: string) => void;
  run: (work: () => Promise<string>, failure: string, fieldOf?: FieldOf) => Promise<void>;
} {
  const formRef = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  const showFields = (next: FieldErrors) => {
    setFields(next);
    setOutcome(null);
    const first = Object.keys(next)[0];
    if (first === undefined) return;
    // After the render that shows the messages, so the screen reader reads the one focused.
    requestAnimationFrame(() => {
      const field = formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`);
      // In the middle of the window: scrolled to the top, the field and its label would sit under the app bar.
      field?.focus({ preventScroll: true });
      field?.scrollIntoView({ block: 'center' });
    });
  };

  const run = async (work: () => Promise<string>, failed: string, fieldOf: FieldOf = (key) => key.split('.')[0]!) => {
    setBusy(true);
    setOutcome(null);
    try {
      const text = await work();
      setFields({});
      setOutcome({ severity: 'success', text });
    } catch (error) {
      const failure = error as FerryError;
      const named = failure.details?.fields ?? {};
      const mapped: FieldErrors = {};
      for (const [key, message] of Object.entries(named)) mapped[fieldOf(key)] ??= message;
      if (Object.keys(mapped).length > 0) showFields(mapped);
      const words = failure.code === 'engine_unavailable' ? `${failure.message} What you typed is kept: try again once the engine is back.` : failure.message;
      setOutcome({ severity: 'error', text: Object.keys(mapped).length > 0 ? `${failed}: see the message at the field.` : `${failed}: ${words}` });
    } finally {
      setBusy(false);
    }
  };

  const clearField = (name: string) => {
    if (fields[name] === undefined) return;
    const rest = { ...fields };
    delete rest[name];
    setFields(rest);
  };

  return { formRef, fields, outcome, busy, showFields, clearField, run };
}
