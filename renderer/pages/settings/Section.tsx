import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { type ReactNode, useId } from 'react';
import type { IconComponent } from '../../components/Illustration.tsx';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

/** One card of the Settings page: an icon, a heading that names it, and its rows. */
export function Section({ title, description, icon: Icon, children }: { title: string; description: string; icon: IconComponent; children: ReactNode }) {
  const theme = useTheme();
  const headingId = useId();
  return (
    <Card component="section" aria-labelledby={headingId}>
      <Box sx={{ display: 'flex', gap: 1.75, alignItems: 'flex-start', px: 2.5, pt: 2.25, pb: 2 }}>
        <Box
          sx={{
            width: 36,
            height: 36,
            borderRadius: 1.5,
            display: 'grid',
            placeItems: 'center',
            flexShrink: 0,
            color: 'primary.main',
            bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.18 : 0.1),
          }}
        >
          <Icon sx={{ fontSize: 20 }} />
        </Box>
        <Box>
          <Typography variant="h6" component="h2" id={headingId}>
            {title}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {description}
          </Typography>
        </Box>
      </Box>
      <Divider />
      <Box sx={{ px: 2.5, py: 1 }}>{children}</Box>
    </Card>
  );
}

/** A label (with a hint under it) beside its control; stacked on narrow windows. */
export function Row({ label, hint, children, top }: { label: ReactNode; hint?: ReactNode; children: ReactNode; top?: boolean }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: '220px minmax(0, 1fr)' },
        gap: { xs: 0.75, sm: 3 },
        py: 1.5,
        alignItems: top ? 'start' : 'center',
        '& + &': { borderTop: 1, borderColor: 'divider' },
      }}
    >
      <Box sx={top ? { pt: 1 } : undefined}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {label}
        </Typography>
        {hint ? (
          <Typography variant="caption" color="textSecondary" component="div">
            {hint}
          </Typography>
        ) : null}
      </Box>
      <Box sx={{ minWidth: 0 }}>{children}</Box>
    </Box>
  );
}

export function Value({ children, mono }: { children: ReactNode; mono?: boolean }) {
  return (
    <Typography variant="body2" sx={{ overflowWrap: 'anywhere', ...(mono && { fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem' }) }}>
      {children}
    </Typography>
  );
}
