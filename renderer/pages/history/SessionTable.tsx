import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { type Column, DataRow, DataTable, NewBytes, NumberCell } from '../../components/DataTable.tsx';
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

const COLUMNS: readonly Column[] = [
  { label: 'Job' },
  { label: 'Started', width: 200 },
  { label: 'Duration', width: 120, align: 'right' },
  { label: 'Result', width: 130 },
  { label: 'Read', width: 110, align: 'right' },
  { label: 'New', width: 110, align: 'right' },
];

export function SessionTable({ sessions, live, loading, now, empty }: SessionTableProps) {
  const open = (id: string) => {
    window.location.hash = hrefForSession(id);
  };
  return (
    <DataTable
      label="Sessions"
      columns={COLUMNS}
      minWidth={760}
      padding={{ end: 2 }}
      loading={loading && sessions.length === 0}
      skeletonRows={3}
      empty={!loading && sessions.length === 0 ? empty : null}
    >
      {sessions.map((session) => {
        const running = isRunning(session);
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
            <NumberCell>{formatDuration(sessionDuration(session, now))}</NumberCell>
            <TableCell>
              <ResultChip result={session.result} running={running} />
            </TableCell>
            <NumberCell>{formatBytes(totals ? totals.bytesRead : session.bytesRead)}</NumberCell>
            <NumberCell>
              <NewBytes bytes={totals ? totals.bytesNew : session.bytesNew} stored={running ? null : session.bytesStored} />
            </NumberCell>
          </DataRow>
        );
      })}
    </DataTable>
  );
}
