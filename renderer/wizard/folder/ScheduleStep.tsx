import Typography from '@mui/material/Typography';
import { describeSchedule } from '../../pages/jobs/describe.ts';
import type { StepProps } from '../WizardDialog.tsx';
import type { FolderDraft } from './draft.ts';

/** Schedule: when the job runs by itself, and its retries (H4's ScheduleFields take this place). */
export function ScheduleStep({ draft }: StepProps<FolderDraft>) {
  return <Typography variant="body2">{describeSchedule(draft.schedule.schedule)}.</Typography>;
}
