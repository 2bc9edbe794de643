import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { CopyPhase } from '../../../shared/domain/job.ts';
import { BreakablePath } from '../../components/BreakablePath.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { formatBytes, formatCount, formatDuration, formatNumber } from '../../format/format.ts';
import type { LiveSession, WorkloadProgress } from '../../store/jobs.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

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

export function LiveProgress({ live, workloads, now }: { live: LiveSession | undefined; workloads: readonly string[]; now: number }) {
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

