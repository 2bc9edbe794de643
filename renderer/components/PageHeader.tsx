import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { type ReactNode, useEffect, useRef } from 'react';
import { hasNavigated } from '../shell/router.ts';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** Buttons on the right of the heading (the page's primary actions). */
  actions?: ReactNode;
}

/** The page's `<h1>` with its one-line description and primary actions. */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // After moving between pages, start keyboard and screen-reader users at the new heading.
    if (hasNavigated()) heading.current?.focus({ preventScroll: false });
  }, []);

  return (
    <Box
      component="header"
      sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap', mb: 3 }}
    >
      <Box sx={{ flex: '1 1 320px', minWidth: 0 }}>
        <Typography
          ref={heading}
          variant="h5"
          component="h1"
          tabIndex={-1}
          sx={{ outline: 'none' }}
        >
          {title}
        </Typography>
        {description ? (
          <Typography variant="body2" color="textSecondary" sx={{ mt: 0.5, maxWidth: 760 }}>
            {description}
          </Typography>
        ) : null}
      </Box>
      {actions ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexShrink: 0, pt: 0.25 }}>
          {actions}
        </Stack>
      ) : null}
    </Box>
  );
}
