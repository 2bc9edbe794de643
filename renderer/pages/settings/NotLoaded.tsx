import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { Loaded } from './useEngineValue.ts';

/** A section's body until its settings are read: why they could not be, or a placeholder meanwhile. */
export function NotLoaded({ loaded, what }: { loaded: Loaded<unknown>; what: string }) {
  if (loaded.status === 'error') {
    return (
      <Typography variant="body2" color="error" role="alert" sx={{ py: 1.5 }}>
        Could not read {what}: {loaded.message}
      </Typography>
    );
  }
  return <Skeleton height={56} sx={{ my: 1 }} aria-busy />;
}
