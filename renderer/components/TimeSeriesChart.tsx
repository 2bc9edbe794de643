import Box from '@mui/material/Box';
import { LineChart } from '@mui/x-charts/LineChart';
import { formatDateTime, formatTimeOfDay } from '../format/format.ts';

export interface TimePoint {
  /** ms since epoch */
  at: number;
  value: number;
}

export interface TimeSeriesChartProps {
  /** What the chart shows, in words: its accessible name (the figures are said beside it). */
  label: string;
  /** The series' name in the tooltip ("Stored", "Rate"). */
  series: string;
  points: readonly TimePoint[];
  /** How a value reads: "1.2 GB", "35 MB/s". */
  format: (value: number) => string;
  /** Ticks as times of day (one run) or dates (weeks of growth). */
  ticks: 'time' | 'date';
  height?: number;
}

const DATE_TICK = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** One series over time, as an area under a line; sizes and dates in the OS locale. */
export function TimeSeriesChart({ label, series, points, format, ticks, height = 180 }: TimeSeriesChartProps) {
  return (
    <Box role="img" aria-label={label} sx={{ width: '100%', minWidth: 0 }}>
      <LineChart
        height={height}
        skipAnimation
        hideLegend
        margin={{ top: 8, right: 12, bottom: 0, left: 4 }}
        xAxis={[
          {
            data: points.map((point) => new Date(point.at)),
            scaleType: 'time',
            valueFormatter: (value: Date, context) =>
              context.location === 'tick' ? (ticks === 'time' ? formatTimeOfDay(value) : DATE_TICK.format(value)) : formatDateTime(value),
            tickNumber: 4,
          },
        ]}
        yAxis={[{ valueFormatter: (value: number) => format(value), width: 64, min: 0, tickNumber: 4 }]}
        series={[{ data: points.map((point) => point.value), label: series, area: true, showMark: false, valueFormatter: (value) => (value === null ? '—' : format(value)) }]}
        grid={{ horizontal: true }}
      />
    </Box>
  );
}
