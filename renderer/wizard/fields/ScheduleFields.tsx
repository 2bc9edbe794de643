import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useId, useMemo } from 'react';
import { dayName, shortDayName, weekOrder } from './days.ts';
import type { FieldsProps } from './props.ts';
import { type JobKind, MODES, type PeriodUnit, type RetryDraft, type ScheduleDraft, type ScheduleMode } from './schedule.ts';

const MODE_WORDS: Record<ScheduleMode, { label: string; help: string }> = {
  manual: { label: 'Manually', help: 'The job runs only when you start it.' },
  immediate: { label: 'As soon as new restore points appear', help: 'Each new point of a source is copied as soon as it is complete, in order.' },
  periodic: { label: 'Periodically', help: 'Every few minutes, hours or days from a first run.' },
  daily: { label: 'Daily at a time', help: 'At a time of day, on the days you choose.' },
};

const UNIT_WORDS: Record<PeriodUnit, string> = { minutes: 'minutes', hours: 'hours', days: 'days' };

/**
 * When a job runs by itself: the modes its kind offers, and for periodic runs how often
 * and from when (copy jobs: look back or look forward); for daily runs the time and days.
 */
export function ScheduleFields({ kind, draft, onChange, errors, fieldRef, disabled }: FieldsProps<ScheduleDraft> & { kind: JobKind }) {
  const modeLabelId = useId();
  const daysLabelId = useId();
  const order = useMemo(() => weekOrder(), []);
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...draft, ...patch });
  const ref = (path: string) => fieldRef?.(path);

  return (
    <Stack spacing={2.5}>
      <FormControl error={Boolean(errors['schedule.mode'])} disabled={disabled}>
        <FormLabel id={modeLabelId} sx={{ fontWeight: 600, color: 'text.primary', mb: 0.5 }}>
          Run the job
        </FormLabel>
        <RadioGroup aria-labelledby={modeLabelId} name="schedule.mode" value={draft.mode} onChange={(event) => set({ mode: event.target.value as ScheduleMode })}>
          {MODES[kind].map((mode, index) => (
            <Box key={mode}>
              <FormControlLabel
                value={mode}
                label={MODE_WORDS[mode].label}
                control={<Radio slotProps={{ input: { 'aria-describedby': `${modeLabelId}-${mode}`, ...(index === 0 ? { ref: ref('schedule.mode') } : {}) } }} />}
              />
              <FormHelperText id={`${modeLabelId}-${mode}`} sx={{ mt: -0.75, ml: 4, mb: 0.5 }}>
                {MODE_WORDS[mode].help}
              </FormHelperText>
            </Box>
          ))}
        </RadioGroup>
        {errors['schedule.mode'] ? <FormHelperText>{errors['schedule.mode']}</FormHelperText> : null}
      </FormControl>

      {draft.mode === 'periodic' ? (
        <Stack spacing={2.5} sx={{ pl: { sm: 4 } }}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label="Every"
              name="schedule.every"
              value={draft.every}
              onChange={(event) => set({ every: event.target.value })}
              inputRef={ref('schedule.every')}
              error={Boolean(errors['schedule.every'])}
              helperText={errors['schedule.every'] ?? ' '}
              disabled={disabled}
              required
              autoComplete="off"
              sx={{ width: { sm: 120 } }}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
            />
            <TextField
              select
              label="Unit"
              name="schedule.unit"
              value={draft.unit}
              onChange={(event) => set({ unit: event.target.value as PeriodUnit })}
              disabled={disabled}
              helperText=" "
              sx={{ width: { sm: 140 } }}
            >
              {(Object.keys(UNIT_WORDS) as PeriodUnit[]).map((unit) => (
                <MenuItem key={unit} value={unit}>
                  {UNIT_WORDS[unit]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="First run"
              name="schedule.startAt"
              type="datetime-local"
              value={draft.startAt}
              onChange={(event) => set({ startAt: event.target.value })}
              inputRef={ref('schedule.startAt')}
              error={Boolean(errors['schedule.startAt'])}
              helperText={errors['schedule.startAt'] ?? (draft.unit === 'days' ? 'Later runs keep its time of day.' : 'Later runs follow at the interval.')}
              disabled={disabled}
              required
              sx={{ width: { sm: 240 } }}
              slotProps={{ inputLabel: { shrink: true } }}
            />
          </Stack>
          {kind === 'backup-copy' ? (
            <FormControl disabled={disabled}>
              <FormLabel id={`${modeLabelId}-look`} sx={{ fontWeight: 600, color: 'text.primary', mb: 0.5 }}>
                In each interval
              </FormLabel>
              <RadioGroup
                aria-labelledby={`${modeLabelId}-look`}
                name="schedule.lookForward"
                value={draft.lookForward ? 'forward' : 'back'}
                onChange={(event) => set({ lookForward: event.target.value === 'forward' })}
              >
                <FormControlLabel value="back" control={<Radio />} label="Look back: copy the newest restore point not copied yet" />
                <FormControlLabel value="forward" control={<Radio />} label="Look forward: copy only restore points created after the interval began" />
              </RadioGroup>
            </FormControl>
          ) : null}
        </Stack>
      ) : null}

      {draft.mode === 'daily' ? (
        <Stack spacing={2} sx={{ pl: { sm: 4 } }}>
          <TextField
            label="At"
            name="schedule.at"
            type="time"
            value={draft.at}
            onChange={(event) => set({ at: event.target.value })}
            inputRef={ref('schedule.at')}
            error={Boolean(errors['schedule.at'])}
            helperText={errors['schedule.at'] ?? 'The engine computer\'s time of day.'}
            disabled={disabled}
            required
            sx={{ width: { sm: 200 } }}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <FormControl error={Boolean(errors['schedule.weekdays'])} disabled={disabled}>
            <FormLabel id={daysLabelId} sx={{ fontWeight: 600, color: 'text.primary', mb: 1 }}>
              On
            </FormLabel>
            <ToggleButtonGroup
              aria-labelledby={daysLabelId}
              value={draft.weekdays}
              onChange={(_event, weekdays: number[]) => set({ weekdays: [...weekdays].sort((a, b) => a - b) })}
              size="small"
              disabled={disabled}
              sx={{ flexWrap: 'wrap' }}
            >
              {order.map((day, index) => (
                <ToggleButton key={day} value={day} aria-label={dayName(day)} ref={index === 0 ? ref('schedule.weekdays') : undefined} sx={{ px: 1.5 }}>
                  {shortDayName(day)}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
            <FormHelperText>{errors['schedule.weekdays'] ?? (draft.weekdays.length === 7 ? 'Every day.' : ' ')}</FormHelperText>
          </FormControl>
        </Stack>
      ) : null}
    </Stack>
  );
}

/** How often and how far apart a failed workload is tried again. */
export function RetryFields({ draft, onChange, errors, fieldRef, disabled }: FieldsProps<RetryDraft>) {
  const set = (patch: Partial<RetryDraft>) => onChange({ ...draft, ...patch });
  return (
    <Box>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Retries"
          name="retries.count"
          value={draft.count}
          onChange={(event) => set({ count: event.target.value })}
          inputRef={fieldRef?.('retries.count')}
          error={Boolean(errors['retries.count'])}
          helperText={errors['retries.count'] ?? 'Tries after a failure; 0 for none.'}
          disabled={disabled}
          autoComplete="off"
          sx={{ width: { sm: 260 } }}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 4 } }}
        />
        <TextField
          label="Wait between retries (minutes)"
          name="retries.intervalMinutes"
          value={draft.intervalMinutes}
          onChange={(event) => set({ intervalMinutes: event.target.value })}
          inputRef={fieldRef?.('retries.intervalMinutes')}
          error={Boolean(errors['retries.intervalMinutes'])}
          helperText={errors['retries.intervalMinutes'] ?? 'From 1 to 1440 (a day).'}
          disabled={disabled}
          autoComplete="off"
          sx={{ width: { sm: 260 } }}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 5 } }}
        />
      </Stack>
      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.5 }}>
        A failed workload is tried again within the run&apos;s interval, until the next run is due.
      </Typography>
    </Box>
  );
}
