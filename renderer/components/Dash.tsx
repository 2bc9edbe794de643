import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

/** A quiet dash for "nothing here" (no value, no result), with an optional tooltip saying why. */
export function Dash({ title }: { title?: string }) {
  const dash = (
    <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
      —
    </Typography>
  );
  return title ? <Tooltip title={title}>{dash}</Tooltip> : dash;
}
