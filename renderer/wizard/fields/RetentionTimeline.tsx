import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha, type Theme } from '@mui/material/styles';
import type { RetentionPreviewOutput } from '../../../shared/contract/retention.ts';
import type { AnyScheduleSpec, RetentionSpec } from '../../../shared/domain/job.ts';
import { request } from '../../connection/engine.ts';
import { formatCount, formatDate } from '../../format/format.ts';
import { keptAtEnd, type Lane, laneWords, LANES } from './timeline.ts';
import { Updating } from './Updating.tsx';
import { usePreview } from './usePreview.ts';

export const TIMELINE_MONTHS = 12;

const LANE_LABEL: Record<Lane, string> = { yearly: 'Yearly', monthly: 'Monthly', weekly: 'Weekly', newest: 'Newest' };
const laneColor = (theme: Theme, lane: Lane) =>
  ({ yearly: theme.palette.warning.main, monthly: theme.palette.secondary.main, weekly: theme.palette.info.main, newest: theme.palette.text.secondary })[lane];

export interface RetentionTimelineProps {
  /** A valid retention, or null while its fields have a message. */
  retention: RetentionSpec | null;
  /** The job's schedule as far as it is valid (absent: one point a day is assumed). */
  schedule: AnyScheduleSpec | undefined;
}

/**
 * Which restore points retention would keep after a year of the job's schedule
 * (retention.preview's simulation): a lane per kind of point on a time axis, and the
 * same in words.
 */
export function RetentionTimeline({ retention, schedule }: RetentionTimelineProps) {
  const key = retention ? JSON.stringify({ retention, schedule }) : null;
  const preview = usePreview<RetentionPreviewOutput>(key, (signal) =>
    request('retention.preview', { retention: retention!, ...(schedule ? { schedule } : {}), months: TIMELINE_MONTHS }, { signal }),
  );

  let body;
  if (!retention) body = <Typography variant="body2" sx={{ color: 'text.secondary' }}>Correct the retention to see what it keeps.</Typography>;
  else if (preview.status === 'failed') body = <Alert severity="info" variant="outlined">{preview.message}</Alert>;
  else {
    const value = preview.status === 'ready' ? preview.value : preview.status === 'loading' ? preview.last : null;
    body = value ? <Timeline preview={value} busy={preview.status === 'loading'} /> : <Skeleton variant="rounded" height={120} />;
  }
  return (
    <Box component="section" aria-label="Retention timeline">
      <Typography variant="subtitle2" component="h4">
        What is kept over the next {TIMELINE_MONTHS} months
      </Typography>
      {body}
    </Box>
  );
}

function Timeline({ preview, busy }: { preview: RetentionPreviewOutput; busy: boolean }) {
  const kept = keptAtEnd(preview);
  const start = Math.min(Date.parse(preview.now), ...kept.map((point) => Date.parse(point.completed)));
  const end = Date.parse(preview.until);
  const span = Math.max(1, end - start);
  const position = (at: string) => `${((Date.parse(at) - start) / span) * 100}%`;
  const lanes = LANES.filter((lane) => lane === 'newest' || kept.some((point) => point.lane === lane));
  const ticks = monthTicks(start, end);
  const words = laneWords(kept, (iso) => formatDate(iso));

  return (
    <Stack spacing={1.25} aria-busy={busy}>
      <Updating busy={busy} label="Updating the retention timeline" />
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        On {formatDate(preview.until)}, {formatCount(kept.length, 'restore point', 'restore points')} per workload would be kept; at most{' '}
        {formatCount(preview.peakKept, 'point', 'points')} at once.
      </Typography>
      <Box aria-hidden sx={{ display: 'grid', gridTemplateColumns: '72px minmax(0, 1fr)', rowGap: 0.5, columnGap: 1, pr: 1 }}>
        {lanes.map((lane) => (
          <Lanes key={lane} lane={lane} points={kept.filter((point) => point.lane === lane).map((point) => position(point.completed))} />
        ))}
        <Box />
        <Box sx={{ position: 'relative', height: 18, borderTop: 1, borderColor: 'divider' }}>
          {ticks.map((tick) => (
            <Typography
              key={tick.at}
              variant="caption"
              sx={{ position: 'absolute', left: `${((tick.at - start) / span) * 100}%`, transform: 'translateX(-50%)', color: 'text.secondary', whiteSpace: 'nowrap', fontSize: '0.6875rem' }}
            >
              {tick.label}
            </Typography>
          ))}
        </Box>
      </Box>
      <Box component="ul" sx={{ m: 0, pl: 3 }}>
        {words.map((line) => (
          <Typography component="li" variant="body2" key={line}>
            {line}
          </Typography>
        ))}
      </Box>
      {preview.notes.map((note) => (
        <Typography key={note} variant="caption" sx={{ color: 'text.secondary' }}>
          {note}
        </Typography>
      ))}
    </Stack>
  );
}

function Lanes({ lane, points }: { lane: Lane; points: string[] }) {
  return (
    <>
      <Typography variant="caption" sx={{ color: 'text.secondary', alignSelf: 'center' }}>
        {LANE_LABEL[lane]}
      </Typography>
      <Box sx={(theme) => ({ position: 'relative', height: 18, borderRadius: 1, bgcolor: alpha(theme.palette.text.primary, 0.04) })}>
        {points.map((left, index) => (
          <Box
            key={index}
            sx={(theme) => ({
              position: 'absolute',
              left,
              top: 4,
              width: 10,
              height: 10,
              ml: '-5px',
              borderRadius: '50%',
              bgcolor: laneColor(theme, lane),
              border: `1px solid ${theme.palette.background.paper}`,
            })}
          />
        ))}
      </Box>
    </>
  );
}

/** The first of each month between start and end, labelled every other month when there are many. */
function monthTicks(start: number, end: number): { at: number; label: string }[] {
  const first = new Date(start);
  const ticks: { at: number; label: string }[] = [];
  for (let month = first.getMonth() + 1; ; month++) {
    const at = new Date(first.getFullYear(), month, 1).getTime();
    if (at > end) break;
    ticks.push({ at, label: new Intl.DateTimeFormat(undefined, { month: 'short', ...(new Date(at).getMonth() === 0 ? { year: 'numeric' } : {}) }).format(at) });
  }
  return ticks.length > 8 ? ticks.filter((_, index) => index % 2 === 0) : ticks;
}
