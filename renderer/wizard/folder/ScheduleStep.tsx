import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import { NextRuns } from '../fields/NextRuns.tsx';
import { RetryFields, ScheduleFields } from '../fields/ScheduleFields.tsx';
import { validSchedule } from '../fields/valid.ts';
import type { StepProps } from '../WizardDialog.tsx';
import type { FolderDraft } from './draft.ts';

/** Schedule: when the job runs by itself (manual, periodic or daily), its retries, and the next runs. */
export function ScheduleStep({ draft, update, errors, fieldRef, disabled }: StepProps<FolderDraft>) {
  const common = { errors, fieldRef, disabled };
  return (
    <Stack spacing={3}>
      <ScheduleFields
        kind="folder-backup"
        draft={draft.schedule.schedule}
        onChange={(schedule) => update((d) => ({ ...d, schedule: { ...d.schedule, schedule } }), 'schedule')}
        {...common}
      />
      {draft.schedule.schedule.mode === 'manual' ? null : (
        <RetryFields draft={draft.schedule.retries} onChange={(retries) => update((d) => ({ ...d, schedule: { ...d.schedule, retries } }), 'retries')} {...common} />
      )}
      <Divider />
      <NextRuns schedule={validSchedule(draft.schedule.schedule, 'folder-backup')} />
    </Stack>
  );
}
