import CloseOutlined from '@mui/icons-material/CloseOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useState } from 'react';
import type { CopyPhase, JobSummary, SessionDetail } from '../../../shared/domain/job.ts';
import { type Column, DataRow, DataTable, NumberCell } from '../../components/DataTable.tsx';
import { RESULT_LABEL, ResultChip } from '../../components/ResultChip.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { type LiveSession, liveSessionOfJob, useJobs, type WorkloadProgress } from '../../store/jobs.ts';
import { SessionLog } from '../history/SessionLog.tsx';

/** A copy workload's phase in words. */
export const COPY_PHASE_LABEL: Record<CopyPhase, string> = {
  waiting: 'Waiting for a point',
  'waiting-for-window': 'Waiting for the window',
  planning: 'Planning',
  copying: 'Copying',
  committing: 'Committing',
  done: 'Copied',
  failed: 'Failed',
};

/** How often the open view reloads the session's log (progress itself is pushed). */
const LOG_POLL_MS = 2000;

interface WorkloadLine {
  name: string;
  phase: string;
  /** 0…1 when the total is known, null while it runs without one, undefined when not running. */
  share: number | null | undefined;
  read: number | null;
  transferred: number | null;
  rate: number | null;
  etaSeconds: number | null;
}

/** One workload of the live session, as the table shows it. */
export function workloadLine(name: string, progress: WorkloadProgress | undefined, current: boolean): WorkloadLine {
  if (!progress) return { name, phase: 'Waiting', share: undefined, read: null, transferred: null, rate: null, etaSeconds: null };
  const { copy } = progress;
  if (copy) {
    const running = copy.phase !== 'done' && copy.phase !== 'failed';
    return {
      name,
      phase: COPY_PHASE_LABEL[copy.phase],
      share: copy.phase === 'done' ? 1 : running ? (copy.chunksTotal > 0 ? Math.min(1, copy.chunksDone / copy.chunksTotal) : null) : undefined,
      read: progress.bytesRead,
      transferred: copy.bytesTransferred,
      rate: copy.phase === 'copying' ? copy.rateBytesPerSecond : null,
      etaSeconds: copy.phase === 'copying' ? copy.etaSeconds : null,
    };
  }
  // A folder backup runs one workload at a time: the one before the current is done; a total is known only once read.
  return {
    name,
    phase: current ? 'Backing up' : 'Done',
    share: current ? null : 1,
    read: progress.bytesRead,
    transferred: progress.bytesNew,
    rate: current ? progress.rate : null,
    etaSeconds: null,
  };
}

const COLUMNS: readonly Column[] = [
  { label: 'Workload', minWidth: 120 },
  { label: 'Phase', width: 150 },
  { label: 'Progress', width: 120 },
  { label: 'Read', width: 88, align: 'right' },
  { label: 'Transferred', width: 96, align: 'right' },
  { label: 'Rate', width: 92, align: 'right' },
  { label: 'Time left', width: 84, align: 'right' },
];

/** The workloads of a session that ended: each task's result. */
export function taskLine(task: SessionDetail['tasks'][number]): WorkloadLine {
  return {
    name: task.workload,
    phase: RESULT_LABEL[task.result],
    share: task.result === 'failed' ? undefined : 1,
    read: task.bytesRead,
    transferred: task.bytesNew,
    rate: task.durationMs > 0 && task.bytesRead > 0 ? (task.bytesRead * 1000) / task.durationMs : null,
    etaSeconds: null,
  };
}

/** The running session's workloads: the job's own in order, then any reported that the definition does not list. */
function liveLines(live: LiveSession | undefined, names: readonly string[]): WorkloadLine[] {
  const seen = live?.workloads ?? [];
  const all = [...names, ...seen.map((w) => w.workload).filter((name) => !names.includes(name))];
  const current = seen.at(-1)?.workload;
  return all.map((name) =>
    workloadLine(
      name,
      seen.find((w) => w.workload === name),
      name === current,
    ),
  );
}

function WorkloadTable({ lines, empty }: { lines: readonly WorkloadLine[]; empty: string }) {
  return (
    <DataTable label="Workloads" columns={COLUMNS} minWidth={760} dense empty={lines.length === 0 ? empty : null}>
      {lines.map((line) => (
        <DataRow key={line.name} data-workload={line.name}>
          <TableCell>
            <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {line.name}
            </Typography>
          </TableCell>
          <TableCell>
            <Typography variant="body2">{line.phase}</Typography>
          </TableCell>
          <TableCell>
            {line.share === undefined ? null : (
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                <LinearProgress
                  variant={line.share === null ? 'indeterminate' : 'determinate'}
                  value={line.share === null ? undefined : line.share * 100}
                  aria-label={`${line.name} progress`}
                  sx={{ flex: 1, height: 4, borderRadius: 2 }}
                />
                {line.share !== null ? (
                  <Typography variant="caption" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
                    {formatPercent(line.share)}
                  </Typography>
                ) : null}
              </Box>
            )}
          </TableCell>
          <NumberCell>{line.read === null ? '—' : formatBytes(line.read)}</NumberCell>
          <NumberCell>{line.transferred === null ? '—' : formatBytes(line.transferred)}</NumberCell>
          <NumberCell>{line.rate === null ? '—' : `${formatBytes(line.rate)}/s`}</NumberCell>
          <NumberCell>{line.etaSeconds === null ? '—' : formatDuration(line.etaSeconds * 1000)}</NumberCell>
        </DataRow>
      ))}
    </DataTable>
  );
}

/** The session's detail while the view is open: reloaded every few seconds while it runs, once more when it ends. */
function useSessionLog(sessionId: string | null, running: boolean): SessionDetail | null {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    setDetail(null);
  }, [sessionId]);
  useEffect(() => {
    if (!sessionId) return;
    let current = true;
    request('sessions.get', { id: sessionId }).then(
      (session) => {
        if (current) setDetail(session);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [sessionId, tick, running]);
  useEffect(() => {
    if (!sessionId || !running) return;
    const timer = setInterval(() => setTick((n) => n + 1), LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [sessionId, running]);
  return detail;
}

export interface LiveSessionDrawerProps {
  /** The job whose session is shown; null when closed. */
  job: JobSummary | null;
  onClose: () => void;
  onStop: (job: JobSummary) => void;
  stopping: boolean;
}

/** A running job's session beside the list: each workload's phase, progress, bytes, rate and time left, and the live log. */
export function LiveSessionDrawer({ job, onClose, onStop, stopping }: LiveSessionDrawerProps) {
  const titleId = useId();
  const live = useJobs((s) => (job ? liveSessionOfJob(s.live, job.id) : undefined));
  const current = useJobs((s) => (job ? s.items.find((item) => item.id === job.id) : undefined)) ?? job;
  const running = current?.running ?? false;
  // A running job's last session is the running one; once it ended, the view shows how it ended.
  const sessionId = live?.sessionId ?? current?.lastSession?.id ?? null;
  const detail = useSessionLog(job ? sessionId : null, running);
  const [names, setNames] = useState<string[]>([]);

  const jobId = job?.id ?? null;
  useEffect(() => {
    setNames([]);
    if (!jobId) return;
    let stillOpen = true;
    request('jobs.get', { id: jobId }).then(
      ({ definition }) => {
        if (stillOpen && definition.kind === 'folder-backup') setNames(definition.workloads.map((w) => w.name));
      },
      () => undefined,
    );
    return () => {
      stillOpen = false;
    };
  }, [jobId]);

  const started = live?.workloads.length ?? 0;
  return (
    <Drawer
      anchor="right"
      open={job !== null}
      onClose={onClose}
      // Above the app bar: the view's heading and Stop must not sit under it.
      sx={{ zIndex: (theme) => theme.zIndex.modal }}
      slotProps={{ paper: { role: 'dialog', 'aria-labelledby': titleId, sx: { width: 'min(900px, calc(100vw - 48px))', p: 3, gap: 2.5, bgcolor: 'background.default' } } }}
    >
      {current ? (
        <>
          <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.5 }}>
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Typography id={titleId} variant="h5" component="h2" sx={{ overflowWrap: 'anywhere' }}>
                {current.name}
              </Typography>
              <Typography variant="body2" role="status" sx={{ color: 'text.secondary', mt: 0.5 }}>
                {running
                  ? live
                    ? `Running: ${formatCount(started, 'workload', 'workloads')} started${names.length ? ` of ${formatNumber(names.length)}` : ''}`
                    : 'Starting…'
                  : 'This session has ended.'}
              </Typography>
            </Box>
            {running ? (
              <Button
                variant="outlined"
                color="error"
                startIcon={<StopOutlined />}
                onClick={() => onStop(current)}
                loading={stopping}
                loadingPosition="start"
              >
                {stopping ? 'Stopping…' : 'Stop job'}
              </Button>
            ) : detail ? (
              <ResultChip result={detail.result} />
            ) : null}
            <IconButton aria-label="Close the live session" onClick={onClose} size="small">
              <CloseOutlined fontSize="small" />
            </IconButton>
          </Box>
          <SectionCard title="Workloads" note={sessionId ? <Link href={hrefForSession(sessionId)} underline="hover">Open in History</Link> : undefined}>
            {running || !detail ? (
              <WorkloadTable lines={liveLines(live, names)} empty="Starting: each workload appears here as the job reaches it." />
            ) : (
              <WorkloadTable lines={detail.tasks.map(taskLine)} empty="No workload was processed: see the log below." />
            )}
            <Typography variant="caption" component="p" sx={{ px: 2.5, py: 1.25, m: 0, color: 'text.secondary', borderTop: 1, borderColor: 'divider' }}>
              Transferred is what was written to the target: the new data and the backup’s own records (file lists,
              chunks of a copy as stored), so for small or unchanged files it can be more than what was read.
            </Typography>
          </SectionCard>
          <SectionCard title="Log" note={detail ? formatCount(detail.log.length, 'line', 'lines') : undefined}>
            <SessionLog log={detail?.log ?? []} />
          </SectionCard>
        </>
      ) : null}
    </Drawer>
  );
}
