import LockOutlined from '@mui/icons-material/LockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormHelperText from '@mui/material/FormHelperText';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import { FieldRow, RevealAdornment, ToggleField } from '../../components/form.tsx';
import type { StoragePart } from '../copy/parts.ts';
import { textField } from '../step-fields.ts';
import type { StepProps } from '../WizardDialog.tsx';
import { describeCompression, type FolderDraft, MAX_COMPRESSION, MIN_COMPRESSION } from './draft.ts';

/** Storage: compression, and encryption with a password that never comes back to the page once saved. */
export function StorageStep(step: StepProps<FolderDraft>) {
  const { draft, update, errors, disabled, fieldRef } = step;
  const storage = draft.storage;
  const compressionId = useId();
  const compressionHelpId = useId();
  const [showPassword, setShowPassword] = useState(false);
  const setStorage = (patch: Partial<StoragePart>) => (d: FolderDraft) => ({ ...d, storage: { ...d.storage, ...patch } });
  const passwordProps = { type: showPassword ? 'text' : 'password', required: !draft.passwordStored, autoComplete: 'new-password' } as const;

  return (
    <Stack spacing={3}>
      <Box>
        <Typography id={compressionId} variant="body2" component="div" sx={{ fontWeight: 600 }}>
          Compression level: {storage.compressionLevel}
        </Typography>
        <Box sx={{ px: 1.25, maxWidth: 460 }}>
          <Slider
            value={storage.compressionLevel}
            min={MIN_COMPRESSION}
            max={MAX_COMPRESSION}
            step={1}
            marks={[1, 3, 10, 19].map((value) => ({ value, label: String(value) }))}
            disabled={disabled}
            onChange={(_event, value) => update(setStorage({ compressionLevel: typeof value === 'number' ? value : (value[0] ?? MIN_COMPRESSION) }), 'storage.compressionLevel')}
            slotProps={{ input: { ref: fieldRef('storage.compressionLevel') } }}
            aria-labelledby={compressionId}
            aria-describedby={compressionHelpId}
            getAriaValueText={(value) => `${value}, ${describeCompression(value)}`}
          />
        </Box>
        <FormHelperText id={compressionHelpId} error={Boolean(errors['storage.compressionLevel'])} sx={{ mt: 0 }}>
          {errors['storage.compressionLevel'] ?? `Level ${storage.compressionLevel}: ${describeCompression(storage.compressionLevel)}. 3 suits most data.`}
        </FormHelperText>
      </Box>

      <ToggleField
        control="switch"
        label="Encrypt the backup"
        help="Restore points are encrypted with a key protected by your password. The engine keeps the password to run the job; restoring elsewhere needs it."
        checked={storage.encrypted}
        onChange={(encrypted) => update(setStorage({ encrypted }), 'storage', 'password', 'repeatPassword')}
        disabled={disabled}
      />

      {storage.encrypted ? (
        <Stack spacing={2}>
          {draft.passwordStored ? <Alert severity="info">A password is stored; enter one only to replace it.</Alert> : null}
          <FieldRow>
            <TextField
              {...textField(step, 'password', storage.password, (d, password) => setStorage({ password })(d))}
              {...passwordProps}
              label={draft.passwordStored ? 'New password' : 'Password'}
              slotProps={{
                htmlInput: { maxLength: 1024 },
                input: {
                  endAdornment: <RevealAdornment shown={showPassword} onToggle={() => setShowPassword((shown) => !shown)} what="passwords" />,
                },
              }}
            />
            <TextField
              {...textField(step, 'repeatPassword', storage.repeatPassword, (d, repeatPassword) => setStorage({ repeatPassword })(d))}
              {...passwordProps}
              label="Repeat password"
              slotProps={{ htmlInput: { maxLength: 1024 } }}
            />
          </FieldRow>
          <TextField
            {...textField(
              step,
              'storage.passwordHint',
              storage.passwordHint,
              (d, passwordHint) => setStorage({ passwordHint })(d),
              'Optional, stored unencrypted with the backup: something that reminds you, never the password itself.',
            )}
            label="Password hint"
            slotProps={{ htmlInput: { maxLength: 400 } }}
          />
          <Alert severity="warning" icon={<LockOutlined />}>
            A lost password cannot be recovered: without it, nobody (not even Ferry) can restore from this backup. Keep it somewhere safe, away from
            the computer being backed up.
          </Alert>
        </Stack>
      ) : null}
    </Stack>
  );
}
