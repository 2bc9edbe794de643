import HelpOutlineOutlined from '@mui/icons-material/HelpOutlineOutlined';
import Chip from '@mui/material/Chip';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { ResultChip } from '../../components/ResultChip.tsx';
import { isRunning, UNKNOWN_STATE } from './sessionState.ts';

/** A session's result; "Running" only while the engine can confirm it, else that nobody knows. */
export function SessionResultChip({ session, connected }: { session: Pick<SessionSummary, 'result' | 'endedAt'>; connected: boolean }) {
  if (isRunning(session) && !connected) {
    return (
      <Chip
        size="small"
        variant="outlined"
        icon={<HelpOutlineOutlined />}
        label={UNKNOWN_STATE}
        data-result="unknown"
        sx={{ height: 24, fontSize: '0.75rem', '& .MuiChip-icon': { fontSize: 16, ml: '6px' } }}
      />
    );
  }
  return <ResultChip result={session.result} running={isRunning(session)} />;
}
