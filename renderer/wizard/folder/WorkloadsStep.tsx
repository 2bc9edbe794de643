import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import LockOutlined from '@mui/icons-material/LockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepButton from '@mui/material/StepButton';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { folderBackupJob, type JobSummary } from '../../../shared/domain/job.ts';
import { describeLocation, type Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { FieldRow, FolderField, FormDialog, OfflineNotice, RevealAdornment, textFieldProps, ToggleField } from '../../components/form.tsx';
import { IconAction } from '../../components/IconAction.tsx';
import { VisuallyHidden } from '../../components/VisuallyHidden.tsx';
import { request } from '../../connection/engine.ts';
import { pickFolder } from '../../connection/shell.ts';
import { formatCount } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';
import { useConnection } from '../../store/connection.ts';
import { useRepositories } from '../../store/repositories.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';
import {
  DEFAULT_KEEP_POINTS,
  describeCompression,
  emptyDraft,
  errorsOnStep,
  type FieldErrors,
  fieldOrder,
  firstStepWithErrors,
  type JobDraft,
  lines,
  mapFieldErrors,
  MAX_COMPRESSION,
  MIN_COMPRESSION,
  newWorkload,
  STEPS,
  type StepIndex,
  stepOf,
  SUMMARY_STEP,
  toDefinition,
  validate,
  type WorkloadDraft,
} from './wizard.ts';

export interface JobCreated {
  job: JobSummary;
  /** The run started on Finish, if it was asked for and started. */
  sessionId: string | null;
  /** Why the run asked for could not start (the job exists anyway). */
  startError: string | null;
}

export interface NewJobDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (created: JobCreated) => void;
}

const STEP_INTRO: Record<StepIndex, string> = {
  0: 'Name the job: it also names the backup folder in the repository.',
  1: 'A workload is a set of folders backed up together into its own restore points.',
  2: 'Where the restore points go, and how many of them to keep.',
  3: 'How the backup is stored in the repository.',
  4: 'Check what the job will do, then click Finish.',
};

function preferredRepository(repositories: readonly Repository[]): string {
  const usable = repositories.filter((repository) => repository.status === 'available');
  return (usable.find((repository) => repository.isDefault) ?? usable[0] ?? repositories[0])?.id ?? '';
}

function failureMessage(error: FerryError): string {
  if (error.code === 'engine_unavailable') return `${error.message} Everything you entered is kept: click Finish again once the connection is back.`;
  return error.message;
}

export function NewJobDialog({ open, onClose, onCreated }: NewJobDialogProps) {
  const keepHelpId = useId();
  const repositories = useRepositories((s) => s.items);
  const connected = useConnection((s) => s.state === 'connected');
  const [draft, setDraft] = useState<JobDraft>(() => emptyDraft());
  const [step, setStep] = useState<StepIndex>(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const inputs = useRef<Record<string, HTMLElement | null>>({});
  const content = useRef<HTMLDivElement>(null);

  // A fresh wizard each time the dialog opens; while it is open nothing resets what was typed.
  useEffect(() => {
    if (!open) {
      // The password is not kept around once the dialog is gone.
      setDraft((d) => (d.password || d.repeatPassword ? { ...d, password: '', repeatPassword: '' } : d));
      return;
    }
    setDraft(emptyDraft(preferredRepository(useRepositories.getState().items)));
    setStep(0);
    setErrors({});
    setFormError(null);
    setSaving(false);
  }, [open]);

  // The repository list can arrive after the dialog opened.
  useEffect(() => {
    if (open && !draft.repositoryId && repositories.length > 0) {
      setDraft((d) => (d.repositoryId ? d : { ...d, repositoryId: preferredRepository(repositories) }));
    }
  }, [open, repositories, draft.repositoryId]);

  const setField = <K extends keyof JobDraft>(field: K, value: JobDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => {
      if (!e[field] && !(field === 'password' && e.repeatPassword)) return e;
      const next = { ...e };
      delete next[field];
      if (field === 'password') delete next.repeatPassword;
      return next;
    });
  };

  const setWorkload = (index: number, patch: Partial<Omit<WorkloadDraft, 'key'>>) => {
    setDraft((d) => ({ ...d, workloads: d.workloads.map((w, i) => (i === index ? { ...w, ...patch } : w)) }));
    setErrors((e) => {
      const next = { ...e };
      for (const field of Object.keys(patch)) delete next[`workloads.${index}.${field}`];
      // A renamed workload may settle a clash reported on another one.
      if ('name' in patch) for (const key of Object.keys(next)) if (/^workloads\.\d+\.name$/.test(key) && /already has/.test(next[key]!)) delete next[key];
      delete next.workloads;
      return next;
    });
  };

  /** Drops the messages tied to workload positions (they shift when one is removed). */
  const clearWorkloadErrors = () =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([field]) => !field.startsWith('workloads'))));

  const addWorkload = () => {
    const added = newWorkload();
    setDraft((d) => ({ ...d, workloads: [...d.workloads, added] }));
    clearWorkloadErrors();
    requestAnimationFrame(() => inputs.current[`workload-${added.key}`]?.focus());
  };

  const removeWorkload = (index: number) => {
    setDraft((d) => ({ ...d, workloads: d.workloads.filter((_, i) => i !== index) }));
    clearWorkloadErrors();
  };

  const focusFirst = (shown: FieldErrors, on: JobDraft = draft) => {
    const field = fieldOrder(on).find((candidate) => shown[candidate]);
    // After the step renders, so the field shows its message when focused.
    requestAnimationFrame(() => {
      const element = field ? inputs.current[field] : null;
      if (element) element.focus();
      else content.current?.scrollTo({ top: 0 });
    });
  };

  const goToStep = (next: StepIndex) => {
    setStep(next);
    setFormError(null);
    content.current?.scrollTo({ top: 0 });
  };

  const next = () => {
    const own = errorsOnStep(validate(draft), step);
    if (Object.keys(own).length > 0) {
      setErrors(own);
      focusFirst(own);
      return;
    }
    setErrors({});
    goToStep((step + 1) as StepIndex);
  };

  const back = () => {
    if (step > 0) goToStep((step - 1) as StepIndex);
  };

  /** Shows messages on their step and field: the earliest step with one is opened. */
  const showErrors = (shown: FieldErrors) => {
    const target = firstStepWithErrors(shown) ?? SUMMARY_STEP;
    setErrors(shown);
    if (shown.form) setFormError(shown.form);
    setStep(target);
    focusFirst(shown);
  };

  const finish = async () => {
    if (saving) return;
    const problems = validate(draft);
    if (Object.keys(problems).length > 0) {
      showErrors(problems);
      return;
    }
    const checked = folderBackupJob.safeParse(toDefinition(draft));
    if (!checked.success) return;
    setSaving(true);
    setFormError(null);
    let job: JobSummary;
    try {
      job = await request('jobs.create', {
        definition: checked.data,
        ...(draft.encrypted ? { password: draft.password } : {}),
      });
    } catch (error) {
      setSaving(false);
      const ferryError = error as FerryError;
      const fields = ferryError.details?.fields;
      if (fields && Object.keys(fields).length > 0) {
        const mapped = mapFieldErrors(fields);
        if (mapped.form) mapped.form = ferryError.message;
        showErrors(mapped);
      } else {
        setFormError(failureMessage(ferryError));
      }
      return;
    }
    let sessionId: string | null = null;
    let startError: string | null = null;
    if (draft.runNow) {
      try {
        ({ sessionId } = await request('jobs.start', { id: job.id }));
      } catch (error) {
        startError = (error as FerryError).message;
      }
    }
    setSaving(false);
    setDraft((d) => ({ ...d, password: '', repeatPassword: '' }));
    onCreated({ job, sessionId, startError });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (step === SUMMARY_STEP) void finish();
    else next();
  };

  const close = () => {
    if (!saving) onClose();
  };

  /** The props every text field shares: value, message, and a ref to focus it on error. */
  const fieldProps: FieldPropsFn = (field, value, onChange, help) => ({
    ...textFieldProps({
      name: field,
      value,
      onChange,
      inputRef: (element) => {
        inputs.current[field] = element;
      },
      error: errors[field],
      help,
    }),
    disabled: saving,
  });

  const stepsWithErrors = new Set(Object.keys(errors).map(stepOf));

  let body: ReactNode;
  switch (step) {
    case 0:
      body = (
        <Stack spacing={2.5}>
          <TextField
            {...fieldProps('name', draft.name, (value) => setField('name', value), 'Unique among jobs, up to 64 characters.')}
            label="Job name"
            required
            autoFocus
            placeholder="e.g. Office documents"
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          <TextField
            {...fieldProps('description', draft.description, (value) => setField('description', value), 'Optional: what the job protects and why.')}
            label="Description"
            multiline
            minRows={3}
            maxRows={8}
          />
        </Stack>
      );
      break;
    case 1:
      body = (
        <WorkloadsStep
          workloads={draft.workloads}
          errors={errors}
          disabled={saving}
          fieldProps={fieldProps}
          onChange={setWorkload}
          onAdd={addWorkload}
          onRemove={removeWorkload}
          inputs={inputs}
        />
      );
      break;
    case 2:
      body = (
        <Stack spacing={2.5}>
          {repositories.length === 0 ? (
            <Alert severity="warning">
              No repository is registered yet. <Link href={hrefFor('repositories')}>Add a repository</Link> first; what
              you typed here is lost when you leave.
            </Alert>
          ) : null}
          <TextField
            {...fieldProps('repositoryId', draft.repositoryId, (value) => setField('repositoryId', value), 'The job writes its restore points into this repository.')}
            select
            label="Target repository"
            required
            slotProps={{
              select: {
                renderValue: (value) => repositories.find((repository) => repository.id === value)?.name ?? '',
                MenuProps: { slotProps: { paper: { sx: { maxWidth: 560 } } } },
              },
            }}
          >
            {repositories.map((repository) => (
              <MenuItem key={repository.id} value={repository.id} sx={{ display: 'block', py: 1 }}>
                <Typography variant="body2" component="div" sx={{ fontWeight: 600 }}>
                  {repository.name}
                  {repository.isDefault ? (
                    <Box component="span" sx={{ color: 'text.secondary', fontWeight: 400 }}>
                      {' '}
                      · default
                    </Box>
                  ) : null}
                  {repository.status === 'unavailable' ? (
                    <Box component="span" sx={{ color: 'error.main', fontWeight: 400 }}>
                      {' '}
                      · unavailable
                    </Box>
                  ) : null}
                </Typography>
                <Typography
                  variant="caption"
                  component="div"
                  sx={{ color: 'text.secondary', fontFamily: MONO_FONT_STACK, whiteSpace: 'normal', overflowWrap: 'anywhere' }}
                >
                  {describeLocation(repository.location)}
                </Typography>
              </MenuItem>
            ))}
          </TextField>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
            <TextField
              {...fieldProps('keepPoints', draft.keepPoints, (value) => setField('keepPoints', value))}
              label="Restore points to keep"
              type="number"
              required
              sx={{ width: { sm: 220 }, flexShrink: 0 }}
              slotProps={{ htmlInput: { min: 1, max: 999, step: 1, inputMode: 'numeric', ...(errors.keepPoints ? {} : { 'aria-describedby': keepHelpId }) } }}
            />
            <Typography id={keepHelpId} variant="body2" sx={{ color: 'text.secondary', pt: { sm: 1 } }}>
              Once a workload has more restore points, the oldest are removed after a run. {DEFAULT_KEEP_POINTS} suits
              most jobs: a week of daily runs.
            </Typography>
          </Stack>
        </Stack>
      );
      break;
    case 3:
      body = (
        <StorageStep draft={draft} errors={errors} disabled={saving} fieldProps={fieldProps} setField={setField} />
      );
      break;
    case 4:
      body = (
        <Stack spacing={2}>
          {formError ? (
            <Alert severity="error" onClose={() => setFormError(null)}>
              {formError}
            </Alert>
          ) : null}
          <Summary draft={draft} repositories={repositories} onEdit={goToStep} disabled={saving} />
          <FormControlLabel
            label="Run the job when I click Finish"
            disabled={saving}
            control={<Checkbox checked={draft.runNow} onChange={(event) => setField('runNow', event.target.checked)} />}
          />
        </Stack>
      );
      break;
  }

  return (
    <FormDialog
      open={open}
      title="New folder backup job"
      onClose={close}
      onSubmit={submit}
      maxWidth="md"
      // One height for every step, so the buttons stay put while moving through the wizard.
      paperSx={{ maxWidth: 760, height: 'min(740px, calc(100% - 64px))' }}
    >
      <Box sx={{ px: 3, pt: 1, pb: 2, borderBottom: 1, borderColor: 'divider' }}>
        <Stepper activeStep={step} aria-label="Steps">
          {STEPS.map((label, index) => {
            const hasError = stepsWithErrors.has(index as StepIndex);
            return (
              <Step key={label} completed={index < step && !hasError}>
                <StepButton
                  onClick={() => goToStep(index as StepIndex)}
                  disabled={saving || index >= step}
                  aria-current={index === step ? 'step' : undefined}
                  sx={{ py: 0.5, my: -0.5 }}
                >
                  <StepLabel error={hasError}>{label}</StepLabel>
                </StepButton>
              </Step>
            );
          })}
        </Stepper>
      </Box>
      <DialogContent ref={content} sx={{ pt: '16px !important' }}>
        <VisuallyHidden role="status">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </VisuallyHidden>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2.5 }}>
          {STEP_INTRO[step]}
        </Typography>
        {body}
        {!connected ? (
          <OfflineNotice sx={{ mt: 2.5 }}>You can keep going; Finish works once the connection is back.</OfflineNotice>
        ) : null}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5, pt: 1.5, gap: 1, borderTop: 1, borderColor: 'divider' }}>
        <Button onClick={close} color="inherit" disabled={saving}>
          Cancel
        </Button>
        <Box sx={{ flex: 1 }} />
        <Button onClick={back} disabled={step === 0 || saving} color="inherit" variant="outlined" sx={{ borderColor: 'divider' }}>
          Back
        </Button>
        {step === SUMMARY_STEP ? (
          <Button type="submit" variant="contained" loading={saving} loadingPosition="start" disabled={!connected}>
            {saving ? 'Creating…' : 'Finish'}
          </Button>
        ) : (
          <Button type="submit" variant="contained">
            Next
          </Button>
        )}
      </DialogActions>
    </FormDialog>
  );
}

type FieldPropsFn = (field: string, value: string, onChange: (value: string) => void, help?: ReactNode) => ReturnType<typeof textFieldProps>;

const EXCLUDE_HELP = (
  <>
    One pattern per line, e.g. <code>*.tmp</code> (by name, anywhere) or <code>cache/**</code> (a path inside the folder).
  </>
);

function WorkloadsStep({
  workloads,
  errors,
  disabled,
  fieldProps,
  onChange,
  onAdd,
  onRemove,
  inputs,
}: {
  workloads: readonly WorkloadDraft[];
  errors: FieldErrors;
  disabled: boolean;
  fieldProps: FieldPropsFn;
  onChange: (index: number, patch: Partial<Omit<WorkloadDraft, 'key'>>) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
  inputs: RefObject<Record<string, HTMLElement | null>>;
}) {
  const dataDir = useConnection((s) => s.engine?.dataDir);
  const windows = dataDir !== undefined && !dataDir.startsWith('/');
  const [browseError, setBrowseError] = useState<string | null>(null);

  const browse = async (index: number) => {
    const workload = workloads[index];
    if (!workload) return;
    setBrowseError(null);
    try {
      const existing = lines(workload.folders);
      const chosen = await pickFolder({
        title: `Choose a folder for ${workload.name.trim() ? `“${workload.name.trim()}”` : 'the workload'}`,
        ...(existing.length > 0 ? { defaultPath: existing.at(-1)! } : {}),
      });
      if (chosen && !existing.includes(chosen)) onChange(index, { folders: [...existing, chosen].join('\n') });
    } catch (error) {
      setBrowseError(`Could not open the folder picker: ${(error as Error).message}`);
    }
  };

  return (
    <Stack spacing={2}>
      {errors.workloads ? <Alert severity="error">{errors.workloads}</Alert> : null}
      {browseError ? (
        <Alert severity="error" onClose={() => setBrowseError(null)}>
          {browseError}
        </Alert>
      ) : null}
      {workloads.map((workload, index) => {
        const label = `Workload ${index + 1}`;
        const nameField = fieldProps(`workloads.${index}.name`, workload.name, (value) => onChange(index, { name: value }), 'Up to 64 characters, unique in the job.');
        return (
          <Paper
            key={workload.key}
            variant="outlined"
            role="group"
            aria-label={label}
            sx={{ p: 2, pt: 1.5, borderRadius: 2, bgcolor: 'transparent' }}
          >
            <Box sx={{ display: 'flex', alignItems: 'center', mb: 1.5, minHeight: 32 }}>
              <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
                {label}
              </Typography>
              {workloads.length > 1 ? (
                <IconAction
                  label={`Remove workload ${index + 1}`}
                  title="Remove this workload"
                  icon={<DeleteOutlined fontSize="small" />}
                  onClick={() => onRemove(index)}
                  disabled={disabled}
                />
              ) : null}
            </Box>
            <Stack spacing={2}>
              <TextField
                {...nameField}
                inputRef={(element: HTMLInputElement | null) => {
                  inputs.current[`workloads.${index}.name`] = element;
                  inputs.current[`workload-${workload.key}`] = element;
                }}
                label="Workload name"
                required
                placeholder="e.g. documents"
                sx={{ maxWidth: 360 }}
                slotProps={{ htmlInput: { maxLength: 200, spellCheck: false } }}
              />
              <FolderField onBrowse={() => void browse(index)} disabled={disabled}>
                <TextField
                  {...fieldProps(
                    `workloads.${index}.folders`,
                    workload.folders,
                    (value) => onChange(index, { folders: value }),
                    'One full path per line. Each folder is backed up with everything inside it.',
                  )}
                  label="Folders"
                  required
                  multiline
                  minRows={2}
                  maxRows={8}
                  placeholder={windows ? 'C:\\Users\\me\\Documents' : '/home/me/Documents'}
                  slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: MONO_FONT_STACK, fontSize: '0.875rem' } } }}
                />
              </FolderField>
              <TextField
                {...fieldProps(`workloads.${index}.excludes`, workload.excludes, (value) => onChange(index, { excludes: value }), EXCLUDE_HELP)}
                label="Exclusions"
                multiline
                minRows={2}
                maxRows={8}
                placeholder={'*.tmp\ncache/**'}
                slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: MONO_FONT_STACK, fontSize: '0.875rem' } } }}
              />
            </Stack>
          </Paper>
        );
      })}
      <Box>
        <Button startIcon={<AddOutlined />} onClick={onAdd} disabled={disabled}>
          Add workload
        </Button>
      </Box>
    </Stack>
  );
}

function StorageStep({
  draft,
  errors,
  disabled,
  fieldProps,
  setField,
}: {
  draft: JobDraft;
  errors: FieldErrors;
  disabled: boolean;
  fieldProps: FieldPropsFn;
  setField: <K extends keyof JobDraft>(field: K, value: JobDraft[K]) => void;
}) {
  const compressionId = useId();
  const compressionHelpId = useId();
  const [showPassword, setShowPassword] = useState(false);
  const passwordProps = { type: showPassword ? 'text' : 'password', required: true, autoComplete: 'new-password' } as const;

  return (
    <Stack spacing={3}>
      <Box>
        <Typography id={compressionId} variant="body2" component="div" sx={{ fontWeight: 600 }}>
          Compression level: {draft.compressionLevel}
        </Typography>
        <Box sx={{ px: 1.25, maxWidth: 460 }}>
          <Slider
            value={draft.compressionLevel}
            min={MIN_COMPRESSION}
            max={MAX_COMPRESSION}
            step={1}
            marks={[
              { value: 1, label: '1' },
              { value: 3, label: '3' },
              { value: 10, label: '10' },
              { value: 19, label: '19' },
            ]}
            disabled={disabled}
            onChange={(_event, value) => setField('compressionLevel', typeof value === 'number' ? value : (value[0] ?? MIN_COMPRESSION))}
            aria-labelledby={compressionId}
            aria-describedby={compressionHelpId}
            getAriaValueText={(value) => `${value}, ${describeCompression(value)}`}
          />
        </Box>
        <FormHelperText id={compressionHelpId} error={Boolean(errors.compressionLevel)} sx={{ mt: 0 }}>
          {errors.compressionLevel ?? `Level ${draft.compressionLevel}: ${describeCompression(draft.compressionLevel)}. 3 suits most data.`}
        </FormHelperText>
      </Box>

      <ToggleField
        control="switch"
        label="Encrypt the backup"
        help="Restore points are encrypted with a key protected by your password. The engine keeps the password to run the job; restoring elsewhere needs it."
        checked={draft.encrypted}
        onChange={(checked) => setField('encrypted', checked)}
        disabled={disabled}
      />

      {draft.encrypted ? (
        <Stack spacing={2}>
          <FieldRow>
            <TextField
              {...fieldProps('password', draft.password, (value) => setField('password', value))}
              {...passwordProps}
              label="Password"
              slotProps={{
                htmlInput: { maxLength: 1024 },
                input: {
                  endAdornment: <RevealAdornment shown={showPassword} onToggle={() => setShowPassword((shown) => !shown)} what="passwords" />,
                },
              }}
            />
            <TextField
              {...fieldProps('repeatPassword', draft.repeatPassword, (value) => setField('repeatPassword', value))}
              {...passwordProps}
              label="Repeat password"
              slotProps={{ htmlInput: { maxLength: 1024 } }}
            />
          </FieldRow>
          <TextField
            {...fieldProps(
              'passwordHint',
              draft.passwordHint,
              (value) => setField('passwordHint', value),
              'Optional, stored unencrypted with the backup: something that reminds you, never the password itself.',
            )}
            label="Password hint"
            slotProps={{ htmlInput: { maxLength: 400 } }}
          />
          <Alert severity="warning" icon={<LockOutlined />}>
            A lost password cannot be recovered: without it, nobody (not even Ferry) can restore from this backup. Keep it
            somewhere safe, away from the computer being backed up.
          </Alert>
        </Stack>
      ) : null}
    </Stack>
  );
}

function SummaryRow({ title, step, onEdit, disabled, children }: { title: string; step: StepIndex; onEdit: (step: StepIndex) => void; disabled: boolean; children: ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '120px minmax(0, 1fr) auto' }, columnGap: 2, rowGap: 0.5, py: 1.5, alignItems: 'baseline' }}>
      <Typography variant="body2" component="dt" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {title}
      </Typography>
      <Box component="dd" sx={{ m: 0, minWidth: 0 }}>
        {children}
      </Box>
      <Button size="small" onClick={() => onEdit(step)} disabled={disabled} aria-label={`Change ${title.toLowerCase()}`} sx={{ justifySelf: 'start', minWidth: 0 }}>
        Change
      </Button>
    </Box>
  );
}

const Code = ({ children }: { children: ReactNode }) => (
  <Box component="span" sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem', overflowWrap: 'anywhere' }}>
    {children}
  </Box>
);

function joinCode(items: readonly string[]): ReactNode {
  return items.map((item, index) => (
    <span key={index}>
      {index > 0 ? ', ' : ''}
      <Code>{item}</Code>
    </span>
  ));
}

function Summary({ draft, repositories, onEdit, disabled }: { draft: JobDraft; repositories: readonly Repository[]; onEdit: (step: StepIndex) => void; disabled: boolean }) {
  const repository = repositories.find((candidate) => candidate.id === draft.repositoryId);
  const keep = Number.parseInt(draft.keepPoints, 10);
  const description = draft.description.trim();
  const row = { onEdit, disabled };
  return (
    <Paper variant="outlined" sx={{ px: 2, py: 0.5, borderRadius: 2, bgcolor: 'transparent' }}>
      <Box component="dl" aria-label="Summary" sx={{ m: 0, '& > div + div': { borderTop: 1, borderColor: 'divider' } }}>
        <SummaryRow title="Job" step={0} {...row}>
          <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
            “{draft.name.trim()}”, a folder backup job
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere', whiteSpace: 'pre-line' }}>
            {description || 'No description.'}
          </Typography>
        </SummaryRow>
        <SummaryRow title="Workloads" step={1} {...row}>
          <Stack spacing={0.75}>
            {draft.workloads.map((workload) => {
              const folders = lines(workload.folders);
              const excludes = lines(workload.excludes);
              return (
                <Typography key={workload.key} variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                  <strong>{workload.name.trim()}</strong> backs up {folders.length === 1 ? 'the folder' : `${folders.length} folders:`}{' '}
                  {joinCode(folders)}
                  {excludes.length > 0 ? (
                    <>
                      , leaving out {joinCode(excludes)}
                    </>
                  ) : null}
                  .
                </Typography>
              );
            })}
          </Stack>
        </SummaryRow>
        <SummaryRow title="Target" step={2} {...row}>
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
            Restore points go to <strong>{repository?.name ?? 'an unknown repository'}</strong>
            {repository ? (
              <>
                {' '}
                (<Code>{describeLocation(repository.location)}</Code>)
              </>
            ) : null}
            . The newest {formatCount(keep, 'restore point', 'restore points')} of each workload are kept.
          </Typography>
        </SummaryRow>
        <SummaryRow title="Storage" step={3} {...row}>
          <Typography variant="body2">
            Compression level {draft.compressionLevel} ({describeCompression(draft.compressionLevel)}).{' '}
            {draft.encrypted
              ? `Encrypted with a password${draft.passwordHint.trim() ? ` (hint: “${draft.passwordHint.trim()}”)` : ''}.`
              : 'Not encrypted.'}
          </Typography>
        </SummaryRow>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '120px minmax(0, 1fr)' }, columnGap: 2, py: 1.5 }}>
          <Typography variant="body2" component="dt" sx={{ color: 'text.secondary', fontWeight: 600 }}>
            Schedule
          </Typography>
          <Typography variant="body2" component="dd" sx={{ m: 0 }}>
            Manual: the job runs when you start it from the job list.
          </Typography>
        </Box>
      </Box>
    </Paper>
  );
}
