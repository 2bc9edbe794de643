import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { SessionSummary } from '../../../shared/domain/job.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { ListToolbar } from '../../components/ListToolbar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RESULT_LABEL } from '../../components/ResultChip.tsx';
import { useNow } from '../../components/useNow.ts';
import { refreshSessions, SESSION_LIST_LIMIT } from '../../connection/engine.ts';
import { formatCount, formatNumber } from '../../format/format.ts';
import { hrefFor, sessionIdOf, useRoute } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { useJobs } from '../../store/jobs.ts';
import { useSessions } from '../../store/sessions.ts';
import { isRunning, SessionTable } from './SessionTable.tsx';
import { SessionView } from './SessionView.tsx';

const ALL = 'all';
type ResultFilter = typeof ALL | 'success' | 'warning' | 'failed' | 'running';

/** A job as the filter knows it: by id, or by name once the job is deleted. */
function jobKey(session: Pick<SessionSummary, 'jobId' | 'jobName'>): string {
  return session.jobId ?? `name:${session.jobName}`;
}

interface JobOption {
  key: string;
  name: string;
  deleted: boolean;
}

function jobOptions(sessions: readonly SessionSummary[], jobs: readonly { id: string; name: string }[]): JobOption[] {
  const options = new Map<string, JobOption>();
  for (const job of jobs) options.set(job.id, { key: job.id, name: job.name, deleted: false });
  for (const session of sessions) {
    const key = jobKey(session);
    if (!options.has(key)) options.set(key, { key, name: session.jobName, deleted: session.jobId === null });
  }
  return [...options.values()].sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

function matches(session: SessionSummary, job: string, result: ResultFilter): boolean {
  if (job !== ALL && jobKey(session) !== job) return false;
  if (result === ALL) return true;
  if (result === 'running') return isRunning(session);
  return session.result === result;
}

const NO_SESSIONS = (
  <EmptyState
    icon={HistoryOutlined}
    badge={ReceiptLongOutlined}
    title="No sessions yet"
    actions={
      <Button variant="outlined" href={hrefFor('jobs')}>
        Go to Jobs
      </Button>
    }
  >
    Each time a job runs, its session is recorded here: the result of every workload, bytes read and new, timings and
    the full log.
  </EmptyState>
);

function SessionList() {
  const connection = useConnection((s) => s.state);
  const sessions = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const jobs = useJobs((s) => s.items);
  const live = useJobs((s) => s.live);
  const [job, setJob] = useState<string>(ALL);
  const [result, setResult] = useState<ResultFilter>(ALL);
  const anyRunning = sessions.some(isRunning);
  const now = useNow(anyRunning ? 1000 : 30_000);
  const connected = connection === 'connected';

  const options = jobOptions(sessions, jobs);
  const jobFilter = options.some((option) => option.key === job) ? job : ALL;
  const shown = sessions.filter((session) => matches(session, jobFilter, result));
  const filtered = jobFilter !== ALL || result !== ALL;

  const failed = shown.filter((session) => session.result === 'failed').length;
  return (
    <ListBody what="the sessions" store={useSessions} onRetry={refreshSessions} empty={sessions.length === 0 ? NO_SESSIONS : null}>
      <ListToolbar
        summary={
          status === 'ready'
            ? `${formatCount(shown.length, 'session', 'sessions')}${failed > 0 && result === ALL ? ` · ${formatNumber(failed)} failed` : ''}` +
              (sessions.length >= SESSION_LIST_LIMIT ? ` (the newest ${formatNumber(SESSION_LIST_LIMIT)})` : '')
            : 'Loading sessions…'
        }
        refreshTitle="Reload the sessions"
        onRefresh={() => void refreshSessions()}
        disabled={!connected}
      >
        <TextField select label="Job" size="small" value={jobFilter} onChange={(event) => setJob(event.target.value)} sx={{ minWidth: 240 }}>
          <MenuItem value={ALL}>All jobs</MenuItem>
          {options.map((option) => (
            <MenuItem key={option.key} value={option.key}>
              {option.name}
              {option.deleted ? (
                <Box component="span" sx={{ color: 'text.secondary', ml: 0.75 }}>
                  (deleted)
                </Box>
              ) : null}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Result"
          size="small"
          value={result}
          onChange={(event) => setResult(event.target.value as ResultFilter)}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value={ALL}>All results</MenuItem>
          <MenuItem value="success">{RESULT_LABEL.success}</MenuItem>
          <MenuItem value="warning">{RESULT_LABEL.warning}</MenuItem>
          <MenuItem value="failed">{RESULT_LABEL.failed}</MenuItem>
          <MenuItem value="running">Running</MenuItem>
        </TextField>
      </ListToolbar>
      <SessionTable
        sessions={shown}
        live={live}
        loading={status !== 'ready'}
        now={now}
        empty={
          filtered ? (
            <>
              No sessions match these filters.{' '}
              <Button
                size="small"
                onClick={() => {
                  setJob(ALL);
                  setResult(ALL);
                }}
              >
                Show all
              </Button>
            </>
          ) : null
        }
      />
    </ListBody>
  );
}

export function HistoryPage() {
  const route = useRoute();
  const sessionId = sessionIdOf(route);
  if (sessionId) return <SessionView key={sessionId} id={sessionId} />;
  return (
    <>
      <PageHeader title="History" description="Every job run as a session, newest first. Open one for its workloads and log." />
      <SessionList />
    </>
  );
}
