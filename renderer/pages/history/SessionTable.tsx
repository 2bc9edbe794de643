import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { ResultChip } from '../../components/ResultChip.tsx';
import { formatBytes, formatDateTimeSeconds, formatDuration, formatRelative } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { type LiveSession, liveTotals } from '../../store/jobs.ts';
import { JOB_KIND_LABEL } from '../jobs/describe.ts';

export function isRunning(session: SessionSummary): boolean {
  return session.result === null && session.endedAt === null;
}

/** How long a session took, or has been running so far. */
export function sessionDuration(session: Pick<SessionSummary, 'startedAt' | 'endedAt'>, now: number): number {
  const end = session.endedAt ? Date.parse(session.endedAt) : now;
  return Math.max(0, end - Date.parse(session.startedAt));
}

export function kindLabel(kind: string): string {
  return kind in JOB_KIND_LABEL ? JOB_KIND_LABEL[kind as keyof typeof JOB_KIND_LABEL] : kind;
}

export interface SessionTableProps {
  sessions: readonly SessionSummary[];
  live: Record<string, LiveSession>;
  loading?: boolean;
  now: number;
  /** Shown as the only row when `sessions` is empty (filters match nothing). */
  empty?: ReactNode;
}

const COLUMNS = 6;

export function SessionTable({ sessions, live, loading, now, empty }: SessionTableProps) {
  const open = (id: string) => {
    window.location.hash = hrefForSession(id);
  };
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ borderRadius: 2.5 }}>
      <Table
        aria-label="Sessions"
        sx={{
          minWidth: 760,
          '& td, & th': { px: 1.5 },
          '& td:first-of-type, & th:first-of-type': { pl: 2 },
          '& td:last-of-type, & th:last-of-type': { pr: 2 },
        }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Job</TableCell>
            <TableCell sx={{ width: 200 }}>Started</TableCell>
            <TableCell align="right" sx={{ width: 120 }}>
              Duration
            </TableCell>
            <TableCell sx={{ width: 130 }}>Result</TableCell>
            <TableCell align="right" sx={{ width: 110 }}>
              Read
            </TableCell>
            <TableCell align="right" sx={{ width: 110 }}>
              New
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {loading && sessions.length === 0
            ? [0, 1, 2].map((row) => (
                <TableRow key={row} aria-hidden>
                  {Array.from({ length: COLUMNS }, (_, cell) => (
                    <TableCell key={cell}>
                      <Skeleton variant="text" width="70%" />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            : null}
          {!loading && sessions.length === 0 && empty ? (
            <TableRow>
              <TableCell colSpan={COLUMNS} sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
                {empty}
              </TableCell>
            </TableRow>
          ) : null}
          {sessions.map((session) => {
            const running = isRunning(session);
            const sessionLive = running ? live[session.id] : undefined;
            const totals = sessionLive ? liveTotals(sessionLive) : null;
            const read = totals ? totals.bytesRead : session.bytesRead;
            const written = totals ? totals.bytesNew : session.bytesNew;
            return (
              <TableRow
                key={session.id}
                hover
                data-session-id={session.id}
                onClick={(event) => {
                  // The link in the first cell handles its own clicks (and middle clicks, keyboard).
                  if ((event.target as HTMLElement).closest('a')) return;
                  open(session.id);
                }}
                sx={{ cursor: 'pointer', '&:last-child td': { borderBottom: 0 } }}
              >
                <TableCell>
                  <Link href={hrefForSession(session.id)} underline="hover" variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                    {session.jobName}
                  </Link>
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                    {kindLabel(session.kind)}
                    {session.jobId === null ? ' · job deleted' : ''}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Tooltip title={formatRelative(session.startedAt, now)} placement="top-start">
                    <Typography variant="body2" component="span" sx={{ whiteSpace: 'nowrap' }}>
                      {formatDateTimeSeconds(session.startedAt)}
                    </Typography>
                  </Tooltip>
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {formatDuration(sessionDuration(session, now))}
                </TableCell>
                <TableCell>
                  <ResultChip result={session.result} running={running} />
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {formatBytes(read)}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  <Tooltip title={running ? 'New data so far' : `${formatBytes(session.bytesStored)} stored after compression`}>
                    <span>{formatBytes(written)}</span>
                  </Tooltip>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
