import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import HourglassEmptyOutlined from '@mui/icons-material/HourglassEmptyOutlined';
import NorthEastOutlined from '@mui/icons-material/NorthEastOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import TableCell from '@mui/material/TableCell';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { JobSummary, SessionSummary } from '../../../shared/domain/job.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import { Dash } from '../../components/Dash.tsx';
import { ActionsCell, type Column, DataRow, DataTable } from '../../components/DataTable.tsx';
import { IconAction } from '../../components/IconAction.tsx';
import { IconLabel } from '../../components/IconLabel.tsx';
import { ResultChip } from '../../components/ResultChip.tsx';
import { formatBytes, formatCount, formatDate, formatNumber, formatRelative, formatTimeOfDay } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { type LiveSession, liveSessionOfJob, liveTotals } from '../../store/jobs.ts';
import { lastResultOf } from '../../store/sessions.ts';
import { describeSchedule, JOB_KIND_LABEL } from './describe.ts';

/** What a live session has done so far: "12 files, 3.40 MB read". */
export function progressText(live: LiveSession | undefined): string {
  if (!live) return 'Starting…';
  const totals = liveTotals(live);
  return `${formatCount(totals.files, 'file', 'files')}, ${formatBytes(totals.bytesRead)} read`;
}

function StatusCell({ job, live }: { job: JobSummary; live: LiveSession | undefined }) {
  if (job.running) {
    // A copy paused by its transfer window still runs: its session goes on when the window opens.
    const runningLabel = job.status === 'waiting-for-window' ? 'Waiting for window' : 'Running';
    const sessionId = live?.sessionId ?? job.lastSession?.id;
    const rate = live ? liveTotals(live).rate : null;
    return (
      <Box sx={{ minWidth: 0 }}>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
          {sessionId ? (
            <Tooltip title="Open the live session">
              <Link
                href={hrefForSession(sessionId)}
                variant="body2"
                underline="hover"
                aria-label={`${runningLabel}: open the live session of ${job.name}`}
                sx={{ fontWeight: 600, display: 'inline-flex', alignItems: 'center', gap: 0.25 }}
              >
                {runningLabel}
                <NorthEastOutlined sx={{ fontSize: 14 }} />
              </Link>
            </Tooltip>
          ) : (
            <Typography variant="body2" sx={{ fontWeight: 600, color: 'primary.main' }}>
              {runningLabel}
            </Typography>
          )}
          {rate !== null ? (
            <Typography variant="caption" sx={{ color: 'text.secondary', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
              {formatBytes(rate)}/s
            </Typography>
          ) : null}
        </Box>
        <LinearProgress aria-label={`${job.name} is running`} sx={{ my: 0.75, height: 4 }} />
        <Typography
          variant="caption"
          component="div"
          role="status"
          sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
        >
          {progressText(live)}
        </Typography>
      </Box>
    );
  }
  if (!job.enabled || job.status === 'disabled') {
    return (
      <IconLabel icon={DoNotDisturbOnOutlined} color="text.secondary" muted>
        Disabled
      </IconLabel>
    );
  }
  switch (job.status) {
    case 'queued':
      return (
        <IconLabel icon={HourglassEmptyOutlined} color="text.secondary">
          Queued
        </IconLabel>
      );
    case 'waiting-for-window':
      return (
        <IconLabel icon={ScheduleOutlined} color="text.secondary">
          Waiting for window
        </IconLabel>
      );
    case 'waiting-for-point':
      return (
        <IconLabel icon={HourglassEmptyOutlined} color="text.secondary">
          Waiting for a point
        </IconLabel>
      );
    default:
      return (
        <IconLabel icon={PauseCircleOutlined} color="text.secondary">
          Idle
        </IconLabel>
      );
  }
}

/** When the engine runs the job next, under its schedule: a time, or for an immediate copy "on a new point". */
function NextRun({ job, now }: { job: JobSummary; now: number }) {
  if (!job.enabled) return null;
  const text = job.schedule.mode === 'immediate' ? 'Next: on a new point' : job.nextRun ? `Next: ${formatDate(job.nextRun)}, ${formatTimeOfDay(job.nextRun)}` : null;
  if (!text) return null;
  const caption = (
    <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25 }}>
      {text}
    </Typography>
  );
  return job.nextRun ? (
    <Tooltip title={formatRelative(job.nextRun, now)} placement="top-start">
      {caption}
    </Tooltip>
  ) : (
    caption
  );
}

/** A time as a date over its time of day, "in 3 h" or "2 days ago" on hover. */
function TimeCell({ at, now }: { at: string | null | undefined; now: number }) {
  if (!at) return <Dash />;
  return (
    <Tooltip title={formatRelative(at, now)} placement="top-start">
      <Box sx={{ width: 'fit-content' }}>
        <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
          {formatDate(at)}
        </Typography>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
          {formatTimeOfDay(at)}
        </Typography>
      </Box>
    </Tooltip>
  );
}

export interface JobTableProps {
  jobs: readonly JobSummary[];
  repositories: readonly Repository[];
  sessions: readonly SessionSummary[];
  live: Record<string, LiveSession>;
  loading?: boolean;
  /** Actions are disabled while the engine is unreachable. */
  disabled?: boolean;
  /** Jobs whose start or stop was asked and not yet confirmed (their button spins). */
  pending: Readonly<Record<string, 'starting' | 'stopping'>>;
  onStart: (job: JobSummary) => void;
  onStop: (job: JobSummary) => void;
  onDelete: (job: JobSummary) => void;
  highlightId?: string | null;
  /** "Now" for the relative times in tooltips. */
  now: number;
}

const COLUMNS: readonly Column[] = [
  { label: 'Name', minWidth: 170 },
  { label: 'Kind', width: 120 },
  { label: 'Target', minWidth: 120 },
  { label: 'Schedule', width: 150 },
  { label: 'Status', width: 170 },
  { label: 'Last result', width: 112 },
  { label: 'Last run', width: 120 },
  { label: 'Actions', width: 124, align: 'right', hidden: true },
];

export function JobTable({
  jobs,
  repositories,
  sessions,
  live,
  loading,
  disabled,
  pending,
  onStart,
  onStop,
  onDelete,
  highlightId,
  now,
}: JobTableProps) {
  const offline = disabled ? 'Not connected to the engine' : null;
  return (
    <DataTable label="Jobs" columns={COLUMNS} minWidth={960} padding={{ cell: 1.25 }} loading={loading && jobs.length === 0}>
      {jobs.map((job) => {
        const repository = repositories.find((candidate) => candidate.id === job.repositoryId);
        const jobLive = liveSessionOfJob(live, job.id);
        const result = lastResultOf(job, sessions);
        const action = pending[job.id];
        return (
          <DataRow
            key={job.id}
            hover
            top
            highlighted={highlightId === job.id}
            data-job-id={job.id}
            aria-busy={job.running || undefined}
            sx={{ '& td': { pt: 1.75, pb: 1.5 } }}
          >
            <TableCell>
              <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                {job.name}
              </Typography>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25 }}>
                {job.kind === 'backup-copy' ? formatCount(job.workloads, 'source', 'sources') : formatCount(job.workloads, 'workload', 'workloads')}
              </Typography>
              {job.allowsPlaintext ? (
                <Tooltip title="This copy is not encrypted and allows plaintext copies: points of encrypted sources are stored unencrypted on its target.">
                  <Box
                    role="note"
                    aria-label={`${job.name} stores encrypted sources unencrypted`}
                    sx={{ display: 'flex', alignItems: 'flex-start', gap: 0.5, mt: 0.5, color: 'warning.main', width: 'fit-content' }}
                  >
                    <WarningAmberOutlined sx={{ fontSize: 16, mt: '1px' }} />
                    <Typography variant="caption" sx={{ color: 'text.primary' }}>
                      Encrypted sources stored unencrypted
                    </Typography>
                  </Box>
                </Tooltip>
              ) : null}
            </TableCell>
            <TableCell>
              <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
                {JOB_KIND_LABEL[job.kind]}
              </Typography>
            </TableCell>
            <TableCell>
              {repository ? (
                <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                  {repository.name}
                </Typography>
              ) : (
                <Tooltip title="This repository is no longer registered">
                  <Typography variant="body2" component="span" sx={{ color: 'error.main' }}>
                    Missing repository
                  </Typography>
                </Tooltip>
              )}
            </TableCell>
            <TableCell>
              <Typography variant="body2">{describeSchedule(job.schedule)}</Typography>
              <NextRun job={job} now={now} />
            </TableCell>
            <TableCell>
              <StatusCell job={job} live={jobLive} />
            </TableCell>
            <TableCell>
              <ResultChip result={result} />
            </TableCell>
            <TableCell>
              <TimeCell at={job.lastSession?.startedAt} now={now} />
            </TableCell>

            <ActionsCell sx={{ py: '6px !important' }}>
              <IconAction
                label={`Start ${job.name}`}
                title={offline ?? (job.running ? 'Already running' : 'Start now')}
                icon={<PlayArrowOutlined fontSize="small" />}
                onClick={() => onStart(job)}
                busy={action === 'starting'}
                disabled={disabled || job.running}
                color="primary"
              />
              {job.running ? (
                <IconAction
                  label={`Stop ${job.name}`}
                  title={offline ?? (action === 'stopping' ? 'Stopping…' : 'Stop: the repository stays consistent')}
                  icon={<StopOutlined fontSize="small" />}
                  onClick={() => onStop(job)}
                  disabled={disabled}
                  busy={action === 'stopping'}
                />
              ) : null}
              <IconAction
                label={`Delete ${job.name}`}
                title={offline ?? (job.running ? 'Stop the job before deleting it' : 'Delete the job (its backups stay)')}
                icon={<DeleteOutlined fontSize="small" />}
                onClick={() => onDelete(job)}
                disabled={disabled || job.running}
              />
            </ActionsCell>
          </DataRow>
        );
      })}
    </DataTable>
  );
}

/** Counts for the line above the table. */
export function describeJobs(jobs: readonly JobSummary[]): string {
  const running = jobs.filter((job) => job.running).length;
  const failed = jobs.filter((job) => !job.running && job.lastSession?.result === 'failed').length;
  const parts = [formatCount(jobs.length, 'job', 'jobs')];
  if (running > 0) parts.push(`${formatNumber(running)} running`);
  if (failed > 0) parts.push(`${formatNumber(failed)} failed last time`);
  return parts.join(' · ');
}
