import Typography from '@mui/material/Typography';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Schedule: when the job runs, retries, the transfer window and the next runs (H4 writes this step). */
export function ScheduleStep(_step: StepProps<CopyDraft>) {
  return <Typography variant="body2">Manual: the job runs when you start it.</Typography>;
}
