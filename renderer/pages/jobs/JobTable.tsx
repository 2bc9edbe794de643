import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import NorthEastOutlined from '@mui/icons-material/NorthEastOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { JobSummary, SessionSummary } from '../../../shared/domain/job.ts';
import type { Repository } from '../../../shared/domain/repository.ts';
import { ResultChip } from '../../components/ResultChip.tsx';
import { formatBytes, formatCount, formatDate, formatNumber, formatRelative, formatTimeOfDay } from '../../format/format.ts';
import { hrefForSession } from '../../shell/router.ts';
import { type LiveSession, liveSessionOfJob, liveTotals } from '../../store/jobs.ts';
import { lastFinishedSession } from '../../store/sessions.ts';
import { describeSchedule, JOB_KIND_LABEL } from './describe.ts';

function Dash() {
  return (
    <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
      —
    </Typography>
  );
}

/** What a live session has done so far: "12 files, 3.40 MB read". */
export function progressText(live: LiveSession | undefined): string {
  if (!live) return 'Starting…';
  const totals = liveTotals(live);
  return `${formatCount(totals.files, 'file', 'files')}, ${formatBytes(totals.bytesRead)} read`;
}

function StatusCell({ job, live }: { job: JobSummary; live: LiveSession | undefined }) {
  if (job.running) {
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
                aria-label={`Running: open the live session of ${job.name}`}
                sx={{ fontWeight: 600, display: 'inline-flex', alignItems: 'center', gap: 0.25 }}
              >
                Running
                <NorthEastOutlined sx={{ fontSize: 14 }} />
              </Link>
            </Tooltip>
          ) : (
            <Typography variant="body2" sx={{ fontWeight: 600, color: 'primary.main' }}>
              Running
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
  if (!job.enabled) {
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'text.secondary' }}>
        <DoNotDisturbOnOutlined sx={{ fontSize: 18 }} />
        <Typography variant="body2">Disabled</Typography>
      </Box>
    );
  }
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'text.secondary' }}>
      <PauseCircleOutlined sx={{ fontSize: 18 }} />
      <Typography variant="body2" sx={{ color: 'text.primary' }}>
        Idle
      </Typography>
    </Box>
  );
}

function LastRunCell({ session, now }: { session: JobSummary['lastSession']; now: number }) {
  if (!session) return <Dash />;
  return (
    <Tooltip title={formatRelative(session.startedAt, now)} placement="top-start">
      <Box sx={{ width: 'fit-content' }}>
        <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
          {formatDate(session.startedAt)}
        </Typography>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
          {formatTimeOfDay(session.startedAt)}
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

const COLUMNS = 8;

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
  const theme = useTheme();
  const offline = disabled ? 'Not connected to the engine' : null;
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ borderRadius: 2.5 }}>
      <Table
        aria-label="Jobs"
        sx={{
          minWidth: 920,
          '& td, & th': { px: 1.25 },
          '& td:first-of-type, & th:first-of-type': { pl: 2 },
          '& td:last-of-type, & th:last-of-type': { pr: 1.5 },
        }}
      >
        <TableHead>
          <TableRow>
            <TableCell sx={{ minWidth: 170 }}>Name</TableCell>
            <TableCell sx={{ width: 120 }}>Kind</TableCell>
            <TableCell sx={{ minWidth: 120 }}>Target</TableCell>
            <TableCell sx={{ width: 110 }}>Schedule</TableCell>
            <TableCell sx={{ width: 170 }}>Status</TableCell>
            <TableCell sx={{ width: 112 }}>Last result</TableCell>
            <TableCell sx={{ width: 120 }}>Last run</TableCell>
            <TableCell align="right" sx={{ width: 124 }}>
              <Box component="span" sx={visuallyHidden}>
                Actions
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {loading && jobs.length === 0
            ? [0, 1].map((row) => (
                <TableRow key={row} aria-hidden>
                  {Array.from({ length: COLUMNS }, (_, cell) => (
                    <TableCell key={cell}>
                      <Skeleton variant="text" width={cell === COLUMNS - 1 ? 24 : '80%'} />
                    </TableCell>
                  ))}
                </TableRow>
              ))
            : null}
          {jobs.map((job) => {
            const repository = repositories.find((candidate) => candidate.id === job.repositoryId);
            const jobLive = liveSessionOfJob(live, job.id);
            const last = job.running ? lastFinishedSession(sessions, job.id) : undefined;
            const result = job.running ? (last?.result ?? null) : (job.lastSession?.result ?? null);
            const action = pending[job.id];
            return (
              <TableRow
                key={job.id}
                hover
                data-job-id={job.id}
                aria-busy={job.running || undefined}
                sx={{
                  verticalAlign: 'top',
                  '& td': { pt: 1.75, pb: 1.5 },
                  '&:last-child td': { borderBottom: 0 },
                  ...(highlightId === job.id && {
                    animation: 'ferry-row-added 2.4s ease-out',
                    '@keyframes ferry-row-added': {
                      from: { backgroundColor: alpha(theme.palette.primary.main, 0.16) },
                    },
                  }),
                }}
              >
                <TableCell>
                  <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                    {job.name}
                  </Typography>
                  <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25 }}>
                    {formatCount(job.workloads, 'workload', 'workloads')}
                  </Typography>
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
                </TableCell>
                <TableCell>
                  <StatusCell job={job} live={jobLive} />
                </TableCell>
                <TableCell>
                  <ResultChip result={result} />
                </TableCell>
                <TableCell>
                  <LastRunCell session={job.lastSession} now={now} />
                </TableCell>
                <TableCell align="right" sx={{ py: '6px !important', whiteSpace: 'nowrap' }}>
                  <Tooltip title={offline ?? (job.running ? 'Already running' : 'Start now')}>
                    <span>
                      <IconButton
                        aria-label={`Start ${job.name}`}
                        onClick={() => onStart(job)}
                        disabled={disabled || job.running || action === 'starting'}
                        size="small"
                        color="primary"
                      >
                        {action === 'starting' ? <CircularProgress size={18} /> : <PlayArrowOutlined fontSize="small" />}
                      </IconButton>
                    </span>
                  </Tooltip>
                  {job.running ? (
                    <Tooltip title={offline ?? (action === 'stopping' ? 'Stopping…' : 'Stop: the repository stays consistent')}>
                      <span>
                        <IconButton
                          aria-label={`Stop ${job.name}`}
                          onClick={() => onStop(job)}
                          disabled={disabled || action === 'stopping'}
                          size="small"
                        >
                          {action === 'stopping' ? <CircularProgress size={18} /> : <StopOutlined fontSize="small" />}
                        </IconButton>
                      </span>
                    </Tooltip>
                  ) : null}
                  <Tooltip title={offline ?? (job.running ? 'Stop the job before deleting it' : 'Delete the job (its backups stay)')}>
                    <span>
                      <IconButton
                        aria-label={`Delete ${job.name}`}
                        onClick={() => onDelete(job)}
                        disabled={disabled || job.running}
                        size="small"
                      >
                        <DeleteOutlined fontSize="small" />
                      </IconButton>
                    </span>
                  </Tooltip>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
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

const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;
