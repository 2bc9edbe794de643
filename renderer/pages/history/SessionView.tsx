import ArrowBackOutlined from '@mui/icons-material/ArrowBackOutlined';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import { useEffect, useState } from 'react';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { copyText } from '../../components/clipboard.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { LoadingCard } from '../../components/LoadingCard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { useNow } from '../../components/useNow.ts';
import { request } from '../../connection/engine.ts';
import { formatCount, formatDateTimeSeconds } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { useJobs } from '../../store/jobs.ts';
import { notify } from '../../store/notifications.ts';
import { useSessions } from '../../store/sessions.ts';
import { LiveProgress } from './LiveProgress.tsx';
import { RateChart } from './RateChart.tsx';
import { SessionFacts } from './SessionFacts.tsx';
import { logText } from './logText.ts';
import { SessionLog } from './SessionLog.tsx';
import { isRunning, kindLabel, type SessionState, UNKNOWN_STATE } from './sessionState.ts';
import { TaskTable } from './TaskTable.tsx';
import { useSessionDetail } from './useSessionDetail.ts';

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
  const { state: detail, reload } = useSessionDetail(id, pollRunning, changed);
  const session = detail.status === 'ready' ? detail.session : undefined;
  const job = session?.jobId ? jobs.find((candidate) => candidate.id === session.jobId) : undefined;
  // Unfinished in the catalog and its job running, as far as a connected engine says; unknown while none is.
  let state: SessionState = 'ended';
  if (session && isRunning(session)) state = !connected ? 'unknown' : (job?.running ?? live !== undefined) ? 'running' : 'ended';
  const running = state === 'running';
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

  if (detail.status === 'error') {
    return (
      <>
        {back}
        <PageHeader title="Session" />
        {detail.notFound ? (
          <LoadError severity="warning">This session is not in the history (any more).</LoadError>
        ) : (
          <LoadError onRetry={reload}>Could not load the session: {detail.message}</LoadError>
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

  const totals = live && running
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
            <Button variant="outlined" color="error" startIcon={<StopOutlined />} onClick={() => void stop()} loading={stopping} loadingPosition="start">
              {stopping ? 'Stopping…' : 'Stop job'}
            </Button>
          ) : undefined
        }
      />
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2.5 }}>
        {state === 'unknown' ? (
          <Alert severity="warning" variant="outlined">
            {UNKNOWN_STATE}. The engine last reported this session running; it may have ended since. The page updates once the connection is back.
          </Alert>
        ) : null}

        <SessionFacts session={session} state={state} now={now} totals={totals} />

        {running ? <LiveProgress live={live} workloads={workloads} now={now} /> : null}

        <SectionCard title="Transfer rate">
          <RateChart samples={session.rate} startedAt={session.startedAt} running={state !== 'ended'} />
        </SectionCard>

        <SectionCard title="Workloads" note={formatCount(session.tasks.length, 'task', 'tasks')}>
          <TaskTable session={session} running={state !== 'ended'} />
        </SectionCard>

        <SectionCard
          title="Log"
          note={formatCount(session.log.length, 'line', 'lines')}
          aside={
            <Button size="small" startIcon={<ContentCopyOutlined />} onClick={() => void copyText(logText(session.log), 'The log')} disabled={session.log.length === 0}>
              Copy log
            </Button>
          }
        >
          <SessionLog log={session.log} />
        </SectionCard>
      </Box>
    </>
  );
}
