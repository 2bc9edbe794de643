import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { addRepositoryInput, type Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request } from '../../connection/engine.ts';
import { pickFolder, shellAvailable } from '../../connection/shell.ts';
import { useConnection } from '../../store/connection.ts';

type Field = 'name' | 'path';
type FieldErrors = Partial<Record<Field, string>>;

/** Where a message for a dotted field path (from zod or the engine) is shown. */
export function fieldForPath(path: string): Field | undefined {
  if (path === 'name') return 'name';
  if (path === 'location' || path.startsWith('location.')) return 'path';
  return undefined;
}

/** Splits a validation failure into per-field messages and whatever has no field. */
export function splitFieldErrors(fields: Record<string, string>): { fields: FieldErrors; rest: string[] } {
  const result: FieldErrors = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const field = fieldForPath(path);
    if (field && !result[field]) result[field] = message;
    else if (!field) rest.push(message);
  }
  return { fields: result, rest };
}

function failureMessage(error: FerryError): string {
  switch (error.code) {
    case 'engine_unavailable':
      return `${error.message} Your input is kept: try again once the connection is back.`;
    case 'repo_unavailable':
      return `${error.message} Check that the drive or share is connected, then try again.`;
    default:
      return error.message;
  }
}

const HELP = {
  name: 'Shown in lists and when choosing a job target. Up to 64 characters.',
  path: 'A full path to a local, NAS or removable-drive folder. Ferry creates the folder if it does not exist.',
} as const;

export interface AddRepositoryDialogProps {
  open: boolean;
  onClose: () => void;
  onAdded: (repository: Repository) => void;
}

export function AddRepositoryDialog({ open, onClose, onAdded }: AddRepositoryDialogProps) {
  const titleId = useId();
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  /** Saving has taken long enough to say why (a slow share, a drive waking up). */
  const [slow, setSlow] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  /** The user stopped waiting for the engine; say what that means. */
  const [stopped, setStopped] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const pathInput = useRef<HTMLInputElement>(null);
  const connected = useConnection((s) => s.state === 'connected');
  const dataDir = useConnection((s) => s.engine?.dataDir);
  const canBrowse = shellAvailable();

  // A fresh form each time the dialog opens; while it is open, nothing resets what was typed.
  useEffect(() => {
    if (!open) return;
    setName('');
    setPath('');
    setErrors({});
    setFormError(null);
    setSaving(false);
    setStopped(false);
    return () => inFlight.current?.abort();
  }, [open]);

  useEffect(() => {
    if (!saving) return;
    setSlow(false);
    const timer = setTimeout(() => setSlow(true), 4000);
    return () => clearTimeout(timer);
  }, [saving]);

  const focusField = (field: Field | undefined) => {
    const input = field === 'path' ? pathInput.current : field === 'name' ? nameInput.current : null;
    // After the state update renders, so the field shows its message when focused.
    if (input) requestAnimationFrame(() => input.focus());
  };

  const showErrors = (fields: FieldErrors, rest: string | null) => {
    setErrors(fields);
    setFormError(rest);
    focusField(fields.name ? 'name' : fields.path ? 'path' : undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const input = { name, location: { kind: 'local' as const, path } };
    const checked = addRepositoryInput.safeParse(input);
    if (!checked.success) {
      const fields: Record<string, string> = {};
      for (const issue of checked.error.issues) {
        const key = issue.path.map(String).join('.');
        fields[key] ??= issue.message;
      }
      const split = splitFieldErrors(fields);
      showErrors(split.fields, split.rest.length > 0 ? split.rest.join(' ') : null);
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
      if (fields && Object.keys(fields).length > 0) {
        const split = splitFieldErrors(fields);
        showErrors(split.fields, split.rest.length > 0 ? split.rest.join(' ') : null);
      } else {
        showErrors({}, failureMessage(ferryError));
      }
    }
  };

  const browse = async () => {
    setBrowsing(true);
    try {
      const chosen = await pickFolder({
        title: 'Choose a folder for the repository',
        ...(path.trim() ? { defaultPath: path.trim() } : {}),
      });
      if (chosen) {
        setPath(chosen);
        setErrors((e) => ({ ...e, path: undefined }));
        if (!name.trim()) nameInput.current?.focus();
      }
    } catch (error) {
      setFormError(`Could not open the folder picker: ${(error as Error).message}`);
    } finally {
      setBrowsing(false);
    }
  };

  const close = () => {
    if (saving) inFlight.current?.abort();
    else onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={(_event, reason) => {
        // A stray click next to the dialog must not throw away what was typed.
        if (reason !== 'backdropClick') close();
      }}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <Box component="form" noValidate onSubmit={submit} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>Add repository</DialogTitle>
        <DialogContent sx={{ pt: '8px !important' }}>
          <Stack spacing={2.5}>
            {formError ? (
              <Alert severity="error" onClose={() => setFormError(null)}>
                {formError}
              </Alert>
            ) : null}
            <TextField
              label="Name"
              name="name"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                if (errors.name) setErrors((e) => ({ ...e, name: undefined }));
              }}
              inputRef={nameInput}
              autoFocus
              required
              fullWidth
              autoComplete="off"
              placeholder="e.g. NAS backups"
              error={Boolean(errors.name)}
              helperText={errors.name ?? HELP.name}
              slotProps={{ htmlInput: { maxLength: 200, spellCheck: false, readOnly: saving } }}
            />
            <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
              <TextField
                label="Folder"
                name="path"
                value={path}
                onChange={(event) => {
                  setPath(event.target.value);
                  if (errors.path) setErrors((e) => ({ ...e, path: undefined }));
                }}
                inputRef={pathInput}
                required
                fullWidth
                autoComplete="off"
                placeholder={dataDir?.startsWith('/') === false ? 'D:\\Backups' : '/mnt/backups'}
                error={Boolean(errors.path)}
                helperText={errors.path ?? HELP.path}
                slotProps={{ htmlInput: { spellCheck: false, readOnly: saving } }}
              />
              {canBrowse ? (
                <Button
                  variant="outlined"
                  onClick={browse}
                  disabled={saving || browsing}
                  startIcon={<FolderOpenOutlined />}
                  sx={{ height: 56, flexShrink: 0, px: 2 }}
                >
                  Browse…
                </Button>
              ) : null}
            </Stack>
            {stopped ? (
              <Alert severity="info" onClose={() => setStopped(false)}>
                Stopped waiting for the engine. If it was still preparing the folder, the repository may appear
                in the list shortly; otherwise change the folder or try again.
              </Alert>
            ) : null}
            {!connected ? (
              <Alert severity="warning" variant="outlined">
                Not connected to the engine. You can keep typing; adding works once the connection is back.
              </Alert>
            ) : null}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2.5, pt: 1, gap: 1 }}>
          {saving && slow ? (
            <Typography variant="caption" color="textSecondary" role="status" sx={{ flex: 1, pr: 1 }}>
              Still preparing the folder… a network share or a drive waking up can take a while.
            </Typography>
          ) : null}
          <Button onClick={close} color="inherit">
            {saving ? 'Stop' : 'Cancel'}
          </Button>
          <Button type="submit" variant="contained" loading={saving} loadingPosition="start" disabled={!connected}>
            {saving ? 'Adding…' : 'Add'}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
