import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { textField } from './step-fields.ts';
import type { StepProps } from './WizardDialog.tsx';

/** The Job step of every wizard: name and description. */
export function JobStep<D extends { name: string; description: string }>(step: StepProps<D>) {
  return (
    <Stack spacing={2.5}>
      <TextField
        {...textField(step, 'name', step.draft.name, (d, name) => ({ ...d, name }), 'Unique among jobs, up to 64 characters.')}
        label="Job name"
        required
        autoFocus
        placeholder="e.g. Office documents"
        slotProps={{ htmlInput: { maxLength: 200 } }}
      />
      <TextField
        {...textField(step, 'description', step.draft.description, (d, description) => ({ ...d, description }), 'Optional: what the job protects and why.')}
        label="Description"
        multiline
        minRows={3}
        maxRows={8}
      />
    </Stack>
  );
}
