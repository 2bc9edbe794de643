import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PlayCircleOutlined from '@mui/icons-material/PlayCircleOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import StopOutlined from '@mui/icons-material/StopOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { JobSummary } from '../../../shared/domain/job.ts';
import { IconAction } from '../../components/IconAction.tsx';
import { formatNumber } from '../../format/format.ts';
import { describeJobs, type JobFilter, SHOW } from './rows.ts';

export interface JobListToolbarProps {
  jobs: readonly JobSummary[];
  /** How many rows pass the filter. */
  shown: number;
  loading: boolean;
  filter: JobFilter;
  onFilterChange: (filter: JobFilter) => void;
  selected: readonly JobSummary[];
  offline: boolean;
  onStart: () => void;
  onStop: () => void;
  onSetEnabled: (enabled: boolean) => void;
  onClearSelection: () => void;
  onRefresh: () => void;
}

/** Above the list: search and Show, the counts, and what can be done with the selected jobs. */
export function JobListToolbar(props: JobListToolbarProps) {
  const { jobs, shown, loading, filter, onFilterChange, selected, offline } = props;
  const filtered = filter.text.trim() !== '' || filter.show !== 'all';
  const summary = loading ? 'Loading jobs…' : filtered ? `${formatNumber(shown)} of ${describeJobs(jobs)}` : describeJobs(jobs);
  const canStart = selected.some((job) => !job.running);
  const canStop = selected.some((job) => job.running);
  // The selected jobs' actions take the place of the search, at its height: selecting a row never moves the others.
  const line = { display: 'flex', alignItems: 'center', gap: 1.5, height: 40, mb: 1.5 } as const;
  if (selected.length > 0) {
    return (
      <Box role="toolbar" aria-label="Selected jobs" sx={{ ...line, gap: 0.5, px: 1.5, borderRadius: 2, bgcolor: 'action.selected', overflow: 'hidden' }}>
        <Typography variant="body2" sx={{ fontWeight: 600, mr: 1, whiteSpace: 'nowrap' }} aria-live="polite">
          {formatNumber(selected.length)} selected
        </Typography>
        <Button size="small" startIcon={<PlayArrowOutlined />} onClick={props.onStart} disabled={offline || !canStart}>
          Start
        </Button>
        <Button size="small" startIcon={<StopOutlined />} onClick={props.onStop} disabled={offline || !canStop}>
          Stop
        </Button>
        <Button size="small" startIcon={<PlayCircleOutlined />} onClick={() => props.onSetEnabled(true)} disabled={offline || selected.every((job) => job.enabled)}>
          Enable
        </Button>
        <Button size="small" startIcon={<DoNotDisturbOnOutlined />} onClick={() => props.onSetEnabled(false)} disabled={offline || selected.every((job) => !job.enabled)}>
          Disable
        </Button>
        <Box sx={{ flex: 1 }} />
        <Button size="small" color="inherit" onClick={props.onClearSelection} sx={{ whiteSpace: 'nowrap' }}>
          Clear selection
        </Button>
      </Box>
    );
  }
  return (
    <Box sx={line}>
      <TextField
        size="small"
        label="Search jobs"
        value={filter.text}
        onChange={(event) => onFilterChange({ ...filter, text: event.target.value })}
        sx={{ width: 220 }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchOutlined fontSize="small" />
              </InputAdornment>
            ),
          },
        }}
      />
      <TextField
        select
        size="small"
        label="Show"
        value={filter.show}
        onChange={(event) => onFilterChange({ ...filter, show: event.target.value as JobFilter['show'] })}
        sx={{ width: 190 }}
      >
        {Object.entries(SHOW).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 0 }} aria-live="polite">
        {summary}
      </Typography>
      <IconAction label="Refresh list" title="Reload the jobs and their results" icon={<RefreshOutlined fontSize="small" />} onClick={props.onRefresh} disabled={offline} />
    </Box>
  );
}
