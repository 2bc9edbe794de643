import Box from '@mui/material/Box';
import type SvgIcon from '@mui/material/SvgIcon';
import { alpha, useTheme } from '@mui/material/styles';

export type IconComponent = typeof SvgIcon;

export interface IllustrationProps {
  icon: IconComponent;
  /** A small second icon in a badge at the lower right. */
  badge?: IconComponent;
  tone?: 'primary' | 'secondary' | 'warning' | 'error' | 'success';
  size?: number;
}

/** A large, quiet icon in soft concentric rings: the picture of an empty or error state. */
export function Illustration({ icon: Icon, badge: Badge, tone = 'primary', size = 112 }: IllustrationProps) {
  const theme = useTheme();
  const color = theme.palette[tone].main;
  const dark = theme.palette.mode === 'dark';
  return (
    <Box
      aria-hidden
      sx={{
        position: 'relative',
        width: size,
        height: size,
        mx: 'auto',
        borderRadius: '50%',
        display: 'grid',
        placeItems: 'center',
        background: `radial-gradient(circle at 50% 40%, ${alpha(color, dark ? 0.2 : 0.12)} 0%, ${alpha(color, dark ? 0.08 : 0.05)} 62%, transparent 63%)`,
        boxShadow: `0 0 0 1px ${alpha(color, dark ? 0.22 : 0.14)}, 0 0 0 ${size * 0.09}px ${alpha(color, dark ? 0.05 : 0.035)}`,
      }}
    >
      <Icon sx={{ fontSize: size * 0.44, color }} />
      {Badge ? (
        <Box
          sx={{
            position: 'absolute',
            right: size * 0.02,
            bottom: size * 0.04,
            width: size * 0.32,
            height: size * 0.32,
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            bgcolor: 'background.paper',
            boxShadow: `0 0 0 2px ${alpha(color, dark ? 0.35 : 0.25)}`,
          }}
        >
          <Badge sx={{ fontSize: size * 0.18, color }} />
        </Box>
      ) : null}
    </Box>
  );
}
