import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { type Column, DataRow, DataTable, NewBytes, NumberCell } from '../../components/DataTable.tsx';
import { formatBytes, formatDateTimeSeconds, formatDuration, formatRelative } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { type LiveSession, liveTotals } from '../../store/jobs.ts';
import { useConnection } from '../../store/connection.ts';
import { SessionResultChip } from './SessionResultChip.tsx';
import { kindLabel, sessionDuration, sessionState } from './sessionState.ts';

export interface SessionTableProps {
  sessions: readonly SessionSummary[];
  live: Record<string, LiveSession>;
  loading?: boolean;
  now: number;
  /** Shown as the only row when `sessions` is empty (filters match nothing). */
  empty?: ReactNode;
}

const COLUMNS: readonly Column[] = [
  { label: 'Job' },
  { label: 'Started', width: 190 },
  { label: 'Duration', width: 88, align: 'right' },
  { label: 'Result', width: 124 },
  { label: 'Read', width: 88, align: 'right' },
  { label: 'New', width: 88, align: 'right' },
];

export function SessionTable({ sessions, live, loading, now, empty }: SessionTableProps) {
  const connected = useConnection((s) => s.state === 'connected');
  const open = (id: string) => {
    window.location.hash = hrefForSession(id);
  };
  return (
    <DataTable
      label="Sessions"
      columns={COLUMNS}
      minWidth={680}
      padding={{ end: 2 }}
      loading={loading && sessions.length === 0}
      skeletonRows={3}
      empty={!loading && sessions.length === 0 ? empty : null}
    >
      {sessions.map((session) => {
        const state = sessionState(session, connected);
        const running = state === 'running';
        const sessionLive = running ? live[session.id] : undefined;
        const totals = sessionLive ? liveTotals(sessionLive) : null;
        return (
          <DataRow
            key={session.id}
            hover
            data-session-id={session.id}
            onClick={(event) => {
              // The link in the first cell handles its own clicks (and middle clicks, keyboard).
              if ((event.target as HTMLElement).closest('a')) return;
              open(session.id);
            }}
            sx={{ cursor: 'pointer' }}
          >
            <TableCell>
              <Link href={hrefForSession(session.id)} underline="hover" variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
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
            <NumberCell>{state === 'unknown' ? '—' : formatDuration(sessionDuration(session, now))}</NumberCell>
            <TableCell>
              <SessionResultChip session={session} connected={connected} compact />
            </TableCell>
            <NumberCell>{formatBytes(totals ? totals.bytesRead : session.bytesRead)}</NumberCell>
            <NumberCell>
              <NewBytes bytes={totals ? totals.bytesNew : session.bytesNew} stored={state === 'ended' ? session.bytesStored : null} />
            </NumberCell>
          </DataRow>
        );
      })}
    </DataTable>
  );
}
