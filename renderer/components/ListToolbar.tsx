import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { IconAction } from './IconAction.tsx';

export interface ListToolbarProps {
  /** The counts line ("2 jobs · 1 running"), read out when it changes. */
  summary: ReactNode;
  /** The refresh button's tooltip: what it reloads. */
  refreshTitle: string;
  onRefresh: () => void;
  /** Refresh is disabled while the engine is unreachable. */
  disabled?: boolean;
  /** Filters, before the counts. */
  children?: ReactNode;
}

/** The line above a list: its filters, what it holds, and a refresh button. */
export function ListToolbar({ summary, refreshTitle, onRefresh, disabled, children }: ListToolbarProps) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 2, mb: children ? 2 : 1.5, minHeight: 32 }}>
      {children}
      <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 200 }} aria-live="polite">
        {summary}
      </Typography>
      <IconAction label="Refresh list" title={refreshTitle} icon={<RefreshOutlined fontSize="small" />} onClick={onRefresh} disabled={disabled} />
    </Box>
  );
}
