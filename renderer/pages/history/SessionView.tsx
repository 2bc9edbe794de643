import ArrowBackOutlined from '@mui/icons-material/ArrowBackOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { type ReactNode, useEffect, useState } from 'react';
import type { CopyPhase, SessionDetail } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { BreakablePath } from '../../components/BreakablePath.tsx';
import { Dash } from '../../components/Dash.tsx';
import { type Column, DataRow, DataTable, NewBytes, NumberCell } from '../../components/DataTable.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { LoadingCard } from '../../components/LoadingCard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { ResultChip } from '../../components/ResultChip.tsx';
import { useNow } from '../../components/useNow.ts';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount, formatDate, formatDateTimeSeconds, formatDuration, formatNumber, formatTime } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { type LiveSession, useJobs, type WorkloadProgress } from '../../store/jobs.ts';
import { notify } from '../../store/notifications.ts';
import { useSessions } from '../../store/sessions.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';
import { isRunning, kindLabel, sessionDuration } from './SessionTable.tsx';

type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; session: SessionDetail }
  | { status: 'error'; message: string; notFound: boolean };

/** How often the view of a running session reloads its log (progress itself is pushed). */
const POLL_MS = 2000;

function useSessionDetail(id: string, running: boolean, changed: string): { state: DetailState; reload: () => void } {
  const [state, setState] = useState<DetailState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const connected = useConnection((s) => s.state === 'connected');

  useEffect(() => {
    if (!connected) return;
    let current = true;
    request('sessions.get', { id }).then(
      (session) => {
        if (current) setState({ status: 'ready', session });
      },
      (error: unknown) => {
        const ferryError = error as FerryError;
        if (current) setState((previous) => (previous.status === 'ready' && ferryError.code !== 'not_found' ? previous : { status: 'error', message: ferryError.message, notFound: ferryError.code === 'not_found' }));
      },
    );
    return () => {
      current = false;
    };
  }, [id, attempt, changed, connected]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setAttempt((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [running]);

  return { state, reload: () => setAttempt((n) => n + 1) };
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" component="dt" sx={{ color: 'text.secondary', fontWeight: 600, display: 'block', mb: 0.5 }}>
        {label}
      </Typography>
      <Typography variant="body2" component="dd" sx={{ m: 0, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {children}
      </Typography>
    </Box>
  );
}

/** The end of a session: only its time when it ended on the day it started. */
function formatEnd(startedAt: string, endedAt: string): string {
  return formatDate(startedAt) === formatDate(endedAt) ? formatTime(endedAt) : formatDateTimeSeconds(endedAt);
}

type WorkloadState = 'waiting' | 'running' | 'read';

const COPY_PHASES: Record<CopyPhase, string> = {
  waiting: 'Waiting for a point',
  'waiting-for-window': 'Waiting for the transfer window',
  planning: 'Planning',
  copying: 'Copying',
  committing: 'Committing',
  done: 'Copied',
  failed: 'Failed',
};

/** A copy job's workload: chunks moved of those the target lacks, bytes written, rate and time left. */
function copyLine(copy: NonNullable<WorkloadProgress['copy']>): string {
  const parts = [`${formatNumber(copy.chunksDone)} of ${formatCount(copy.chunksTotal, 'chunk', 'chunks')}`, `${formatBytes(copy.bytesTransferred)} written`];
  if (copy.phase === 'copying' && copy.rateBytesPerSecond > 0) parts.push(`${formatBytes(copy.rateBytesPerSecond)}/s`);
  if (copy.phase === 'copying' && copy.etaSeconds !== null) parts.push(`${formatDuration(copy.etaSeconds * 1000)} left`);
  return parts.join(' · ');
}

function LiveWorkload({ name, progress, state, now }: { name: string; progress: WorkloadProgress | undefined; state: WorkloadState; now: number }) {
  const averageRate =
    progress && progress.updatedAt > progress.firstAt ? (progress.bytesRead * 1000) / (progress.updatedAt - progress.firstAt) : null;
  const rate = state === 'running' ? (progress?.rate ?? null) : averageRate;
  const copy = progress?.copy;
  const label = copy ? COPY_PHASES[copy.phase] : { waiting: 'Waiting', running: 'Running', read: 'Read, finishing' }[state];
  return (
    <Box role="group" aria-label={name} sx={{ px: 2.5, py: 1.75, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {name}
        </Typography>
        <Chip
          label={label}
          size="small"
          variant="outlined"
          color={state === 'running' ? 'info' : 'default'}
          sx={{ height: 20, fontSize: '0.6875rem' }}
        />
        <Box sx={{ flex: 1 }} />
        {copy ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
            {copyLine(copy)}
          </Typography>
        ) : progress ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
            {formatCount(progress.files, 'file', 'files')} · {formatBytes(progress.bytesRead)} read · {formatBytes(progress.bytesNew)} new
            {rate !== null ? ` · ${formatBytes(rate)}/s` : ''}
            {state === 'running' ? ` · ${formatDuration(now - progress.firstAt)}` : ''}
          </Typography>
        ) : null}
      </Box>
      {state === 'running' && copy?.phase === 'copying' && copy.chunksTotal > 0 ? (
        <LinearProgress
          variant="determinate"
          value={Math.min(100, (100 * copy.chunksDone) / copy.chunksTotal)}
          aria-label={`${name} in progress`}
          sx={{ mt: 1, height: 4 }}
        />
      ) : state === 'running' ? (
        <LinearProgress aria-label={`${name} in progress`} sx={{ mt: 1, height: 4 }} />
      ) : null}
      {state === 'running' && progress?.currentPath ? (
        <Typography
          variant="caption"
          component="div"
          sx={{ mt: 0.75, color: 'text.secondary', fontFamily: MONO_FONT_STACK, overflowWrap: 'break-word', wordBreak: 'normal' }}
        >
          <BreakablePath path={progress.currentPath} />
        </Typography>
      ) : null}
    </Box>
  );
}

function LiveProgress({ live, workloads, now }: { live: LiveSession | undefined; workloads: readonly string[]; now: number }) {
  const seen = live?.workloads ?? [];
  // The job's workloads in order, plus any reported that the definition no longer lists.
  const names = [...workloads, ...seen.map((w) => w.workload).filter((name) => !workloads.includes(name))];
  const current = seen.at(-1)?.workload;
  return (
    <SectionCard
      title="Progress"
      aside={
        <Typography variant="body2" sx={{ color: 'text.secondary' }} role="status">
          {live ? `${formatCount(seen.length, 'workload', 'workloads')} of ${formatNumber(Math.max(names.length, seen.length))} started` : 'Starting…'}
        </Typography>
      }
    >
      {names.length === 0 ? <LinearProgress aria-label="Starting" sx={{ mx: 2.5, mb: 2 }} /> : null}
      {names.map((name) => {
        const progress = seen.find((w) => w.workload === name);
        // Copy jobs run workloads side by side and say when each is done; a backup runs one at a time.
        const copyRunning = progress?.copy ? progress.copy.phase !== 'done' && progress.copy.phase !== 'failed' : undefined;
        const state: WorkloadState = !progress ? 'waiting' : (copyRunning ?? name === current) ? 'running' : 'read';
        return <LiveWorkload key={name} name={name} progress={progress} state={state} now={now} />;
      })}
    </SectionCard>
  );
}

const TASK_COLUMNS: readonly Column[] = [
  { label: 'Workload', width: 150 },
  { label: 'Result', width: 116 },
  { label: 'Reason', minWidth: 240 },
  { label: 'Restore point', width: 116 },
  { label: 'Read', width: 90, align: 'right' },
  { label: 'New', width: 90, align: 'right' },
  { label: 'Duration', width: 90, align: 'right' },
];

function TaskTable({ session, running }: { session: SessionDetail; running: boolean }) {
  return (
    <DataTable
      label="Tasks"
      columns={TASK_COLUMNS}
      minWidth={860}
      dense
      empty={
        session.tasks.length === 0
          ? running
            ? 'Each workload’s result is listed here when the run ends.'
            : 'No workload was processed: see the log below.'
          : null
      }
    >
      {session.tasks.map((task) => (
        <DataRow key={task.workload} top data-workload={task.workload}>
          <TableCell>
            <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {task.workload}
            </Typography>
          </TableCell>
          <TableCell>
            <ResultChip result={task.result} />
          </TableCell>
          <TableCell>
            <Typography variant="body2" sx={{ color: task.reason ? 'text.primary' : 'text.secondary', overflowWrap: 'anywhere' }}>
              {task.reason ?? '—'}
            </Typography>
          </TableCell>
          <TableCell>
            {task.pointId ? (
              <Tooltip title={<Box component="span" sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.75rem' }}>{task.pointId}</Box>}>
                <Box component="span" sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem' }} aria-label={`Restore point ${task.pointId}`}>
                  {task.pointId.slice(0, 8)}
                </Box>
              </Tooltip>
            ) : (
              <Dash />
            )}
          </TableCell>
          <NumberCell>{formatBytes(task.bytesRead)}</NumberCell>
          <NumberCell>
            <NewBytes bytes={task.bytesNew} stored={task.bytesStored} />
          </NumberCell>
          <NumberCell>{formatDuration(task.durationMs)}</NumberCell>
        </DataRow>
      ))}
    </DataTable>
  );
}

const LEVEL = {
  info: { label: 'INFO', color: 'text.secondary', tone: null },
  warning: { label: 'WARN', color: 'warning.main', tone: 'warning' },
  error: { label: 'ERROR', color: 'error.main', tone: 'error' },
} as const;

function SessionLog({ log }: { log: SessionDetail['log'] }) {
  return (
    <Box
      role="log"
      aria-label="Log"
      sx={{
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: (theme) => (theme.palette.mode === 'dark' ? alpha('#000', 0.25) : '#f8fafc'),
        fontFamily: MONO_FONT_STACK,
        fontSize: '0.8125rem',
        lineHeight: 1.6,
        py: 1,
        maxHeight: 480,
        overflow: 'auto',
      }}
    >
      {log.length === 0 ? (
        <Box sx={{ px: 2.5, py: 1, color: 'text.secondary' }}>Nothing logged yet.</Box>
      ) : (
        log.map((line, index) => {
          const level = LEVEL[line.level];
          return (
            <Box
              key={index}
              data-level={line.level}
              sx={(theme) => ({
                display: 'grid',
                gridTemplateColumns: 'auto 3.25rem minmax(0, 1fr)',
                columnGap: 1.5,
                px: 2.5,
                py: 0.25,
                borderLeft: '3px solid',
                borderLeftColor: level.tone ? theme.palette[level.tone].main : 'transparent',
                bgcolor: level.tone ? alpha(theme.palette[level.tone].main, 0.07) : 'transparent',
              })}
            >
              <Box component="span" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                <Tooltip title={formatDateTimeSeconds(line.at)} placement="top-start">
                  <span>{formatTime(line.at)}</span>
                </Tooltip>
              </Box>
              <Box component="span" sx={{ color: level.color, fontWeight: 700 }}>
                {level.label}
              </Box>
              <Box component="span" sx={{ color: line.level === 'error' ? 'error.main' : 'text.primary', overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                {line.message}
              </Box>
            </Box>
          );
        })
      )}
    </Box>
  );
}

export function SessionView({ id }: { id: string }) {
  const summary = useSessions((s) => s.items.find((item) => item.id === id));
  const jobs = useJobs((s) => s.items);
  const live = useJobs((s) => s.live[id]);
  const connected = useConnection((s) => s.state === 'connected');
  const [workloads, setWorkloads] = useState<string[]>([]);
  const [stopping, setStopping] = useState(false);

  // The summary in the session list changes when the run ends: reload the detail then.
  const changed = summary ? `${summary.result ?? ''}|${summary.endedAt ?? ''}` : '';
  const [pollRunning, setPollRunning] = useState(false);
  const { state, reload } = useSessionDetail(id, pollRunning, changed);
  const session = state.status === 'ready' ? state.session : undefined;
  const job = session?.jobId ? jobs.find((candidate) => candidate.id === session.jobId) : undefined;
  // Unfinished in the catalog, and its job is running (an engine that died mid-run leaves it unfinished).
  const running = session !== undefined && isRunning(session) && (job?.running ?? live !== undefined);
  const now = useNow(running ? 1000 : null);

  useEffect(() => setPollRunning(running), [running]);

  // The job's workloads, to list those not started yet.
  const jobId = session?.jobId ?? null;
  useEffect(() => {
    if (!running || !jobId) return;
    let current = true;
    request('jobs.get', { id: jobId }).then(
      ({ definition }) => {
        if (current && definition.kind === 'folder-backup') setWorkloads(definition.workloads.map((w) => w.name));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [running, jobId]);

  useEffect(() => {
    if (!running) setStopping(false);
  }, [running]);

  const stop = async () => {
    if (!jobId) return;
    setStopping(true);
    try {
      const { stopping: stopped } = await request('jobs.stop', { id: jobId });
      if (!stopped) setStopping(false);
    } catch (error) {
      setStopping(false);
      notify(`Could not stop the job: ${(error as FerryError).message}`, 'error');
    }
  };

  const back = (
    <Link href={hrefFor('history')} underline="hover" variant="body2" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, mb: 1.5 }}>
      <ArrowBackOutlined sx={{ fontSize: 16 }} />
      All sessions
    </Link>
  );

  if (state.status === 'error') {
    return (
      <>
        {back}
        <PageHeader title="Session" />
        {state.notFound ? (
          <LoadError severity="warning">This session is not in the history (any more).</LoadError>
        ) : (
          <LoadError onRetry={reload}>Could not load the session: {state.message}</LoadError>
        )}
      </>
    );
  }

  if (!session) {
    return (
      <>
        {back}
        <PageHeader title={summary?.jobName ?? 'Session'} description="Loading the session…" />
        <LoadingCard />
      </>
    );
  }

  const totals = live
    ? live.workloads.reduce((sum, w) => ({ read: sum.read + w.bytesRead, written: sum.written + w.bytesNew }), { read: 0, written: 0 })
    : null;

  return (
    <>
      {back}
      <PageHeader
        title={session.jobName}
        description={`${kindLabel(session.kind)} session started ${formatDateTimeSeconds(session.startedAt)}${session.jobId === null ? ' · the job has been deleted' : ''}.`}
        actions={
          running && jobId ? (
            <Button
              variant="outlined"
              color="error"
              startIcon={<StopOutlined />}
              onClick={() => void stop()}
              loading={stopping}
              loadingPosition="start"
              disabled={!connected}
            >
              {stopping ? 'Stopping…' : 'Stop job'}
            </Button>
          ) : undefined
        }
      />
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2.5 }}>
        <Paper variant="outlined" sx={{ borderRadius: 2.5, px: 2.5, py: 2 }}>
          <Box
            component="dl"
            aria-label="Session"
            sx={{ m: 0, display: 'flex', flexWrap: 'wrap', columnGap: 5, rowGap: 2 }}
          >
            <Fact label="Result">
              <ResultChip result={session.result} running={running} />
            </Fact>
            <Fact label="Started">{formatDateTimeSeconds(session.startedAt)}</Fact>
            <Fact label="Ended">{session.endedAt ? formatEnd(session.startedAt, session.endedAt) : running ? 'Still running' : '—'}</Fact>
            <Fact label="Duration">{formatDuration(sessionDuration(session, now))}</Fact>
            <Fact label="Read">{formatBytes(totals?.read ?? session.bytesRead)}</Fact>
            <Fact label="New data">{formatBytes(totals?.written ?? session.bytesNew)}</Fact>
            <Fact label="Stored">{running ? '—' : formatBytes(session.bytesStored)}</Fact>
          </Box>
        </Paper>

        {running ? <LiveProgress live={live} workloads={workloads} now={now} /> : null}

        <SectionCard title="Workloads" note={formatCount(session.tasks.length, 'task', 'tasks')}>
          <TaskTable session={session} running={running} />
        </SectionCard>

        <SectionCard title="Log" note={formatCount(session.log.length, 'line', 'lines')}>
          <SessionLog log={session.log} />
        </SectionCard>
      </Box>
    </>
  );
}
