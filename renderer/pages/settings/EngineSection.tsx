import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import DnsOutlined from '@mui/icons-material/DnsOutlined';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { copyText } from '../../components/clipboard.ts';
import { reconnectNow } from '../../connection/engine.ts';
import { formatDateTime } from '../../format/format.ts';
import { connectionLabel } from '../../shell/ConnectionBadge.tsx';
import { useConnection } from '../../store/connection.ts';
import { Row, Section, Value } from './Section.tsx';

const HOST_DESCRIPTIONS = {
  electron: 'Desktop app (runs alongside this window)',
  serve: 'Headless host (serves this console over HTTP)',
  cli: 'Command line',
} as const;

/** Which engine this console manages and where it keeps its data. */
export function EngineSection() {
  const state = useConnection((s) => s.state);
  const engine = useConnection((s) => s.engine);
  const transport = useConnection((s) => s.transport);
  const accessRefused = useConnection((s) => s.accessRefused);
  const tone = state === 'connected' ? 'success' : state === 'connecting' ? 'warning' : 'error';
  return (
    <Section title="Engine" description="The engine runs the jobs and keeps the catalog in its data folder." icon={DnsOutlined}>
      <Row label="Connection">
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Chip size="small" color={tone} variant="outlined" label={connectionLabel(state, engine, accessRefused)} />
          {state !== 'connected' ? (
            <Button size="small" onClick={reconnectNow}>
              Retry now
            </Button>
          ) : null}
        </Stack>
      </Row>
      <Row label="Data folder" hint="The catalog, the settings and the default repository. Back it up with the machine; move it by starting the engine with --data-dir.">
        {engine ? (
          <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
            <Value mono>{engine.dataDir}</Value>
            <Tooltip title="Copy the path">
              <IconButton size="small" aria-label="Copy the data folder path" onClick={() => void copyText(engine.dataDir, 'The data folder path')}>
                <ContentCopyOutlined fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        ) : (
          <Skeleton width="60%" />
        )}
      </Row>
      <Row label="Version">{engine ? <Value>{engine.version}</Value> : <Skeleton width={80} />}</Row>
      <Row label="Host">
        {engine ? (
          <Value>
            {HOST_DESCRIPTIONS[engine.host]}{' '}
            <Typography component="span" variant="body2" color="textSecondary">
              ({engine.host})
            </Typography>
          </Value>
        ) : (
          <Skeleton width="50%" />
        )}
      </Row>
      <Row label="Running since">{engine ? <Value>{formatDateTime(engine.startedAt)}</Value> : <Skeleton width={160} />}</Row>
      <Row label="Transport">
        <Value>{transport === 'electron' ? 'Electron message port' : 'WebSocket'}</Value>
      </Row>
    </Section>
  );
}
