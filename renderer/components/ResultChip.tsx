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
  stopped: { label: 'Stopped', color: 'secondary', icon: StopCircleOutlined },
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

/** A session result as a small tinted chip (green, amber, red), or a dash when there is none. */
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
      sx={(theme) => ({
        height: 24,
        fontSize: '0.75rem',
        color: theme.palette.mode === 'dark' ? theme.palette[color].main : theme.palette[color].dark,
        bgcolor: alpha(theme.palette[color].main, theme.palette.mode === 'dark' ? 0.16 : 0.1),
        border: `1px solid ${alpha(theme.palette[color].main, 0.35)}`,
        '& .MuiChip-icon': { color: 'inherit', fontSize: 16, ml: '6px' },
      })}
    />
  );
}
