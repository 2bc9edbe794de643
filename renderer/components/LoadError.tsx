import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { SxProps, Theme } from '@mui/material/styles';
import type { ReactNode } from 'react';

export interface LoadErrorProps {
  /** What could not be loaded, and why. */
  children: ReactNode;
  /** Offers "Try again" when given. */
  onRetry?: () => void;
  severity?: 'error' | 'warning';
  sx?: SxProps<Theme>;
}

/** Data the engine could not give: what went wrong, and a way to try again. */
export function LoadError({ children, onRetry, severity = 'error', sx }: LoadErrorProps) {
  return (
    <Alert
      severity={severity}
      sx={sx}
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Try again
          </Button>
        ) : undefined
      }
    >
      {children}
    </Alert>
  );
}
