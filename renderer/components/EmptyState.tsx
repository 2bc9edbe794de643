import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { type IconComponent, Illustration, type IllustrationProps } from './Illustration.tsx';

export interface EmptyStateProps {
  icon: IconComponent;
  badge?: IconComponent;
  tone?: IllustrationProps['tone'];
  title: string;
  children?: ReactNode;
  /** Call-to-action buttons. */
  actions?: ReactNode;
  /** A caption under the actions (why a button is disabled, what comes next). */
  footnote?: ReactNode;
  /** Drop the surrounding card (when already inside one). */
  bare?: boolean;
}

/** What a page shows when there is nothing (yet) to list, and what to do about it. */
export function EmptyState({ icon, badge, tone, title, children, actions, footnote, bare }: EmptyStateProps) {
  const content = (
    <Box sx={{ textAlign: 'center', maxWidth: 560, mx: 'auto' }}>
      <Illustration icon={icon} {...(badge ? { badge } : {})} {...(tone ? { tone } : {})} />
      <Typography variant="h6" component="h2" sx={{ mt: 3 }}>
        {title}
      </Typography>
      {children ? (
        <Typography variant="body2" component="div" color="textSecondary" sx={{ mt: 1, lineHeight: 1.6 }}>
          {children}
        </Typography>
      ) : null}
      {actions ? (
        <Stack direction="row" spacing={1.5} sx={{ justifyContent: 'center', flexWrap: 'wrap', mt: 3 }}>
          {actions}
        </Stack>
      ) : null}
      {footnote ? (
        <Typography variant="caption" component="div" color="textSecondary" sx={{ mt: 1.5 }}>
          {footnote}
        </Typography>
      ) : null}
    </Box>
  );
  if (bare) return <Box sx={{ py: 5, px: 3 }}>{content}</Box>;
  return (
    <Paper variant="outlined" sx={{ py: { xs: 5, md: 7 }, px: 3, borderRadius: 2.5 }}>
      {content}
    </Paper>
  );
}
