import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { StorageSpace } from '../../shared/domain/repository.ts';
import { formatBytes, formatPercent, usedShare } from '../format/format.ts';

export interface SpaceBarProps {
  space: StorageSpace;
  /** What the bar measures, for its accessible name ("Default repository"). */
  label: string;
  dense?: boolean;
  /** Show the used share next to the free space (it stays in the bar's accessible text). */
  showPercent?: boolean;
}

/** Free share below which space is shown as a warning, then as an error. */
const LOW_FREE = 0.15;
const CRITICAL_FREE = 0.05;

export function spaceTone(space: StorageSpace): 'primary' | 'warning' | 'error' {
  if (space.totalBytes <= 0) return 'primary';
  const free = space.freeBytes / space.totalBytes;
  if (free < CRITICAL_FREE) return 'error';
  if (free < LOW_FREE) return 'warning';
  return 'primary';
}

/** Used space as a bar, with "X free of Y" underneath. */
export function SpaceBar({ space, label, dense, showPercent = true }: SpaceBarProps) {
  const used = usedShare(space);
  return (
    <Box sx={{ minWidth: showPercent ? 160 : 140, maxWidth: 260 }}>
      <LinearProgress
        variant="determinate"
        value={Math.round(used * 100)}
        color={spaceTone(space)}
        aria-label={`Space used in ${label}`}
        aria-valuetext={`${formatPercent(used)} used, ${formatBytes(space.freeBytes)} free of ${formatBytes(space.totalBytes)}`}
        sx={{ height: dense ? 6 : 8 }}
      />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1, mt: 0.5 }}>
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
          {formatBytes(space.freeBytes)} free
          <Typography component="span" variant="body2" color="textSecondary">
            {' '}
            of {formatBytes(space.totalBytes)}
          </Typography>
        </Typography>
        {showPercent ? (
          <Typography variant="caption" color="textSecondary" sx={{ whiteSpace: 'nowrap', lineHeight: '20px' }}>
            {formatPercent(used)} used
          </Typography>
        ) : null}
      </Box>
    </Box>
  );
}
