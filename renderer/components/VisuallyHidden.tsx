import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/** Styles that hide an element on screen but keep it for screen readers. */
export const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

/** Text read by screen readers only (a column header, a step announcement). */
export function VisuallyHidden({ children, role }: { children: ReactNode; role?: string }) {
  return (
    <Box component="span" role={role} sx={visuallyHidden}>
      {children}
    </Box>
  );
}
