import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { TimeSeriesChart } from '../../components/TimeSeriesChart.tsx';
import { formatBytes } from '../../format/format.ts';
import type { RateSample } from '../../../shared/domain/job.ts';
import { describeRate } from './rate.ts';

const perSecond = (value: number) => `${formatBytes(value)}/s`;

/** A run shorter than this is said in words only: its chart would be one bar under ticks of the same second. */
const CHART_MIN_MS = 5000;

/** The transfer rate over the run, with its average and peak in words. */
export function RateChart({ samples, startedAt, running }: { samples: readonly RateSample[]; startedAt: string; running: boolean }) {
  const rate = describeRate(samples, startedAt);
  if (rate.points.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary" sx={{ px: 2.5, pb: 2 }}>
        {running ? 'The rate shows here while the run moves data.' : 'No rate was recorded: the run moved no data.'}
      </Typography>
    );
  }
  if (rate.spanMs < CHART_MIN_MS && !running) {
    return (
      <Typography variant="body2" color="textSecondary" sx={{ px: 2.5, pb: 2 }}>
        {rate.words}. The run was too short to chart.
      </Typography>
    );
  }
  return (
    <Box sx={{ px: 1.5, pb: 1.5 }}>
      <Typography variant="body2" color="textSecondary" sx={{ px: 1, mb: 0.5 }}>
        {rate.words}
      </Typography>
      <TimeSeriesChart label={`Transfer rate over the run: ${rate.words}`} series="Rate" points={rate.points} format={perSecond} ticks="time" step height={200} />
    </Box>
  );
}
