import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import type { ReactNode } from 'react';

export interface IconActionProps {
  /** The button's accessible name ("Start Office documents"). */
  label: string;
  /** The tooltip: what the button does, or why it is disabled. */
  title: ReactNode;
  icon: ReactNode;
  onClick: () => void;
  disabled?: boolean;
  /** The action is under way: a spinner replaces the icon and the button is disabled. */
  busy?: boolean;
  /** The spinner's accessible name, when it should have one. */
  busyLabel?: string;
  color?: 'primary';
}

/** A small icon button with a tooltip that shows even while the button is disabled. */
export function IconAction({ label, title, icon, onClick, disabled, busy, busyLabel, color }: IconActionProps) {
  return (
    <Tooltip title={title}>
      <span>
        <IconButton aria-label={label} onClick={onClick} disabled={disabled || busy} size="small" color={color ?? 'default'}>
          {busy ? <CircularProgress size={18} aria-label={busyLabel} /> : icon}
        </IconButton>
      </span>
    </Tooltip>
  );
}
