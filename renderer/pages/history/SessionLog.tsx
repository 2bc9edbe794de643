import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { alpha } from '@mui/material/styles';
import type { SessionDetail } from '../../../shared/domain/job.ts';
import { formatDateTimeSeconds, formatTime } from '../../format/format.ts';
import { LEVEL_LABEL } from './logText.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

const LEVEL = {
  info: { label: LEVEL_LABEL.info, color: 'text.secondary', tone: null },
  warning: { label: LEVEL_LABEL.warning, color: 'warning.main', tone: 'warning' },
  error: { label: LEVEL_LABEL.error, color: 'error.main', tone: 'error' },
} as const;

export function SessionLog({ log }: { log: SessionDetail['log'] }) {
  return (
    <Box
      role="log"
      aria-label="Log"
      sx={{
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: (theme) => (theme.palette.mode === 'dark' ? alpha('#000', 0.25) : '#f8fafc'),
        fontFamily: MONO_FONT_STACK,
        fontSize: '0.8125rem',
        lineHeight: 1.6,
        py: 1,
        maxHeight: 480,
        overflow: 'auto',
      }}
    >
      {log.length === 0 ? (
        <Box sx={{ px: 2.5, py: 1, color: 'text.secondary' }}>Nothing logged yet.</Box>
      ) : (
        log.map((line, index) => {
          const level = LEVEL[line.level];
          return (
            <Box
              key={index}
              data-level={line.level}
              sx={(theme) => ({
                display: 'grid',
                gridTemplateColumns: 'auto 3.25rem minmax(0, 1fr)',
                columnGap: 1.5,
                px: 2.5,
                py: 0.25,
                borderLeft: '3px solid',
                borderLeftColor: level.tone ? theme.palette[level.tone].main : 'transparent',
                bgcolor: level.tone ? alpha(theme.palette[level.tone].main, 0.07) : 'transparent',
              })}
            >
              <Box component="span" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                <Tooltip title={formatDateTimeSeconds(line.at)} placement="top-start">
                  <span>{formatTime(line.at)}</span>
                </Tooltip>
              </Box>
              <Box component="span" sx={{ color: level.color, fontWeight: 700 }}>
                {level.label}
              </Box>
              <Box component="span" sx={{ color: line.level === 'error' ? 'error.main' : 'text.primary', overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                {line.message}
              </Box>
            </Box>
          );
        })
      )}
    </Box>
  );
}


