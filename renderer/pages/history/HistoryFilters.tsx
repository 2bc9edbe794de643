import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { SessionResult, SessionSummary } from '../../../shared/domain/job.ts';
import { RESULT_LABEL } from '../../components/ResultChip.tsx';
import { ALL, dateRange, type HistoryFilter, jobKey, type ResultFilter } from './filters.ts';

interface JobOption {
  key: string;
  name: string;
  deleted: boolean;
}

/** Every job, and the deleted ones the sessions still name, live ones first. */
export function jobOptions(sessions: readonly SessionSummary[], jobs: readonly { id: string; name: string }[]): JobOption[] {
  const options = new Map<string, JobOption>();
  for (const job of jobs) options.set(job.id, { key: job.id, name: job.name, deleted: false });
  for (const session of sessions) {
    const key = jobKey(session);
    if (!options.has(key)) options.set(key, { key, name: session.jobName, deleted: session.jobId === null });
  }
  return [...options.values()].sort((a, b) => Number(a.deleted) - Number(b.deleted) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

export function HistoryFilters({ filter, options, onChange }: { filter: HistoryFilter; options: readonly JobOption[]; onChange: (filter: HistoryFilter) => void }) {
  const range = dateRange(filter);
  const dateError = (field: 'from' | 'to') => ('field' in range && range.field === field ? range.message : undefined);
  const date = (field: 'from' | 'to', label: string) => (
    <TextField
      type="date"
      name={field}
      label={label}
      size="small"
      value={filter[field]}
      onChange={(event) => onChange({ ...filter, [field]: event.target.value })}
      error={dateError(field) !== undefined}
      helperText={dateError(field)}
      slotProps={{ inputLabel: { shrink: true } }}
      sx={{ width: 156 }}
    />
  );
  return (
    <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <TextField select label="Job" size="small" value={filter.job} onChange={(event) => onChange({ ...filter, job: event.target.value })} sx={{ width: 200 }}>
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
        value={filter.result}
        onChange={(event) => onChange({ ...filter, result: event.target.value as ResultFilter })}
        sx={{ width: 140 }}
      >
        <MenuItem value={ALL}>All results</MenuItem>
        {(Object.keys(RESULT_LABEL) as SessionResult[]).map((result) => (
          <MenuItem key={result} value={result}>
            {RESULT_LABEL[result]}
          </MenuItem>
        ))}
        <MenuItem value="running">Running</MenuItem>
      </TextField>
      {date('from', 'From')}
      {date('to', 'To')}
    </Box>
  );
}
