import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Collapse from '@mui/material/Collapse';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type ReactNode, useEffect, useId, useState } from 'react';
import type { HealthCheckSpec } from '../../../shared/domain/job.ts';
import { ToggleField } from '../../components/form.tsx';
import { request } from '../../connection/engine.ts';
import { hrefFor } from '../../shell/router.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';
import { type AdvancedDraft, describeHealthCheck, type ScriptDraft, WEEKS } from './advanced.ts';
import type { FieldsProps } from './props.ts';
import type { JobKind } from './schedule.ts';
import { WeekdayField } from './WeekdayField.tsx';


/** A titled part of the step. */
function Part({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <Box component="section" aria-labelledby={headingId}>
      <Typography id={headingId} variant="subtitle2" component="h4" sx={{ mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/**
 * The Advanced step's fields besides storage: health check schedule, how long a removed
 * workload's points stay, the mail report, scripts before and after, and (copy jobs)
 * the RPO warning threshold.
 */
export function AdvancedFields({ kind, draft, onChange, errors, fieldRef, disabled }: FieldsProps<AdvancedDraft> & { kind: JobKind }) {
  const set = (patch: Partial<AdvancedDraft>) => onChange({ ...draft, ...patch });
  const setHealth = (patch: Partial<HealthCheckSpec>) => set({ healthCheck: { ...draft.healthCheck, ...patch } });
  const health = draft.healthCheck;
  const [mailSetUp, setMailSetUp] = useState<boolean | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    request('mail.get', {}, { signal: controller.signal }).then(
      (settings) => setMailSetUp(settings !== null && settings.enabled),
      () => setMailSetUp(null),
    );
    return () => controller.abort();
  }, []);

  return (
    <Stack spacing={3.5}>
      <Part title="Health check">
        <ToggleField
          control="switch"
          label="Check the backup's health on a schedule"
          help="The first run on or after the day reads every chunk of the backup and checks it; damage is reported and healed from the source where it can be."
          checked={health.enabled}
          onChange={(enabled) => setHealth({ enabled })}
          disabled={disabled}
        />
        <Collapse in={health.enabled}>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mt: 2, ml: { sm: 6.5 } }}>
            <TextField
              select
              size="small"
              label="How often"
              name="healthCheck.frequency"
              value={health.frequency}
              onChange={(event) => setHealth({ frequency: event.target.value as HealthCheckSpec['frequency'] })}
              disabled={disabled}
              sx={{ minWidth: 150 }}
            >
              <MenuItem value="monthly">Monthly</MenuItem>
              <MenuItem value="weekly">Weekly</MenuItem>
            </TextField>
            {health.frequency === 'monthly' ? (
              <TextField
                select
                size="small"
                label="Week of the month"
                name="healthCheck.week"
                value={health.week}
                onChange={(event) => setHealth({ week: event.target.value as HealthCheckSpec['week'] })}
                disabled={disabled}
                sx={{ minWidth: 170 }}
              >
                {(Object.keys(WEEKS) as HealthCheckSpec['week'][]).map((week) => (
                  <MenuItem key={week} value={week}>
                    {WEEKS[week]}
                  </MenuItem>
                ))}
              </TextField>
            ) : null}
<WeekdayField label="Day" name="healthCheck.weekday" value={health.weekday} onChange={(weekday) => setHealth({ weekday })} disabled={disabled} />
          </Stack>
          <FormHelperText sx={{ ml: { sm: 6.5 } }}>Checked {describeHealthCheck(health)}.</FormHelperText>
        </Collapse>
      </Part>

      <Part title="Removed workloads">
        <TextField
          label="Keep a removed workload's points (days)"
          name="removeDeletedWorkloadsAfterDays"
          value={draft.removeDeletedWorkloadsAfterDays}
          onChange={(event) => set({ removeDeletedWorkloadsAfterDays: event.target.value })}
          inputRef={fieldRef?.('removeDeletedWorkloadsAfterDays')}
          error={Boolean(errors.removeDeletedWorkloadsAfterDays)}
          helperText={
            errors.removeDeletedWorkloadsAfterDays ??
            'A workload that leaves the job (or its source) keeps its restore points this long, then they are removed.'
          }
          disabled={disabled}
          autoComplete="off"
          sx={{ maxWidth: 420 }}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 5 } }}
        />
      </Part>

      <Part title="Email report">
        <FormGroup row aria-label="Send the report by email after a run that ended in">
          {(
            [
              ['onSuccess', 'Success'],
              ['onWarning', 'Warning'],
              ['onFailure', 'Failure'],
            ] as const
          ).map(([field, label]) => (
            <FormControlLabel
              key={field}
              label={label}
              disabled={disabled}
              control={<Checkbox checked={draft.mailReport[field]} onChange={(event) => set({ mailReport: { ...draft.mailReport, [field]: event.target.checked } })} />}
            />
          ))}
        </FormGroup>
        <FormHelperText>
          {mailSetUp === false ? (
            <>
              Mail is not set up yet: reports are sent once an SMTP server is set in <Link href={hrefFor('settings')}>Settings</Link>.
            </>
          ) : (
            'A report after each run that ends with a checked result, through the SMTP server of Settings.'
          )}
        </FormHelperText>
      </Part>

      <Part title="Scripts">
        <Stack spacing={2}>
          <ScriptFields when="before" draft={draft.before} onChange={(before) => set({ before })} errors={errors} fieldRef={fieldRef} disabled={disabled} />
          <ScriptFields when="after" draft={draft.after} onChange={(after) => set({ after })} errors={errors} fieldRef={fieldRef} disabled={disabled} />
        </Stack>
      </Part>

      {kind === 'backup-copy' ? (
        <Part title="Recovery point objective">
          <TextField
            label="Warn when the newest copy is older than (hours)"
            name="rpoHours"
            value={draft.rpoHours}
            onChange={(event) => set({ rpoHours: event.target.value })}
            inputRef={fieldRef?.('rpoHours')}
            error={Boolean(errors.rpoHours)}
            helperText={errors.rpoHours ?? 'A workload without a copy this recent shows a warning on Home and in the job list.'}
            disabled={disabled}
            autoComplete="off"
            sx={{ maxWidth: 420 }}
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 5 } }}
          />
        </Part>
      ) : null}
    </Stack>
  );
}

function ScriptFields({
  when,
  draft,
  onChange,
  errors,
  fieldRef,
  disabled,
}: FieldsProps<ScriptDraft> & { when: 'before' | 'after' }) {
  const set = (patch: Partial<ScriptDraft>) => onChange({ ...draft, ...patch });
  const path = (field: string) => `scripts.${when}.${field}`;
  return (
    <Box>
      <ToggleField
        label={when === 'before' ? 'Run a script before the job' : 'Run a script after the job'}
        help={
          when === 'before'
            ? 'E.g. to pause a database. If it fails, the run goes on with a warning.'
            : 'Runs whatever the result; the script reads it in FERRY_RESULT.'
        }
        checked={draft.on}
        onChange={(on) => set({ on })}
        disabled={disabled}
      />
      <Collapse in={draft.on} unmountOnExit>
        <Stack spacing={2} sx={{ mt: 1.5, ml: { sm: 4 } }}>
          <TextField
            label="Script"
            name={path('path')}
            value={draft.path}
            onChange={(event) => set({ path: event.target.value })}
            inputRef={fieldRef?.(path('path'))}
            error={Boolean(errors[path('path')])}
            helperText={errors[path('path')] ?? 'The full path on the engine computer; it runs without a shell.'}
            disabled={disabled}
            required
            autoComplete="off"
            placeholder="/usr/local/bin/pause-db.sh"
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: MONO_FONT_STACK, fontSize: '0.875rem' } } }}
          />
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label="Arguments"
              name={path('args')}
              value={draft.args}
              onChange={(event) => set({ args: event.target.value })}
              inputRef={fieldRef?.(path('args'))}
              error={Boolean(errors[path('args')])}
              helperText={errors[path('args')] ?? 'One per line, passed as typed.'}
              disabled={disabled}
              multiline
              minRows={1}
              maxRows={5}
              fullWidth
              slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: MONO_FONT_STACK, fontSize: '0.875rem' } } }}
            />
            <TextField
              label="Time limit (seconds)"
              name={path('timeoutSeconds')}
              value={draft.timeoutSeconds}
              onChange={(event) => set({ timeoutSeconds: event.target.value })}
              inputRef={fieldRef?.(path('timeoutSeconds'))}
              error={Boolean(errors[path('timeoutSeconds')])}
              helperText={errors[path('timeoutSeconds')] ?? 'Then it is stopped.'}
              disabled={disabled}
              autoComplete="off"
              sx={{ width: { sm: 220 }, flexShrink: 0 }}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
            />
          </Stack>
        </Stack>
      </Collapse>
    </Box>
  );
}
