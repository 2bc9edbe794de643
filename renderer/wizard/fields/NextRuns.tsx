import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { SchedulePreview } from '../../../shared/contract/schedules.ts';
import type { AnyScheduleSpec, TransferWindow } from '../../../shared/domain/job.ts';
import { request } from '../../connection/engine.ts';
import { formatDateTime, formatRelative, formatTimeOfDay } from '../../format/format.ts';
import { usePreview } from './usePreview.ts';
import { Updating } from './Updating.tsx';

export const NEXT_RUNS = 5;

export interface NextRunsProps {
  /** A valid schedule, or null while the fields have a message (nothing is asked then). */
  schedule: AnyScheduleSpec | null;
  window?: TransferWindow | undefined;
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** When a run may transfer, in words: at once, from a later time, or never. */
function transferWords(at: string, transfersFrom: string | null): string {
  if (transfersFrom === null) return 'The window never opens: it would wait forever.';
  if (transfersFrom === at) return 'Transfers at once.';
  const from = new Date(transfersFrom);
  return `Waits for the window: transfers from ${sameDay(new Date(at), from) ? formatTimeOfDay(from) : formatDateTime(from)}.`;
}

/** The next runs of a schedule as the engine's scheduler plans them (schedules.preview), with when each may transfer. */
export function NextRuns({ schedule, window }: NextRunsProps) {
  const runsByTime = schedule?.mode === 'periodic' || schedule?.mode === 'daily';
  const key = schedule && runsByTime ? JSON.stringify({ schedule, window }) : null;
  const preview = usePreview<SchedulePreview>(key, (signal) =>
    request('schedules.preview', { schedule: schedule!, ...(window ? { window } : {}), count: NEXT_RUNS }, { signal }),
  );

  let body;
  if (!schedule) body = <Typography variant="body2" sx={{ color: 'text.secondary' }}>Correct the schedule to see its next runs.</Typography>;
  else if (schedule.mode === 'manual') body = <Typography variant="body2" sx={{ color: 'text.secondary' }}>None: the job runs when you start it from the job list.</Typography>;
  else if (schedule.mode === 'immediate')
    body = <Typography variant="body2" sx={{ color: 'text.secondary' }}>Whenever a source has a new complete restore point{window ? ', within the transfer window' : ''}.</Typography>;
  else if (preview.status === 'failed') body = <Alert severity="info" variant="outlined">{preview.message}</Alert>;
  else {
    const value = preview.status === 'ready' ? preview.value : preview.status === 'loading' ? preview.last : null;
    const localZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    body = value ? (
      <Stack spacing={1}>
        <Updating busy={preview.status === 'loading'} label="Updating the next runs" />
        <Box component="ol" aria-busy={preview.status === 'loading'} sx={{ m: 0, pl: 3 }}>
          {value.runs.map((run) => (
            <Box component="li" key={run.at} sx={{ py: 0.25 }}>
              <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
                {formatDateTime(run.at)}
              </Typography>
              <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
                {' '}
                ({formatRelative(run.at)}){window ? ` · ${transferWords(run.at, run.transfersFrom)}` : ''}
              </Typography>
            </Box>
          ))}
        </Box>
        {value.runs.length === 0 ? <Typography variant="body2">No run is planned: the schedule never comes due.</Typography> : null}
        {value.timeZone !== localZone ? (
          <Typography variant="caption" sx={{ color: 'text.secondary' }}>
            Shown in this computer&apos;s time; the engine plans in its own time zone, {value.timeZone}.
          </Typography>
        ) : null}
      </Stack>
    ) : (
      <Stack spacing={0.5} aria-label="Loading the next runs">
        {Array.from({ length: NEXT_RUNS }, (_, index) => (
          <Skeleton key={index} width="60%" />
        ))}
      </Stack>
    );
  }

  return (
    <Box component="section" aria-label="Next runs">
      <Typography variant="subtitle2" component="h4" sx={{ mb: 0.75 }}>
        Next runs
      </Typography>
      {body}
    </Box>
  );
}
