import type { TextFieldProps } from '@mui/material/TextField';
import type { ReactNode } from 'react';
import { textFieldProps } from '../components/form.tsx';
import type { StepProps } from './WizardDialog.tsx';

/**
 * The props of a step's text field bound to one field path: its value, its message (or
 * the help while there is none), the ref the frame focuses, and disabled while saving.
 * Typing clears the field's message.
 */
export function textField<D>(
  step: StepProps<D>,
  path: string,
  value: string,
  set: (draft: D, value: string) => D,
  help?: ReactNode,
): Partial<TextFieldProps> {
  return {
    ...textFieldProps({
      name: path,
      value,
      onChange: (typed) => step.update((draft) => set(draft, typed), path),
      inputRef: step.fieldRef(path),
      error: step.errors[path],
      help,
    }),
    disabled: step.disabled,
  };
}
