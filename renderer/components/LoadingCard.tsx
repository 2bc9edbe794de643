import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';

/** A card of placeholder lines while a page's content loads. */
export function LoadingCard() {
  return (
    <Paper variant="outlined" sx={{ borderRadius: 2.5, p: 2.5 }} aria-busy>
      <Skeleton width="40%" height={28} />
      <Skeleton width="70%" />
      <Skeleton width="60%" />
    </Paper>
  );
}
