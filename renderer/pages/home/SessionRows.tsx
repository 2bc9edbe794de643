import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { formatDateTimeSeconds, formatDuration, formatRelative } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { SessionResultChip } from '../history/SessionResultChip.tsx';
import { kindLabel, sessionDuration, sessionState } from '../history/sessionState.ts';

function SessionRow({ session, now, connected }: { session: SessionSummary; now: number; connected: boolean }) {
  const state = sessionState(session, connected);
  return (
    <Box
      component="li"
      data-session-id={session.id}
      sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto auto', alignItems: 'center', columnGap: 2, px: 2.5, py: 1.25 }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Link href={hrefForSession(session.id)} underline="hover" variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {session.jobName}
        </Link>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {kindLabel(session.kind)} ·{' '}
          <Tooltip title={formatDateTimeSeconds(session.startedAt)} placement="bottom-start">
            <span>started {formatRelative(session.startedAt, now)}</span>
          </Tooltip>
        </Typography>
      </Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {state === 'unknown' ? '' : formatDuration(sessionDuration(session, now))}
      </Typography>
      <Box sx={{ justifySelf: 'end' }}>
        <SessionResultChip session={session} connected={connected} />
      </Box>
    </Box>
  );
}

/** Sessions as a compact list: job, when, how long, result. */
export function SessionRows({ sessions, now }: { sessions: readonly SessionSummary[]; now: number }) {
  const connected = useConnection((s) => s.state === 'connected');
  return (
    <Stack component="ul" divider={<Divider component="li" aria-hidden />} sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {sessions.map((session) => (
        <SessionRow key={session.id} session={session} now={now} connected={connected} />
      ))}
    </Stack>
  );
}
