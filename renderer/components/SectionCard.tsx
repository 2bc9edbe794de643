import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

export interface SectionCardProps {
  /** The section's heading, and its accessible name. */
  title: string;
  /** Beside the heading, quietly: a count. */
  note?: ReactNode;
  /** Under the heading: a line that sums the section up. */
  subtitle?: ReactNode;
  /** Beside the heading: a link, a button. */
  aside?: ReactNode;
  /** A rule between the heading and the content. */
  divider?: boolean;
  children: ReactNode;
}

/** A titled card: one part of a page (a session's log, Home's capacity by repository). */
export function SectionCard({ title, note, subtitle, aside, divider, children }: SectionCardProps) {
  return (
    <Paper component="section" aria-label={title} variant="outlined" sx={{ borderRadius: 2.5, overflow: 'hidden' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', columnGap: 2, rowGap: 0.5, px: 2.5, pt: 2, pb: 1.5 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
          {subtitle ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {subtitle}
            </Typography>
          ) : null}
        </Box>
        {note ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {note}
          </Typography>
        ) : null}
        {aside}
      </Box>
      {divider ? <Divider /> : null}
      {children}
    </Paper>
  );
}
