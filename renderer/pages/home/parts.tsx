import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { LoadStatus } from '../../store/repositories.ts';

export const loadingOf = (status: LoadStatus) => status !== 'ready' && status !== 'error';

/** A card's one line when it has nothing to list: what that means, and what to do. */
export function Message({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, py: 2 }}>
      {children}
    </Typography>
  );
}

export function Placeholder() {
  return (
    <Box sx={{ p: 2.5 }} aria-busy>
      <Skeleton height={28} />
      <Skeleton height={28} width="80%" />
    </Box>
  );
}
