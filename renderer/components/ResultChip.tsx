import CancelOutlined from '@mui/icons-material/CancelOutlined';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import StopCircleOutlined from '@mui/icons-material/StopCircleOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Chip from '@mui/material/Chip';
import { alpha } from '@mui/material/styles';
import type { SessionResult } from '../../shared/domain/job.ts';
import { Dash } from './Dash.tsx';

const RESULTS = {
  success: { label: 'Success', color: 'success', icon: CheckCircleOutlined },
  warning: { label: 'Warning', color: 'warning', icon: WarningAmberOutlined },
  failed: { label: 'Failed', color: 'error', icon: CancelOutlined },
  // Neutral: a stop is neither a success nor a failure (a colour of its own would read as one of them).
  stopped: { label: 'Stopped', color: 'neutral', icon: StopCircleOutlined },
  running: { label: 'Running', color: 'info', icon: SyncOutlined },
} as const;

export const RESULT_LABEL: Record<SessionResult, string> = {
  success: RESULTS.success.label,
  warning: RESULTS.warning.label,
  failed: RESULTS.failed.label,
  stopped: RESULTS.stopped.label,
};

export interface ResultChipProps {
  /** A session's result; null with `running` for one still going, null alone for none. */
  result: SessionResult | null;
  running?: boolean;
  /** Another wording than the result's name ("2 failed"). */
  label?: string;
}

/** A session result as a small tinted chip (green, amber, red, grey for a stop), or a dash when there is none. */
export function ResultChip({ result, running, label }: ResultChipProps) {
  const key = result ?? (running ? 'running' : null);
  if (!key) return <Dash />;
  const { color, icon: Icon } = RESULTS[key];
  return (
    <Chip
      label={label ?? RESULTS[key].label}
      size="small"
      icon={<Icon />}
      data-result={key}
      sx={(theme) => {
        const tone = color === 'neutral' ? { main: theme.palette.text.secondary, dark: theme.palette.text.secondary } : theme.palette[color];
        return {
          height: 24,
          fontSize: '0.75rem',
          color: theme.palette.mode === 'dark' ? tone.main : tone.dark,
          bgcolor: alpha(tone.main, theme.palette.mode === 'dark' ? 0.16 : 0.1),
          border: `1px solid ${alpha(tone.main, 0.35)}`,
          '& .MuiChip-icon': { color: 'inherit', fontSize: 16, ml: '6px' },
        };
      }}
    />
  );
}
