import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { GFS_KINDS, type GfsKind } from '../../../shared/retention/gfs.ts';
import { dayName, monthName } from './days.ts';
import type { FieldsProps } from './props.ts';
import { DEFAULT_KEEP_POINTS, gfsOn, type RetentionDraft } from './retention.ts';
import type { JobKind } from './schedule.ts';
import { WeekdayField } from './WeekdayField.tsx';

const KIND_WORDS: Record<GfsKind, { label: string; unit: string; max: number }> = {
  weekly: { label: 'Weekly', unit: 'weeks', max: 520 },
  monthly: { label: 'Monthly', unit: 'months', max: 240 },
  yearly: { label: 'Yearly', unit: 'years', max: 100 },
};

const MONTHS = Array.from({ length: 12 }, (_, month) => month);

/**
 * How many restore points the job keeps: the newest N, and for copy jobs the weekly,
 * monthly and yearly points of grandfather-father-son, each for its own number of periods.
 */
export function RetentionFields({ kind, draft, onChange, errors, fieldRef, disabled }: FieldsProps<RetentionDraft> & { kind: JobKind }) {
  const keepHelpId = useId();
  const gfsHeadingId = useId();
  const set = (patch: Partial<RetentionDraft>) => onChange({ ...draft, ...patch });
  const on = gfsOn(draft);

  return (
    <Stack spacing={2.5}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          label="Restore points to keep"
          name="retention.keepPoints"
          value={draft.keepPoints}
          onChange={(event) => set({ keepPoints: event.target.value })}
          inputRef={fieldRef?.('retention.keepPoints')}
          error={Boolean(errors['retention.keepPoints'])}
          helperText={errors['retention.keepPoints']}
          disabled={disabled}
          required
          autoComplete="off"
          sx={{ width: { sm: 220 }, flexShrink: 0 }}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 4, ...(errors['retention.keepPoints'] ? {} : { 'aria-describedby': keepHelpId }) } }}
        />
        <Typography id={keepHelpId} variant="body2" sx={{ color: 'text.secondary', pt: { sm: 1 } }}>
          The newest restore points of each workload that stay; older ones are removed after a run. {DEFAULT_KEEP_POINTS} suits
          most jobs: a week of daily runs.
        </Typography>
      </Stack>

      {kind === 'backup-copy' ? (
        <Box role="group" aria-labelledby={gfsHeadingId}>
          <Typography id={gfsHeadingId} variant="subtitle2" component="h4">
            Keep points for archiving (GFS)
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1.5 }}>
            Besides the newest ones, keep one point a week, a month or a year for longer.
          </Typography>
          <Stack spacing={1}>
            {GFS_KINDS.map((name) => {
              const words = KIND_WORDS[name];
              const path = `retention.gfs.${name}`;
              return (
                <Stack key={name} direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
                  <FormControlLabel
                    label={`${words.label} points`}
                    disabled={disabled}
                    sx={{ width: 170, flexShrink: 0, mt: 0.5 }}
                    control={<Checkbox checked={draft[name].on} onChange={(event) => set({ [name]: { ...draft[name], on: event.target.checked } })} />}
                  />
                  <TextField
                    label={`Keep for (${words.unit})`}
                    name={path}
                    size="small"
                    value={draft[name].count}
                    onChange={(event) => set({ [name]: { on: true, count: event.target.value } })}
                    inputRef={fieldRef?.(path)}
                    error={Boolean(errors[path])}
                    helperText={errors[path]}
                    disabled={disabled || !draft[name].on}
                    autoComplete="off"
                    sx={{ width: { xs: 160, sm: 200 }, flexShrink: 0 }}
                    slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 4 } }}
                  />
                  {errors[path] ? null : (
                    <Typography variant="body2" sx={{ color: 'text.secondary', pt: 1, display: { xs: 'none', md: 'block' } }}>
                      {draft[name].on ? `1 to ${words.max}` : 'Off'}
                    </Typography>
                  )}
                </Stack>
              );
            })}
          </Stack>
          {on ? (
            <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mt: 2 }}>
<WeekdayField
                label="Weekly point on"
                name="retention.gfs.weekday"
                value={draft.weekday}
                onChange={(weekday) => set({ weekday })}
                disabled={disabled}
                helperText="Or the first point after it that week."
              />
              <TextField
                select
                size="small"
                label="Monthly point in"
                name="retention.gfs.monthlyWeek"
                value={draft.monthlyWeek}
                onChange={(event) => set({ monthlyWeek: event.target.value as RetentionDraft['monthlyWeek'] })}
                disabled={disabled}
                helperText={`Of each month, on that week's ${dayName(draft.weekday)}.`}
                sx={{ minWidth: 180 }}
              >
                <MenuItem value="first">the first week</MenuItem>
                <MenuItem value="last">the last week</MenuItem>
              </TextField>
              <TextField
                select
                size="small"
                label="Yearly point in"
                name="retention.gfs.yearlyMonth"
                value={draft.yearlyMonth}
                onChange={(event) => set({ yearlyMonth: Number(event.target.value) })}
                disabled={disabled}
                helperText="That month's monthly point."
                sx={{ minWidth: 160 }}
              >
                {MONTHS.map((month) => (
                  <MenuItem key={month} value={month}>
                    {monthName(month)}
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
          ) : null}
        </Box>
      ) : null}
    </Stack>
  );
}
