import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';

/**
 * A thin bar over a preview the engine is recomputing. The old preview stays at full
 * contrast under it (a faded one failed WCAG contrast and was hard to read); the bar's
 * box is always there so nothing moves when it appears.
 */
export function Updating({ busy, label }: { busy: boolean; label: string }) {
  return <Box sx={{ height: 2 }}>{busy && <LinearProgress aria-label={label} sx={{ height: 2 }} />}</Box>;
}
