import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { IconComponent } from './Illustration.tsx';

export interface IconLabelProps {
  icon: IconComponent;
  /** The icon's colour ("success.main"); also the label's when `muted`. */
  color: string;
  /** The label in the icon's colour rather than the text colour (a state that matters little). */
  muted?: boolean;
  children: ReactNode;
}

/** A state in a table cell: a small icon and a word ("Available", "Idle"). */
export function IconLabel({ icon: Icon, color, muted, children }: IconLabelProps) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color }}>
      <Icon sx={{ fontSize: 18 }} />
      <Typography variant="body2" sx={muted ? undefined : { color: 'text.primary' }}>
        {children}
      </Typography>
    </Box>
  );
}
