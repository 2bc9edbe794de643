import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import Button from '@mui/material/Button';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { ListToolbar } from '../../components/ListToolbar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useNow } from '../../components/useNow.ts';
import { refreshSessions } from '../../connection/engine.ts';
import { formatCount, formatNumber } from '../../format/format.ts';
import { hrefFor, sessionIdOf, useRoute } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { useJobs } from '../../store/jobs.ts';
import { useSessions } from '../../store/sessions.ts';
import { ALL, type HistoryFilter, isFiltered, NO_FILTER } from './filters.ts';
import { HistoryFilters, jobOptions } from './HistoryFilters.tsx';
import { SessionTable } from './SessionTable.tsx';
import { isRunning } from './sessionState.ts';
import { SessionView } from './SessionView.tsx';
import { useHistorySessions } from './useHistorySessions.ts';

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
    Each time a job runs, its session is recorded here: the result of every workload, bytes read and new, timings, a transfer-rate chart and
    the full log.
  </EmptyState>
);

function SessionList() {
  const connected = useConnection((s) => s.state === 'connected');
  const all = useSessions((s) => s.items);
  const jobs = useJobs((s) => s.items);
  const live = useJobs((s) => s.live);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const options = jobOptions(all, jobs);
  // A job filter naming a job that is gone from both lists shows everything.
  const effective = filter.job === ALL || options.some((option) => option.key === filter.job) ? filter : { ...filter, job: ALL };
  const shown = useHistorySessions(effective);
  const now = useNow(shown.sessions.some(isRunning) ? 1000 : 30_000);
  const failed = shown.sessions.filter((session) => session.result === 'failed').length;

  return (
    <ListBody what="the sessions" store={useSessions} onRetry={refreshSessions} empty={all.length === 0 && !isFiltered(effective) ? NO_SESSIONS : null}>
      <ListToolbar
        summary={
          shown.status === 'ready'
            ? `${formatCount(shown.sessions.length, 'session', 'sessions')}${failed > 0 && effective.result === ALL ? ` · ${formatNumber(failed)} failed` : ''}` +
              (shown.capped ? ` (the newest ${formatNumber(shown.sessions.length)})` : '')
            : shown.status === 'error'
              ? shown.message
              : 'Loading sessions…'
        }
        refreshTitle="Reload the sessions"
        onRefresh={() => void refreshSessions()}
        disabled={!connected}
      >
        <HistoryFilters filter={effective} options={options} onChange={setFilter} />
      </ListToolbar>
      <SessionTable
        sessions={shown.sessions}
        live={live}
        loading={shown.status === 'loading'}
        now={now}
        empty={
          isFiltered(effective) ? (
            <>
              No sessions match these filters.{' '}
              <Button size="small" onClick={() => setFilter(NO_FILTER)}>
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
      <PageHeader title="History" description="Every job run as a session, newest first. Open one for its workloads, transfer rate and log." />
      <SessionList />
    </>
  );
}
