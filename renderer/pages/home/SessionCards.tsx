import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import type { ReactNode } from 'react';
import { SectionCard } from '../../components/SectionCard.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatCount } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';
import { useSessions } from '../../store/sessions.ts';
import { isRunning } from '../history/sessionState.ts';
import { loadingOf, Message, Placeholder } from './parts.tsx';
import { SessionRows } from './SessionRows.tsx';
import { countResults, DAY_MS, describeResults } from './summary.ts';
import { useProblems } from './useProblems.ts';

/** How many of the newest sessions Home lists. */
const RECENT_SESSIONS = 5;

function useSessionList(): { content: (ready: () => ReactNode) => ReactNode; now: number } {
  const sessions = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const now = useNow(sessions.some(isRunning) ? 1000 : 30_000);
  const content = (ready: () => ReactNode) => {
    if (status === 'error') return <Message>Could not load the sessions. The History page says why and can try again.</Message>;
    if (loadingOf(status)) return <Placeholder />;
    return ready();
  };
  return { content, now };
}

/** Failed and warning sessions of the last 24 hours: what needs the admin (a stop does not). */
export function ProblemsCard() {
  const { content, now } = useSessionList();
  const { sessions: problems, capped } = useProblems(now);
  return (
    <SectionCard
      title="Failures and warnings"
      subtitle="Last 24 hours"
      note={problems.length > 0 ? `${capped ? 'the newest ' : ''}${formatCount(problems.length, 'session', 'sessions')}` : undefined}
      aside={
        <Button href={hrefFor('history')} size="small">
          History
        </Button>
      }
      divider
    >
      {content(() =>
        problems.length === 0 ? (
          <Message>No failures or warnings in the last 24 hours.</Message>
        ) : (
          <SessionRows sessions={problems} now={now} />
        ),
      )}
    </SectionCard>
  );
}

export function RecentSessions() {
  const sessions = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const { content, now } = useSessionList();
  const lastDay = sessions.filter((session) => now - Date.parse(session.startedAt) < DAY_MS);
  const summary =
    status !== 'ready'
      ? null
      : lastDay.length === 0
        ? 'No runs in the last 24 hours'
        : [`Last 24 hours: ${formatCount(lastDay.length, 'run', 'runs')}`, ...describeResults(countResults(lastDay.map((session) => session.result)))].join(' · ');
  return (
    <SectionCard
      title="Recent sessions"
      subtitle={summary}
      aside={
        <Button href={hrefFor('history')} size="small">
          All sessions
        </Button>
      }
      divider
    >
      {content(() =>
        sessions.length === 0 ? (
          <Message>
            No job has run yet. Start one on the <Link href={hrefFor('jobs')}>Jobs</Link> page; its result shows here.
          </Message>
        ) : (
          <SessionRows sessions={sessions.slice(0, RECENT_SESSIONS)} now={now} />
        ),
      )}
    </SectionCard>
  );
}
