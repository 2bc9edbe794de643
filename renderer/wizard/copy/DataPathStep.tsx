import Typography from '@mui/material/Typography';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Data path: throttle and parallel workloads (H4 writes this step). */
export function DataPathStep(_step: StepProps<CopyDraft>) {
  return <Typography variant="body2">No throttle of its own; 2 workloads at once.</Typography>;
}
