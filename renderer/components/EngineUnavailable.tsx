import LinkOffOutlined from '@mui/icons-material/LinkOffOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import Button from '@mui/material/Button';
import { reconnectNow } from '../connection/engine.ts';
import { useConnection } from '../store/connection.ts';
import { EmptyState } from './EmptyState.tsx';

export interface EngineUnavailableProps {
  /** What cannot be shown, e.g. "the repositories". */
  what: string;
}

/** The error state of a page whose data comes from the engine while it is unreachable. */
export function EngineUnavailable({ what }: EngineUnavailableProps) {
  const engine = useConnection((s) => s.engine);
  const transport = useConnection((s) => s.transport);
  const accessRefused = useConnection((s) => s.accessRefused);
  return (
    <EmptyState
      icon={LinkOffOutlined}
      tone="error"
      title="Not connected to the engine"
      actions={
        <Button variant="outlined" startIcon={<SyncOutlined />} onClick={reconnectNow}>
          Retry now
        </Button>
      }
      footnote={engine ? `Data folder: ${engine.dataDir}` : undefined}
    >
      Ferry cannot show {what} until the connection to its engine is back.{' '}
      {transport === 'electron'
        ? 'The engine is restarting; this usually takes a few seconds.'
        : accessRefused
          ? 'The host is running but needs the new link it printed: paste it above.'
          : 'Check that the Ferry host is still running; the console reconnects on its own. If the host was restarted, open the new link it printed.'}
    </EmptyState>
  );
}
