import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { NextRuns } from '../fields/NextRuns.tsx';
import { RetryFields, ScheduleFields } from '../fields/ScheduleFields.tsx';
import { validSchedule } from '../fields/valid.ts';
import { windowFromDraft } from '../fields/window.ts';
import { WindowFields } from '../fields/WindowFields.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Schedule: manual, immediate or periodic (look back or forward), retries, the transfer window, and the next 5 runs. */
export function ScheduleStep({ draft, update, errors, fieldRef, disabled }: StepProps<CopyDraft>) {
  const common = { errors, fieldRef, disabled };
  const part = draft.schedule;
  const set = (patch: Partial<CopyDraft['schedule']>, ...clear: string[]) => update((d) => ({ ...d, schedule: { ...d.schedule, ...patch } }), ...clear);
  return (
    <Stack spacing={3}>
      <ScheduleFields kind="backup-copy" draft={part.schedule} onChange={(schedule) => set({ schedule }, 'schedule', 'window')} {...common} />
      {part.schedule.mode === 'manual' ? null : (
        <RetryFields draft={part.retries} onChange={(retries) => set({ retries }, 'retries')} {...common} />
      )}
      <Divider />
      <Stack spacing={1}>
        <Typography variant="subtitle2" component="h4">
          Transfer window
        </Typography>
        <WindowFields
          draft={{ window: part.window, terminateOnWindowClose: part.terminateOnWindowClose }}
          onChange={(next) => set(next, 'window', 'terminateOnWindowClose')}
          {...common}
        />
      </Stack>
      <Divider />
      <NextRuns schedule={validSchedule(part.schedule)} window={windowFromDraft(part.window)} />
    </Stack>
  );
}
