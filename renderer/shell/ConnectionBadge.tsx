import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import type { EngineInfo } from '../../shared/contract/engine.ts';
import { formatDateTime } from '../format/format.ts';
import { type ConnectionState, useConnection } from '../store/connection.ts';

const HOST_NAMES: Record<EngineInfo['host'], string> = {
  electron: 'desktop',
  serve: 'serve',
  cli: 'CLI',
};

export function connectionLabel(state: ConnectionState, engine: EngineInfo | null, accessRefused = false): string {
  if (accessRefused && state !== 'connected') return 'New link needed';
  switch (state) {
    case 'connected':
      return engine ? `Connected · ${engine.host} engine` : 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'disconnected':
      return 'Disconnected — retrying';
  }
}

function Detail({ term, value }: { term: string; value: string }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '88px 1fr', gap: 1 }}>
      <Typography variant="caption" sx={{ opacity: 0.75 }}>
        {term}
      </Typography>
      <Typography variant="caption" sx={{ wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Box>
  );
}

/** Which engine the console talks to, and whether it is reachable right now. */
export function ConnectionBadge() {
  const state = useConnection((s) => s.state);
  const engine = useConnection((s) => s.engine);
  const transport = useConnection((s) => s.transport);
  const accessRefused = useConnection((s) => s.accessRefused);

  // The app bar is dark in both themes: use bright status colours that read on it.
  const color = state === 'connected' ? '#4cd18f' : state === 'connecting' ? '#f5b94a' : '#ff7b7b';
  const summary =
    state === 'connected'
      ? 'Connected to the engine.'
      : accessRefused
        ? 'The Ferry host refuses this page\'s session: paste the new link ferry serve printed.'
        : state === 'connecting'
          ? 'Connecting to the engine…'
          : 'Lost the connection to the engine. Ferry keeps trying to reconnect.';

  const title = (
    <Box sx={{ py: 0.5, display: 'grid', gap: 0.5 }}>
      <Typography variant="caption" sx={{ fontWeight: 600 }}>
        {summary}
      </Typography>
      {engine ? (
        <>
          <Detail term="Data folder" value={engine.dataDir} />
          <Detail term="Version" value={engine.version} />
          <Detail term="Host" value={`${HOST_NAMES[engine.host]} (${engine.host})`} />
          <Detail term="Started" value={formatDateTime(engine.startedAt)} />
        </>
      ) : null}
      <Detail term="Transport" value={transport === 'electron' ? 'Electron message port' : 'WebSocket'} />
    </Box>
  );

  return (
    <Box role="status" aria-live="polite" sx={{ display: 'flex', minWidth: 0 }}>
      <Tooltip title={title} placement="bottom-end">
        <Chip
          tabIndex={0}
          size="small"
          data-state={state}
          label={connectionLabel(state, engine, accessRefused)}
          icon={
            <Box
              component="span"
              sx={{
                width: 8,
                height: 8,
                borderRadius: '50%',
                bgcolor: color,
                boxShadow: `0 0 0 3px ${alpha(color, 0.25)}`,
                ml: '10px !important',
                flexShrink: 0,
                ...(state !== 'connected' && {
                  animation: 'ferry-pulse 1.6s ease-in-out infinite',
                  '@keyframes ferry-pulse': { '50%': { opacity: 0.35 } },
                  '@media (prefers-reduced-motion: reduce)': { animation: 'none' },
                }),
              }}
            />
          }
          sx={{
            maxWidth: '100%',
            color: 'inherit',
            bgcolor: alpha(color, 0.16),
            border: `1px solid ${alpha(color, 0.45)}`,
            '& .MuiChip-label': { px: 1.25 },
            '&:focus-visible': { outline: `2px solid ${alpha('#ffffff', 0.8)}`, outlineOffset: 2 },
          }}
        />
      </Tooltip>
    </Box>
  );
}
