import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import { LineChart, lineClasses } from '@mui/x-charts/LineChart';
import { formatDateTime, formatTime, formatTimeOfDay } from '../format/format.ts';

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
  /** Each value holds for the span up to its time (a rate averaged since the sample before), drawn as steps. */
  step?: boolean;
  height?: number;
}

const DATE_TICK = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** One series over time, as an area under a line; sizes and dates in the OS locale. */
export function TimeSeriesChart({ label, series, points, format, ticks, step, height = 180 }: TimeSeriesChartProps) {
  const theme = useTheme();
  // Seconds on the ticks of a short run, else minutes would repeat.
  const short = points.length > 1 && points.at(-1)!.at - points[0]!.at < 3_600_000;
  const tick = (value: Date) => (ticks === 'date' ? DATE_TICK.format(value) : short ? formatTime(value) : formatTimeOfDay(value));
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
            valueFormatter: (value: Date, context) => (context.location === 'tick' ? tick(value) : ticks === 'time' ? formatTime(value) : formatDateTime(value)),
            tickNumber: 4,
          },
        ]}
        yAxis={[{ valueFormatter: (value: number) => format(value), width: 84, min: 0, tickNumber: 4 }]}
        series={[
          {
            data: points.map((point) => point.value),
            label: series,
            area: true,
            showMark: false,
            ...(step ? { curve: 'stepBefore' as const } : {}),
            color: theme.palette.primary.main,
            valueFormatter: (value) => (value === null ? '—' : format(value)),
          },
        ]}
        grid={{ horizontal: true }}
        // The theme's colour, the area a light tint of it under a firm line.
        sx={{ [`& .${lineClasses.area}`]: { fillOpacity: theme.palette.mode === 'dark' ? 0.22 : 0.14 }, [`& .${lineClasses.line}`]: { strokeWidth: 2 } }}
      />
    </Box>
  );
}
