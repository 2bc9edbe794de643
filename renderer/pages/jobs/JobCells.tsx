import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import HourglassEmptyOutlined from '@mui/icons-material/HourglassEmptyOutlined';
import LinkOffOutlined from '@mui/icons-material/LinkOffOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import LinearProgress from '@mui/material/LinearProgress';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { JobSummary, SessionResult } from '../../../shared/domain/job.ts';
import { Dash } from '../../components/Dash.tsx';
import { IconLabel } from '../../components/IconLabel.tsx';
import { ResultChip } from '../../components/ResultChip.tsx';
import { formatBytes, formatCount, formatDate, formatDateTimeShort, formatRelative, formatTimeOfDay } from '../../format/format.ts';
import { type LiveSession, liveProgressShare, liveTotals } from '../../store/jobs.ts';
import { describeSchedule, shortSchedule } from './describe.ts';
import { LIST_STATUS_LABEL, type ListStatus } from './status.ts';

const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

/** A line of secondary text that ends in "…" when the cell is too narrow (its whole text on hover). */
export function Caption({ children, title }: { children: ReactNode; title?: string }) {
  const line = (
    <Typography variant="caption" component="div" sx={{ color: 'text.secondary', ...ellipsis }}>
      {children}
    </Typography>
  );
  return title ? (
    <Tooltip describeChild title={title} placement="bottom-start">
      {line}
    </Tooltip>
  ) : (
    line
  );
}

/** A cell's content, stacked lines centred in the row. */
export function CellStack({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'flex', flexDirection: 'column', justifyContent: 'center', height: '100%', minWidth: 0, lineHeight: 1.5 }}>{children}</Box>;
}

export interface NameCellProps {
  job: JobSummary;
  /** Lines under the name: what it copies or backs up, and in narrow layouts its kind and target. */
  details: string[];
}

export function NameCell({ job, details }: NameCellProps) {
  return (
    <CellStack>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, ...ellipsis }} title={job.name}>
          {job.name}
        </Typography>
        {job.allowsPlaintext ? (
          <Tooltip describeChild title="This copy is not encrypted and allows plaintext copies: points of encrypted sources are stored unencrypted on its target.">
            <WarningAmberOutlined titleAccess={`${job.name} stores encrypted sources unencrypted`} sx={{ fontSize: 16, color: 'warning.main', flexShrink: 0 }} />
          </Tooltip>
        ) : null}
      </Box>
      {details.map((line) => (
        <Caption key={line} title={line}>
          {line}
        </Caption>
      ))}
    </CellStack>
  );
}

/** The schedule in one short line (all of it on hover), and when it runs next where there is no Next run column. */
export function ModeCell({ job, withNext, now }: { job: JobSummary; withNext: boolean; now: number }) {
  return (
    <CellStack>
      <Tooltip describeChild title={describeSchedule(job.schedule)} placement="bottom-start">
        <Typography variant="body2" sx={ellipsis}>
          {shortSchedule(job.schedule)}
        </Typography>
      </Tooltip>
      {withNext ? <NextRunLine job={job} now={now} /> : null}
    </CellStack>
  );
}

/** When the engine runs the job next: a time, for an immediate copy "on a new point", else nothing. */
function nextRunText(job: JobSummary, now: number): string | null {
  if (!job.enabled) return null;
  if (job.schedule.mode === 'immediate') return 'on a new point';
  return job.nextRun ? formatDateTimeShort(job.nextRun, now) : null;
}

function NextRunLine({ job, now }: { job: JobSummary; now: number }) {
  const text = nextRunText(job, now);
  if (!text) return null;
  return <Caption title={job.nextRun ? formatRelative(job.nextRun, now) : undefined}>Next: {text}</Caption>;
}

/** A time as a date over its time of day, "in 3 hours" or "2 days ago" on hover. */
export function TimeCell({ at, now, above }: { at: string | null | undefined; now: number; above?: ReactNode }) {
  return (
    <CellStack>
      {above}
      {at ? (
        <Tooltip describeChild title={formatRelative(at, now)} placement="bottom-start">
          <Box sx={{ width: 'fit-content', maxWidth: '100%' }}>
            {above ? (
              <Caption>{formatDateTimeShort(at, now)}</Caption>
            ) : (
              <>
                <Typography variant="body2" sx={ellipsis}>
                  {formatDate(at)}
                </Typography>
                <Caption>{formatTimeOfDay(at)}</Caption>
              </>
            )}
          </Box>
        </Tooltip>
      ) : above ? null : (
        <Dash />
      )}
    </CellStack>
  );
}

export function NextRunCell({ job, now }: { job: JobSummary; now: number }) {
  if (job.schedule.mode === 'immediate' && job.enabled) {
    return (
      <CellStack>
        <Typography variant="body2">On a new point</Typography>
      </CellStack>
    );
  }
  return <TimeCell at={job.enabled ? job.nextRun : null} now={now} />;
}

/** The last result, with the time of that run below it where there is no Last run column. */
export function ResultCell({ result, at, now, withTime }: { result: SessionResult | null; at: string | null; now: number; withTime: boolean }) {
  const chip = (
    <Box>
      <ResultChip result={result} />
    </Box>
  );
  if (!withTime) return <CellStack>{chip}</CellStack>;
  return <TimeCell at={at} now={now} above={chip} />;
}

/** The target repository's name, or that it is gone. */
export function TargetCell({ name }: { name: string | null }) {
  return (
    <CellStack>
      {name === null ? (
        <Typography variant="body2" sx={{ color: 'error.main', ...ellipsis }}>
          Missing repository
        </Typography>
      ) : (
        <Typography variant="body2" sx={ellipsis} title={name}>
          {name}
        </Typography>
      )}
    </CellStack>
  );
}

/** What a live session has done so far: "12 files, 3.40 MB read". */
export function progressText(live: LiveSession | undefined): string {
  if (!live) return 'Starting…';
  const totals = liveTotals(live);
  return `${formatCount(totals.files, 'file', 'files')}, ${formatBytes(totals.bytesRead)} read`;
}

const STATUS_ICON = {
  queued: HourglassEmptyOutlined,
  idle: PauseCircleOutlined,
  disabled: DoNotDisturbOnOutlined,
  'waiting-for-point': HourglassEmptyOutlined,
  'waiting-for-window': ScheduleOutlined,
} as const;

export interface StatusCellProps {
  job: JobSummary;
  status: ListStatus;
  live: LiveSession | undefined;
  /** The cell's place in the grid's keyboard order. */
  tabIndex: 0 | -1;
  /** Opens the running job's live session view. */
  onOpenLive: (job: JobSummary) => void;
}

export function StatusCell({ job, status, live, tabIndex, onOpenLive }: StatusCellProps) {
  if (job.running) {
    const rate = live ? liveTotals(live).rate : null;
    const share = live ? liveProgressShare(live) : null;
    const label = LIST_STATUS_LABEL[status];
    return (
      <CellStack>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, minWidth: 0 }}>
          <Tooltip describeChild title="Open the live session: each workload’s progress and the log">
            <ButtonBase
              tabIndex={tabIndex}
              onClick={() => onOpenLive(job)}
              aria-label={`${label}: open the live session of ${job.name}`}
              sx={{ typography: 'body2', fontWeight: 600, color: 'primary.main', borderRadius: 0.5, '&:hover': { textDecoration: 'underline' } }}
            >
              {label}
            </ButtonBase>
          </Tooltip>
          {rate !== null ? (
            <Typography variant="caption" sx={{ color: 'text.secondary', ...ellipsis, fontVariantNumeric: 'tabular-nums' }}>
              {formatBytes(rate)}/s
            </Typography>
          ) : null}
        </Box>
        <LinearProgress
          variant={share === null ? 'indeterminate' : 'determinate'}
          value={share === null ? undefined : share * 100}
          aria-label={`${job.name} progress`}
          sx={{ my: 0.5, height: 4, borderRadius: 2 }}
        />
        <Typography variant="caption" component="div" role="status" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums', ...ellipsis }}>
          {progressText(live)}
        </Typography>
      </CellStack>
    );
  }
  if (status === 'missing-repository') {
    return (
      <CellStack>
        <Tooltip describeChild title="The target repository of this job was removed. Add it again on the Repositories page (the same folder or bucket), or edit the job.">
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'error.main' }}>
            <LinkOffOutlined sx={{ fontSize: 18 }} />
            <Typography variant="body2" sx={{ color: 'text.primary', lineHeight: 1.3, whiteSpace: 'normal' }}>
              Missing repository
            </Typography>
          </Box>
        </Tooltip>
      </CellStack>
    );
  }
  const label = LIST_STATUS_LABEL[status];
  const Icon = status === 'working' ? PauseCircleOutlined : STATUS_ICON[status];
  return (
    <CellStack>
      <IconLabel icon={Icon} color="text.secondary" muted={status === 'disabled'}>
        {label}
      </IconLabel>
    </CellStack>
  );
}
