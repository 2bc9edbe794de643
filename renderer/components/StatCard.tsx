import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { ReactNode } from 'react';
import type { IconComponent } from './Illustration.tsx';

export interface StatCardProps {
  label: string;
  value: ReactNode;
  caption?: ReactNode;
  icon: IconComponent;
  tone?: 'primary' | 'secondary' | 'success' | 'warning' | 'error';
  loading?: boolean;
  children?: ReactNode;
}

/** One figure on the Home page: a label, a large value and a caption. */
export function StatCard({ label, value, caption, icon: Icon, tone = 'primary', loading, children }: StatCardProps) {
  const theme = useTheme();
  const color = theme.palette[tone].main;
  const content = (
    <CardContent sx={{ p: 2.5, '&:last-child': { pb: 2.5 } }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, mb: 1.5 }}>
        <Box
          sx={{
            width: 32,
            height: 32,
            borderRadius: 1.5,
            display: 'grid',
            placeItems: 'center',
            bgcolor: alpha(color, theme.palette.mode === 'dark' ? 0.18 : 0.1),
            color,
          }}
        >
          <Icon sx={{ fontSize: 18 }} />
        </Box>
        <Typography variant="subtitle2" component="h2" color="textSecondary">
          {label}
        </Typography>
      </Box>
      <Typography
        component="div"
        sx={{ fontSize: '1.75rem', fontWeight: 650, lineHeight: 1.15, fontVariantNumeric: 'tabular-nums' }}
      >
        {loading ? <Skeleton width={72} /> : value}
      </Typography>
      {caption ? (
        <Typography variant="body2" color="textSecondary" component="div" sx={{ mt: 0.75, minHeight: 20 }}>
          {loading ? <Skeleton width="70%" /> : caption}
        </Typography>
      ) : null}
      {children}
    </CardContent>
  );
  return <Card sx={{ height: '100%', borderRadius: 2.5 }}>{content}</Card>;
}
