import CloudOutlined from '@mui/icons-material/CloudOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import NetworkCheckOutlined from '@mui/icons-material/NetworkCheckOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import Stack from '@mui/material/Stack';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import {
  addRepositoryInput,
  type LocationInput,
  locationInput,
  type Repository,
} from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { FieldRow, FolderField, FormDialog, OfflineNotice, RevealAdornment, textFieldProps, ToggleField } from '../../components/form.tsx';
import { request } from '../../connection/engine.ts';
import { pickFolder } from '../../connection/shell.ts';
import { useConnection } from '../../store/connection.ts';

export type StorageKind = LocationInput['kind'];

type S3Field = 'endpoint' | 'region' | 'bucket' | 'prefix' | 'accessKeyId' | 'secretAccessKey';
type Field = 'name' | 'path' | S3Field;
type FieldErrors = Partial<Record<Field, string>>;

const S3_FIELDS: readonly S3Field[] = ['endpoint', 'region', 'bucket', 'prefix', 'accessKeyId', 'secretAccessKey'];

/** The fields of each storage type, in the order they are shown (and focused on error). */
const FIELD_ORDER: Record<StorageKind, readonly Field[]> = {
  local: ['name', 'path'],
  s3: ['name', ...S3_FIELDS],
};

/** Where a message for a dotted field path (from zod or the engine) is shown. */
export function fieldForPath(path: string, kind: StorageKind = 'local'): Field | undefined {
  if (path === 'name') return 'name';
  if (path === 'location.path') return kind === 'local' ? 'path' : undefined;
  const s3Field = S3_FIELDS.find((field) => path === `location.${field}`);
  if (s3Field) return kind === 's3' ? s3Field : undefined;
  // The location as a whole (or its kind): for a folder that is the folder field.
  if (path === 'location' || path.startsWith('location.')) return kind === 'local' ? 'path' : undefined;
  return undefined;
}

/** Splits a validation failure into per-field messages and whatever has no field. */
export function splitFieldErrors(
  fields: Record<string, string>,
  kind: StorageKind = 'local',
): { fields: FieldErrors; rest: string[] } {
  const result: FieldErrors = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const field = fieldForPath(path, kind);
    if (field && !result[field]) result[field] = message;
    else if (!field) rest.push(message);
  }
  return { fields: result, rest };
}

/** A zod failure as dotted paths, like the engine's `details.fields`. */
function zodFields(error: z.ZodError, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = prefix + issue.path.map(String).join('.');
    fields[key] ??= issue.message;
  }
  return fields;
}

function failureMessage(error: FerryError): string {
  switch (error.code) {
    case 'engine_unavailable':
      return `${error.message} Your input is kept: try again once the connection is back.`;
    case 'repo_unavailable':
      return `${error.message} Check that the drive, share or server is reachable, then try again.`;
    default:
      return error.message;
  }
}

interface FormValues {
  name: string;
  path: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

const EMPTY_FORM: FormValues = {
  name: '',
  path: '',
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  prefix: '',
  accessKeyId: '',
  secretAccessKey: '',
  forcePathStyle: true,
};

function locationOf(kind: StorageKind, values: FormValues): LocationInput {
  if (kind === 'local') return { kind: 'local', path: values.path };
  return {
    kind: 's3',
    endpoint: values.endpoint,
    region: values.region,
    bucket: values.bucket,
    prefix: values.prefix,
    forcePathStyle: values.forcePathStyle,
    accessKeyId: values.accessKeyId,
    secretAccessKey: values.secretAccessKey,
  };
}

const HELP = {
  name: 'Shown in lists and when choosing a job target. Up to 64 characters.',
  path: 'A full path to a local, NAS or removable-drive folder. Ferry creates the folder if it does not exist.',
  endpoint: 'Leave empty for Amazon S3.',
  region: 'us-east-1 if unsure.',
  bucket: 'An existing bucket.',
  prefix: 'Optional: a folder in the bucket.',
  accessKeyId: 'Needs read and write access.',
  secretAccessKey: 'Stored securely; never shown again.',
  pathStyle:
    'URLs like endpoint/bucket. MinIO, Ceph RGW and most self-hosted servers need it; ' +
    'Amazon S3 works either way.',
} as const;

const INTRO: Record<StorageKind, string> = {
  local: 'A folder on this computer, a NAS share or a removable drive.',
  s3: 'A bucket on Amazon S3 or an S3-compatible server: MinIO, Ceph RGW, Wasabi, Backblaze B2 and the like.',
};

type TestResult = { ok: boolean; message: string };

export interface AddRepositoryDialogProps {
  open: boolean;
  onClose: () => void;
  onAdded: (repository: Repository) => void;
}

export function AddRepositoryDialog({ open, onClose, onAdded }: AddRepositoryDialogProps) {
  const [kind, setKind] = useState<StorageKind>('local');
  const [values, setValues] = useState<FormValues>(EMPTY_FORM);
  const [showSecret, setShowSecret] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<TestResult | null>(null);
  /** Saving has taken long enough to say why (a slow share, a drive waking up). */
  const [slow, setSlow] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  const testInFlight = useRef<AbortController | null>(null);
  /** The user stopped waiting for the engine; say what that means. */
  const [stopped, setStopped] = useState(false);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const testResultRef = useRef<HTMLDivElement>(null);
  const connected = useConnection((s) => s.state === 'connected');
  const dataDir = useConnection((s) => s.engine?.dataDir);

  // A fresh form each time the dialog opens; while it is open, nothing resets what was typed.
  useEffect(() => {
    if (!open) {
      // The secret is not kept around once the dialog is gone.
      setValues((v) => (v.secretAccessKey ? { ...v, secretAccessKey: '' } : v));
      return;
    }
    setKind('local');
    setValues(EMPTY_FORM);
    setShowSecret(false);
    setErrors({});
    setFormError(null);
    setSaving(false);
    setStopped(false);
    setTesting(false);
    setTestResult(null);
    return () => {
      inFlight.current?.abort();
      testInFlight.current?.abort();
    };
  }, [open]);

  useEffect(() => {
    if (!saving) return;
    setSlow(false);
    const timer = setTimeout(() => setSlow(true), 4000);
    return () => clearTimeout(timer);
  }, [saving]);

  // A result below the fold (short windows, the S3 form) is brought into view.
  useEffect(() => {
    if (testResult) testResultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [testResult]);

  const setValue = <K extends keyof FormValues>(field: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (field !== 'forcePathStyle' && errors[field as Field]) setErrors((e) => ({ ...e, [field]: undefined }));
    // A test result speaks of the location as it was: editing it makes the result stale.
    if (field !== 'name') setTestResult(null);
  };

  const focusFirst = (fields: FieldErrors) => {
    const field = FIELD_ORDER[kind].find((candidate) => fields[candidate]);
    const input = field ? inputs.current[field] : null;
    // After the state update renders, so the field shows its message when focused.
    if (input) requestAnimationFrame(() => input.focus());
  };

  const showErrors = (fields: FieldErrors, rest: string | null) => {
    setErrors(fields);
    setFormError(rest);
    focusFirst(fields);
  };

  const showFieldErrors = (fields: Record<string, string>) => {
    const split = splitFieldErrors(fields, kind);
    showErrors(split.fields, split.rest.length > 0 ? split.rest.join(' ') : null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const checked = addRepositoryInput.safeParse({ name: values.name, location: locationOf(kind, values) });
    if (!checked.success) {
      showFieldErrors(zodFields(checked.error));
      return;
    }
    setStopped(false);
    const controller = new AbortController();
    inFlight.current = controller;
    setSaving(true);
    setFormError(null);
    try {
      const repository = await request('repos.add', checked.data, { signal: controller.signal });
      setSaving(false);
      // Saved: the secret now lives only in the engine's secret store.
      setValues((v) => ({ ...v, secretAccessKey: '' }));
      setShowSecret(false);
      onAdded(repository);
    } catch (error) {
      setSaving(false);
      const ferryError = error as FerryError;
      if (ferryError.code === 'cancelled') {
        setFormError(null);
        setStopped(true);
        return;
      }
      const fields = ferryError.details?.fields;
      if (fields && Object.keys(fields).length > 0) showFieldErrors(fields);
      else showErrors({}, failureMessage(ferryError));
    }
  };

  const testConnection = async () => {
    if (testing) return;
    const checked = locationInput.safeParse(locationOf(kind, values));
    setTestResult(null);
    if (!checked.success) {
      const split = splitFieldErrors(zodFields(checked.error, 'location.'), kind);
      setErrors((e) => ({ ...e, ...split.fields }));
      if (split.rest.length > 0) setFormError(split.rest.join(' '));
      focusFirst(split.fields);
      return;
    }
    const controller = new AbortController();
    testInFlight.current = controller;
    setTesting(true);
    try {
      const { message } = await request('repos.testConnection', { location: checked.data }, { signal: controller.signal });
      setTestResult({ ok: true, message });
    } catch (error) {
      const ferryError = error as FerryError;
      if (ferryError.code !== 'cancelled') setTestResult({ ok: false, message: failureMessage(ferryError) });
    } finally {
      if (testInFlight.current === controller) testInFlight.current = null;
      setTesting(false);
    }
  };

  const browse = async () => {
    setBrowsing(true);
    try {
      const chosen = await pickFolder({
        title: 'Choose a folder for the repository',
        ...(values.path.trim() ? { defaultPath: values.path.trim() } : {}),
      });
      if (chosen) {
        setValue('path', chosen);
        if (!values.name.trim()) inputs.current.name?.focus();
      }
    } catch (error) {
      setFormError(`Could not open the folder picker: ${(error as Error).message}`);
    } finally {
      setBrowsing(false);
    }
  };

  const switchKind = (next: StorageKind) => {
    if (next === kind) return;
    testInFlight.current?.abort();
    setKind(next);
    setTestResult(null);
    setFormError(null);
    setStopped(false);
  };

  const close = () => {
    if (saving) inFlight.current?.abort();
    else onClose();
  };

  /** The props every text field of the form shares; it is read-only while the repository is being added. */
  const fieldProps = (field: Field, maxLength?: number, endAdornment?: ReactNode): Partial<TextFieldProps> => ({
    ...textFieldProps({
      name: field,
      value: values[field],
      onChange: (value) => setValue(field, value),
      inputRef: (element) => {
        inputs.current[field] = element;
      },
      error: errors[field],
      help: HELP[field],
    }),
    slotProps: { htmlInput: { maxLength, spellCheck: false, readOnly: saving }, ...(endAdornment ? { input: { endAdornment } } : {}) },
  });

  return (
    <FormDialog open={open} title="Add repository" onClose={close} onSubmit={(event) => void submit(event)} maxWidth="sm">
      <DialogContent sx={{ pt: '8px !important' }}>
        <Stack spacing={kind === 'local' ? 2.5 : 2}>
          <Box>
            <ToggleButtonGroup
              value={kind}
              exclusive
              fullWidth
              size="small"
              color="primary"
              aria-label="Storage type"
              disabled={saving}
              onChange={(_event, next: StorageKind | null) => {
                if (next) switchKind(next);
              }}
            >
              <ToggleButton value="local" sx={{ gap: 1, py: 0.75 }}>
                <FolderOutlined fontSize="small" />
                Folder
              </ToggleButton>
              <ToggleButton value="s3" sx={{ gap: 1, py: 0.75 }}>
                <CloudOutlined fontSize="small" />
                S3-compatible
              </ToggleButton>
            </ToggleButtonGroup>
            <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }}>
              {INTRO[kind]}
            </Typography>
          </Box>
          {formError ? (
            <Alert severity="error" onClose={() => setFormError(null)}>
              {formError}
            </Alert>
          ) : null}
          <TextField
            {...fieldProps('name', 200)}
            label="Name"
            autoFocus
            required
            placeholder={kind === 'local' ? 'e.g. NAS backups' : 'e.g. Offsite bucket'}
          />
          {kind === 'local' ? (
            <FolderField onBrowse={() => void browse()} disabled={saving || browsing}>
              <TextField
                {...fieldProps('path')}
                label="Folder"
                required
                placeholder={dataDir?.startsWith('/') === false ? 'D:\\Backups' : '/mnt/backups'}
              />
            </FolderField>
          ) : (
            <>
              <FieldRow>
                <TextField {...fieldProps('endpoint', 2048)} label="Endpoint URL" type="url" placeholder="https://s3.example.com:9000" />
                <TextField {...fieldProps('region', 64)} label="Region" required sx={{ width: { xs: '100%', sm: 170 }, flexShrink: 0 }} />
              </FieldRow>
              <FieldRow>
                <TextField {...fieldProps('bucket', 63)} label="Bucket" required placeholder="ferry-backups" />
                <TextField {...fieldProps('prefix', 512)} label="Prefix" placeholder="ferry/offsite" />
              </FieldRow>
              <FieldRow>
                <TextField {...fieldProps('accessKeyId', 256)} label="Access key" required />
                <TextField
                  {...fieldProps('secretAccessKey', 1024, <RevealAdornment shown={showSecret} onToggle={() => setShowSecret((shown) => !shown)} what="secret" />)}
                  label="Secret key"
                  type={showSecret ? 'text' : 'password'}
                  required
                  autoComplete="new-password"
                />
              </FieldRow>
              <ToggleField
                label="Path-style addressing"
                help={HELP.pathStyle}
                checked={values.forcePathStyle}
                onChange={(checked) => setValue('forcePathStyle', checked)}
                disabled={saving}
              />
            </>
          )}
          {testResult ? (
            <Alert
              ref={testResultRef}
              severity={testResult.ok ? 'success' : 'error'}
              onClose={() => setTestResult(null)}
              sx={{ overflowWrap: 'anywhere' }}
            >
              {testResult.message}
            </Alert>
          ) : null}
          {stopped ? (
            <Alert severity="info" onClose={() => setStopped(false)}>
              Stopped waiting for the engine. If it was still preparing the{' '}
              {kind === 'local' ? 'folder' : 'bucket'}, the repository may appear in the list shortly; otherwise
              change the {kind === 'local' ? 'folder' : 'settings'} or try again.
            </Alert>
          ) : null}
          {!connected ? (
            <OfflineNotice>You can keep typing; adding works once the connection is back.</OfflineNotice>
          ) : null}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5, pt: 1, gap: 1 }}>
        <Button
          onClick={() => void testConnection()}
          variant="outlined"
          color="inherit"
          startIcon={<NetworkCheckOutlined />}
          loading={testing}
          loadingPosition="start"
          disabled={!connected || saving}
          sx={{ borderColor: 'divider' }}
        >
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          {saving && slow ? (
            <Typography variant="caption" role="status" component="div" sx={{ color: 'text.secondary', px: 1 }}>
              {kind === 'local'
                ? 'Still preparing the folder… a network share or a drive waking up can take a while.'
                : 'Still contacting the storage… a slow or distant server can take a while.'}
            </Typography>
          ) : null}
        </Box>
        <Button onClick={close} color="inherit">
          {saving ? 'Stop' : 'Cancel'}
        </Button>
        <Button type="submit" variant="contained" loading={saving} loadingPosition="start" disabled={!connected}>
          {saving ? 'Adding…' : 'Add'}
        </Button>
      </DialogActions>
    </FormDialog>
  );
}
