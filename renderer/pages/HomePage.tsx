import CheckCircleRounded from '@mui/icons-material/CheckCircleRounded';
import CircleOutlined from '@mui/icons-material/CircleOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import DataUsageOutlined from '@mui/icons-material/DataUsageOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { JobSummary, SessionResult, SessionSummary } from '../../shared/domain/job.ts';
import { describeLocation, type Repository } from '../../shared/domain/repository.ts';
import { BreakablePath } from '../components/BreakablePath.tsx';
import { Illustration } from '../components/Illustration.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResultChip } from '../components/ResultChip.tsx';
import { SectionCard } from '../components/SectionCard.tsx';
import { SpaceBar } from '../components/SpaceBar.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { useNow } from '../components/useNow.ts';
import { reconnectNow } from '../connection/engine.ts';
import { formatBytes, formatCount, formatDateTimeSeconds, formatDuration, formatNumber, formatPercent, formatRelative } from '../format/format.ts';
import { hrefFor, hrefForSession } from '../shell/router.ts';
import { useBackups } from '../store/backups.ts';
import { useConnection } from '../store/connection.ts';
import { useJobs } from '../store/jobs.ts';
import { type LoadStatus, summarize, useRepositories } from '../store/repositories.ts';
import { lastResultOf, useSessions } from '../store/sessions.ts';
import { isRunning, kindLabel, sessionDuration } from './history/SessionTable.tsx';

/** How many of the newest sessions Home lists. */
const RECENT_SESSIONS = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Results in the order they matter to an admin: what failed first. */
const RESULT_ORDER: readonly SessionResult[] = ['failed', 'warning', 'stopped', 'success'];
const RESULT_WORDS: Record<SessionResult, string> = { failed: 'failed', warning: 'with warnings', stopped: 'stopped', success: 'succeeded' };

function countResults(results: readonly (SessionResult | null)[]): Record<SessionResult, number> {
  const counts: Record<SessionResult, number> = { success: 0, warning: 0, failed: 0, stopped: 0 };
  for (const result of results) if (result) counts[result]++;
  return counts;
}

/** "1 failed · 2 succeeded": the non-zero counts, worst first. */
function describeResults(counts: Record<SessionResult, number>): string[] {
  return RESULT_ORDER.filter((result) => counts[result] > 0).map((result) => `${formatNumber(counts[result])} ${RESULT_WORDS[result]}`);
}

function toneOf(counts: Record<SessionResult, number>): 'error' | 'warning' | 'primary' {
  if (counts.failed > 0) return 'error';
  return counts.warning > 0 ? 'warning' : 'primary';
}

const loadingOf = (status: LoadStatus) => status !== 'ready' && status !== 'error';

function JobsCard({ jobs, sessions, loading }: { jobs: readonly JobSummary[]; sessions: readonly SessionSummary[]; loading: boolean }) {
  const running = jobs.filter((job) => job.running).length;
  const disabled = jobs.filter((job) => !job.running && !job.enabled).length;
  const idle = jobs.length - running - disabled;
  const counts = countResults(jobs.map((job) => lastResultOf(job, sessions)));
  const neverRun = jobs.filter((job) => !job.running && job.lastSession === null).length;
  const states = [
    running > 0 ? `${formatNumber(running)} running` : '',
    idle > 0 ? `${formatNumber(idle)} idle` : '',
    disabled > 0 ? `${formatNumber(disabled)} disabled` : '',
  ].filter(Boolean);
  return (
    <StatCard
      label="Jobs"
      icon={WorkHistoryOutlined}
      loading={loading}
      value={formatNumber(jobs.length)}
      tone={toneOf(counts)}
      caption={jobs.length === 0 ? 'None set up yet' : states.join(' · ')}
    >
      {!loading && jobs.length > 0 ? (
        <Box role="group" aria-label="Last results" sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75, mt: 1.5 }}>
          {RESULT_ORDER.filter((result) => counts[result] > 0).map((result) => (
            <ResultChip key={result} result={result} label={`${formatNumber(counts[result])} ${RESULT_WORDS[result]}`} />
          ))}
          {neverRun > 0 ? (
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {formatNumber(neverRun)} not run yet
            </Typography>
          ) : null}
        </Box>
      ) : null}
    </StatCard>
  );
}

function BackupsCard() {
  const backups = useBackups((s) => s.items);
  const status = useBackups((s) => s.status);
  const repositories = useRepositories((s) => s.items);
  const points = backups.reduce((sum, backup) => sum + backup.workloads.reduce((n, workload) => n + workload.points, 0), 0);
  const holding = new Set(backups.map((backup) => backup.repositoryId)).size;
  const unscanned = repositories.filter((repository) => repository.backupCount === undefined).length;
  let caption: string;
  if (status === 'error') caption = 'Could not load the backups';
  else if (backups.length > 0) caption = `${formatCount(points, 'restore point', 'restore points')} in ${formatCount(holding, 'repository', 'repositories')}`;
  else if (unscanned > 0) caption = `${formatCount(unscanned, 'repository', 'repositories')} not scanned yet`;
  else caption = 'None found yet';
  return (
    <StatCard label="Backups" icon={Inventory2Outlined} loading={loadingOf(status)} value={formatNumber(backups.length)} caption={caption} />
  );
}

function RepositoriesCard({ repositories, loading }: { repositories: readonly Repository[]; loading: boolean }) {
  const summary = summarize(repositories);
  let caption: string;
  if (summary.total === 0) caption = 'None registered';
  else if (summary.unavailable > 0) caption = `${formatNumber(summary.available)} available · ${formatNumber(summary.unavailable)} unavailable`;
  else caption = `${formatNumber(summary.available)} available`;
  const tone = summary.unavailable > 0 ? 'warning' : 'primary';
  return <StatCard label="Repositories" icon={StorageOutlined} loading={loading} value={formatNumber(summary.total)} tone={tone} caption={caption} />;
}

function FreeSpaceCard({ repositories, loading }: { repositories: readonly Repository[]; loading: boolean }) {
  const summary = summarize(repositories);
  const usedShare = summary.totalBytes > 0 ? 1 - summary.freeBytes / summary.totalBytes : 0;
  return (
    <StatCard
      label="Free space"
      icon={DataUsageOutlined}
      loading={loading}
      value={summary.totalBytes > 0 ? formatBytes(summary.freeBytes) : '—'}
      caption={summary.totalBytes > 0 ? `of ${formatBytes(summary.totalBytes)} on available repositories` : 'No available repository reports its space'}
    >
      {summary.totalBytes > 0 && !loading ? (
        <LinearProgress
          variant="determinate"
          value={Math.round(usedShare * 100)}
          aria-label="Space used on available repositories"
          aria-valuetext={`${formatPercent(usedShare)} used`}
          sx={{ mt: 1.5, height: 6 }}
        />
      ) : null}
    </StatCard>
  );
}

function SessionRow({ session, now }: { session: SessionSummary; now: number }) {
  const running = isRunning(session);
  return (
    <Box
      component="li"
      data-session-id={session.id}
      sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto 112px', alignItems: 'center', columnGap: 2, px: 2.5, py: 1.25 }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Link href={hrefForSession(session.id)} underline="hover" variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {session.jobName}
        </Link>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
          {kindLabel(session.kind)} ·{' '}
          <Tooltip title={formatDateTimeSeconds(session.startedAt)} placement="bottom-start">
            <span>started {formatRelative(session.startedAt, now)}</span>
          </Tooltip>
        </Typography>
      </Box>
      <Tooltip title={running ? 'Running for' : 'Duration'}>
        <Typography variant="body2" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
          {formatDuration(sessionDuration(session, now))}
        </Typography>
      </Tooltip>
      <Box sx={{ justifySelf: 'end' }}>
        <ResultChip result={session.result} running={running} />
      </Box>
    </Box>
  );
}

function RecentSessions() {
  const sessions = useSessions((s) => s.items);
  const status = useSessions((s) => s.status);
  const now = useNow(sessions.some(isRunning) ? 1000 : 30_000);
  const recent = sessions.slice(0, RECENT_SESSIONS);
  const lastDay = sessions.filter((session) => now - Date.parse(session.startedAt) < DAY_MS);
  const results = describeResults(countResults(lastDay.map((session) => session.result)));
  const summary =
    status !== 'ready'
      ? null
      : lastDay.length === 0
        ? 'No runs in the last 24 hours'
        : [`Last 24 hours: ${formatCount(lastDay.length, 'run', 'runs')}`, ...results].join(' · ');

  let content: ReactNode;
  if (status === 'error') {
    content = <Message>Could not load the sessions. The History page says why and can try again.</Message>;
  } else if (loadingOf(status)) {
    content = <Placeholder />;
  } else if (recent.length === 0) {
    content = (
      <Message>
        No job has run yet. Start one on the <Link href={hrefFor('jobs')}>Jobs</Link> page; its result shows here.
      </Message>
    );
  } else {
    content = (
      <Stack component="ul" divider={<Divider component="li" aria-hidden />} sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {recent.map((session) => (
          <SessionRow key={session.id} session={session} now={now} />
        ))}
      </Stack>
    );
  }

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
      {content}
    </SectionCard>
  );
}

function Message({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" sx={{ color: 'text.secondary', p: 2.5 }}>
      {children}
    </Typography>
  );
}

function Placeholder() {
  return (
    <Box sx={{ p: 2.5 }} aria-busy>
      <Skeleton height={28} />
      <Skeleton height={28} width="80%" />
    </Box>
  );
}

function CapacityRow({ repository, narrow }: { repository: Repository; narrow: boolean }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: narrow ? 'minmax(0, 1fr)' : { xs: 'minmax(0, 1fr)', sm: 'minmax(0, 1fr) 260px' },
        gap: narrow ? 1 : { xs: 1, sm: 3 },
        alignItems: 'center',
        py: 1.75,
        px: 2.5,
      }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
          {repository.name}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="div" sx={{ overflowWrap: 'break-word' }}>
          <BreakablePath path={describeLocation(repository.location)} />
        </Typography>
      </Box>
      {repository.status === 'available' && repository.space ? (
        <SpaceBar space={repository.space} label={repository.name} dense />
      ) : repository.status === 'available' && repository.location.kind === 's3' ? (
        <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start' }}>
          <CloudOutlined sx={{ fontSize: 18, mt: '1px', color: 'text.secondary' }} />
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Object storage
            {repository.usedBytes !== undefined ? ` · ${formatBytes(repository.usedBytes)} used` : ''}
          </Typography>
        </Box>
      ) : (
        <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start', color: 'error.main' }}>
          <ErrorOutlineOutlined sx={{ fontSize: 18, mt: '1px' }} />
          <Typography variant="body2" color="textSecondary">
            {repository.status === 'available' ? 'Space unknown' : (repository.statusMessage ?? 'Unavailable')}
          </Typography>
        </Box>
      )}
    </Box>
  );
}

/** Space per repository; `narrow` stacks each bar under its name (the card shares its row). */
function Capacity({ repositories, loading, narrow }: { repositories: readonly Repository[]; loading: boolean; narrow: boolean }) {
  let content: ReactNode;
  if (loading) content = <Placeholder />;
  else if (repositories.length === 0) content = <Message>No repositories are registered. Capacity shows here for each one you add.</Message>;
  else {
    content = (
      <Stack divider={<Divider flexItem />}>
        {repositories.map((repository) => (
          <CapacityRow key={repository.id} repository={repository} narrow={narrow} />
        ))}
      </Stack>
    );
  }
  return (
    <SectionCard title="Capacity by repository" divider>
      {content}
    </SectionCard>
  );
}

function Step({ done, title, children }: { done: boolean; title: string; children: ReactNode }) {
  return (
    <Box component="li" sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start' }}>
      {done ? (
        <CheckCircleRounded sx={{ color: 'success.main', fontSize: 22, mt: '1px' }} titleAccess="Done" />
      ) : (
        <CircleOutlined sx={{ color: 'text.disabled', fontSize: 22, mt: '1px' }} titleAccess="To do" />
      )}
      <Box>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {children}
        </Typography>
      </Box>
    </Box>
  );
}

/** What to do first, while there are no jobs: the 3-2-1 rule as three steps. */
function FirstSteps({ repositories }: { repositories: number }) {
  const hasSecondRepository = repositories >= 2;
  return (
    <SectionCard title="No jobs yet" divider>
      <Box sx={{ p: 2.5 }}>
        <Box sx={{ display: 'flex', gap: 2.5, alignItems: 'center', mb: 2.5 }}>
          <Box sx={{ flexShrink: 0 }}>
            <Illustration icon={WorkHistoryOutlined} size={72} tone="secondary" />
          </Box>
          <Typography variant="body2" color="textSecondary">
            Jobs back up folders into a repository and copy their restore points to a second one. Their results,
            failures and warnings will be summarized here.
          </Typography>
        </Box>
        <Typography variant="overline" color="textSecondary" component="h3">
          Follow the 3-2-1 rule
        </Typography>
        <Stack component="ol" spacing={1.75} sx={{ listStyle: 'none', p: 0, m: 0, mt: 1 }}>
          <Step done={hasSecondRepository} title="Add a second repository">
            {hasSecondRepository
              ? `${formatCount(repositories, 'repository', 'repositories')} registered.`
              : 'A NAS share or a removable drive, so copies live on other media.'}
          </Step>
          <Step done={false} title="Back up folders">
            A folder backup job writes restore points of the folders you choose into a repository.
          </Step>
          <Step done={false} title="Copy the backups">
            A backup copy job keeps an independent chain of those points on the second repository.
          </Step>
        </Stack>
        <Stack direction="row" spacing={1.5} sx={{ mt: 2.5 }}>
          <Button href={hrefFor('jobs')} variant="contained">
            Go to Jobs
          </Button>
          {!hasSecondRepository ? (
            <Button href={hrefFor('repositories')} variant="outlined">
              Add a repository
            </Button>
          ) : null}
        </Stack>
      </Box>
    </SectionCard>
  );
}

export function HomePage() {
  const connection = useConnection((s) => s.state);
  const repositories = useRepositories((s) => s.items);
  const repositoriesLoading = loadingOf(useRepositories((s) => s.status));
  const jobs = useJobs((s) => s.items);
  const jobsStatus = useJobs((s) => s.status);
  const sessions = useSessions((s) => s.items);
  // The getting-started card only while there really are no jobs (not while they load).
  const noJobs = jobsStatus === 'ready' && jobs.length === 0;

  return (
    <>
      <PageHeader
        title="Home"
        description="What this engine protects at a glance: jobs and their last results, recent sessions, backups, and the space left in each repository."
      />

      {connection === 'disconnected' ? (
        <Alert
          severity="warning"
          sx={{ mb: 3 }}
          action={
            <Button color="inherit" size="small" onClick={reconnectNow}>
              Retry now
            </Button>
          }
        >
          Not connected to the engine. Ferry keeps trying to reconnect; the figures below may be out of date.
        </Alert>
      ) : null}

      <Grid container spacing={2.5} sx={{ mb: 3 }}>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <JobsCard jobs={jobs} sessions={sessions} loading={loadingOf(jobsStatus)} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <BackupsCard />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <RepositoriesCard repositories={repositories} loading={repositoriesLoading} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <FreeSpaceCard repositories={repositories} loading={repositoriesLoading} />
        </Grid>
      </Grid>

      <Grid container spacing={2.5} sx={{ alignItems: 'flex-start' }}>
        {noJobs ? (
          <>
            <Grid size={{ xs: 12, lg: 7 }}>
              <Capacity repositories={repositories} loading={repositoriesLoading} narrow={false} />
            </Grid>
            <Grid size={{ xs: 12, lg: 5 }}>
              <FirstSteps repositories={repositories.length} />
            </Grid>
          </>
        ) : (
          <>
            <Grid size={{ xs: 12, lg: 7 }}>
              <RecentSessions />
            </Grid>
            <Grid size={{ xs: 12, lg: 5 }}>
              <Capacity repositories={repositories} loading={repositoriesLoading} narrow />
            </Grid>
          </>
        )}
      </Grid>
    </>
  );
}
