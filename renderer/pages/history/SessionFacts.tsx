import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { SessionDetail } from '../../../shared/domain/job.ts';
import { formatBytes, formatDate, formatDateTimeSeconds, formatDuration, formatTime } from '../../format/format.ts';
import { byteWords, newExceedsRead } from './byteWords.ts';
import { SessionResultChip } from './SessionResultChip.tsx';
import { sessionDuration, type SessionState } from './sessionState.ts';

function Fact({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" component="dt" sx={{ color: 'text.secondary', fontWeight: 600, display: 'block', mb: 0.5 }}>
        {label}
      </Typography>
      <Typography variant="body2" component="dd" sx={{ m: 0, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {children}
        {hint ? (
          <Typography variant="caption" component="span" sx={{ display: 'block', color: 'text.secondary', whiteSpace: 'normal', maxWidth: 180 }}>
            {hint}
          </Typography>
        ) : null}
      </Typography>
    </Box>
  );
}

/** The end of a session: only its time when it ended on the day it started. */
function formatEnd(startedAt: string, endedAt: string): string {
  return formatDate(startedAt) === formatDate(endedAt) ? formatTime(endedAt) : formatDateTimeSeconds(endedAt);
}

/** A session's result, timings and bytes, each byte figure saying what it counts. */
export function SessionFacts({
  session,
  state,
  now,
  totals,
}: {
  session: SessionDetail;
  state: SessionState;
  now: number;
  totals: { read: number; written: number } | null;
}) {
  const words = byteWords(session.kind);
  const read = totals?.read ?? session.bytesRead;
  const added = totals?.written ?? session.bytesNew;
  const exceeds = newExceedsRead(session.kind, read, added);
  const ended = state === 'ended';
  return (
    <Paper variant="outlined" sx={{ borderRadius: 2.5, px: 2.5, py: 2 }}>
      <Box component="dl" aria-label="Session" sx={{ m: 0, display: 'flex', flexWrap: 'wrap', columnGap: 5, rowGap: 2 }}>
        <Fact label="Result">
          <SessionResultChip session={session} connected={state !== 'unknown'} />
        </Fact>
        <Fact label="Started">{formatDateTimeSeconds(session.startedAt)}</Fact>
        <Fact label="Ended">{session.endedAt ? formatEnd(session.startedAt, session.endedAt) : state === 'running' ? 'Still running' : 'Unknown'}</Fact>
        <Fact label="Duration">{state === 'unknown' ? 'Unknown' : formatDuration(sessionDuration(session, now))}</Fact>
        <Fact label="Read" hint={words.read}>
          {formatBytes(read)}
        </Fact>
        <Fact label="New data" hint={words.new}>
          {formatBytes(added)}
        </Fact>
        <Fact label="Stored" hint={words.stored}>
          {ended ? formatBytes(session.bytesStored) : '—'}
        </Fact>
      </Box>
      {exceeds ? (
        <Alert severity="info" variant="outlined" sx={{ mt: 2, py: 0 }}>
          {exceeds}
        </Alert>
      ) : null}
    </Paper>
  );
}
