import HelpOutlineOutlined from '@mui/icons-material/HelpOutlineOutlined';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { ResultChip } from '../../components/ResultChip.tsx';
import { VisuallyHidden } from '../../components/VisuallyHidden.tsx';
import { isRunning, UNKNOWN_STATE } from './sessionState.ts';

/** A session's result; "Running" only while the engine can confirm it, else that nobody knows. */
export function SessionResultChip({
  session,
  connected,
  compact,
}: {
  session: Pick<SessionSummary, 'result' | 'endedAt'>;
  connected: boolean;
  /** In a table column: "Unknown", the whole sentence in its tooltip and for screen readers. */
  compact?: boolean;
}) {
  if (isRunning(session) && !connected) {
    const chip = (
      <Chip
        size="small"
        variant="outlined"
        icon={<HelpOutlineOutlined />}
        label={
          compact ? (
            <>
              Unknown<VisuallyHidden>: {UNKNOWN_STATE}</VisuallyHidden>
            </>
          ) : (
            UNKNOWN_STATE
          )
        }
        data-result="unknown"
        sx={{ height: 24, fontSize: '0.75rem', '& .MuiChip-icon': { fontSize: 16, ml: '6px' } }}
      />
    );
    return compact ? (
      <Tooltip title={UNKNOWN_STATE} describeChild>
        {chip}
      </Tooltip>
    ) : (
      chip
    );
  }
  return <ResultChip result={session.result} running={isRunning(session)} />;
}
