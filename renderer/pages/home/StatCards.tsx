import DataUsageOutlined from '@mui/icons-material/DataUsageOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { JobSummary, SessionSummary } from '../../../shared/domain/job.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import { ResultChip } from '../../components/ResultChip.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { formatBytes, formatCount, formatNumber, formatPercent } from '../../format/format.ts';
import { useBackups } from '../../store/backups.ts';
import { summarize } from '../../store/repositories.ts';
import { lastResultOf } from '../../store/sessions.ts';
import { loadingOf } from './parts.tsx';
import { countResults, countStates, RESULT_ORDER, RESULT_WORDS, STATUS_WORDS } from './summary.ts';

/** How many jobs, in which state, and their last results. */
export function JobsCard({ jobs, sessions, loading }: { jobs: readonly JobSummary[]; sessions: readonly SessionSummary[]; loading: boolean }) {
  const counts = countResults(jobs.map((job) => lastResultOf(job, sessions)));
  const neverRun = jobs.filter((job) => !job.running && job.lastSession === null).length;
  const states = countStates(jobs).map(({ state, count }) => `${formatNumber(count)} ${STATUS_WORDS[state]}`);
  const tone = (counts.get('failed') ?? 0) > 0 ? 'error' : (counts.get('warning') ?? 0) > 0 ? 'warning' : 'primary';
  return (
    <StatCard
      label="Jobs"
      icon={WorkHistoryOutlined}
      loading={loading}
      value={formatNumber(jobs.length)}
      tone={tone}
      caption={jobs.length === 0 ? 'None set up yet' : states.join(' · ')}
    >
      {!loading && jobs.length > 0 ? (
        <Box role="group" aria-label="Last results" sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.75, mt: 1.5 }}>
          {RESULT_ORDER.filter((result) => (counts.get(result) ?? 0) > 0).map((result) => (
            <ResultChip key={result} result={result} label={`${formatNumber(counts.get(result)!)} ${RESULT_WORDS[result]}`} />
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

export function BackupsCard({ repositories }: { repositories: readonly Repository[] }) {
  const backups = useBackups((s) => s.items);
  const status = useBackups((s) => s.status);
  const points = backups.reduce((sum, backup) => sum + backup.workloads.reduce((n, workload) => n + workload.points, 0), 0);
  const holding = new Set(backups.map((backup) => backup.repositoryId)).size;
  const unscanned = repositories.filter((repository) => repository.backupCount === undefined).length;
  let caption: string;
  if (status === 'error') caption = 'Could not load the backups';
  else if (backups.length > 0) caption = `${formatCount(points, 'restore point', 'restore points')} in ${formatCount(holding, 'repository', 'repositories')}`;
  else if (unscanned > 0) caption = `${formatCount(unscanned, 'repository', 'repositories')} not scanned yet`;
  else caption = 'None found yet';
  return <StatCard label="Backups" icon={Inventory2Outlined} loading={loadingOf(status)} value={formatNumber(backups.length)} caption={caption} />;
}

export function RepositoriesCard({ repositories, loading }: { repositories: readonly Repository[]; loading: boolean }) {
  const summary = summarize(repositories);
  let caption: string;
  if (summary.total === 0) caption = 'None registered';
  else if (summary.unavailable > 0) caption = `${formatNumber(summary.available)} available · ${formatNumber(summary.unavailable)} unavailable`;
  else caption = `${formatNumber(summary.available)} available`;
  const tone = summary.unavailable > 0 ? 'warning' : 'primary';
  return <StatCard label="Repositories" icon={StorageOutlined} loading={loading} value={formatNumber(summary.total)} tone={tone} caption={caption} />;
}

export function FreeSpaceCard({ repositories, loading }: { repositories: readonly Repository[]; loading: boolean }) {
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
