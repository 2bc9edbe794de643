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
import type { FieldsProps } from './props.ts';
import { describeCompression, MAX_COMPRESSION, MIN_COMPRESSION, type StorageDraft } from './storage.ts';

/**
 * Compression and encryption. Editing a job with a stored password shows empty password
 * fields with "A password is stored; enter one only to replace it": the password never
 * comes back to the page.
 */
export interface StorageFieldsProps extends FieldsProps<StorageDraft> {
  /** Editing an encrypted job whose password the engine keeps. */
  passwordStored: boolean;
  /** Copy jobs: whether points of encrypted sources may be stored here unencrypted. */
  allowPlaintext?: { checked: boolean; onChange: (checked: boolean) => void };
}

export function StorageFields({ draft, onChange, errors, fieldRef, disabled, passwordStored, allowPlaintext }: StorageFieldsProps) {
  const compressionId = useId();
  const compressionHelpId = useId();
  const [showPassword, setShowPassword] = useState(false);
  const set = (patch: Partial<StorageDraft>) => onChange({ ...draft, ...patch });
  const passwordProps = { type: showPassword ? 'text' : 'password', required: !passwordStored, autoComplete: 'new-password', disabled } as const;
  const compressionError = errors['storage.compressionLevel'];

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
            marks={[1, 3, 10, 19].map((value) => ({ value, label: String(value) }))}
            disabled={disabled}
            onChange={(_event, value) => set({ compressionLevel: typeof value === 'number' ? value : (value[0] ?? MIN_COMPRESSION) })}
            slotProps={{ input: { ref: fieldRef?.('storage.compressionLevel') } }}
            aria-labelledby={compressionId}
            aria-describedby={compressionHelpId}
            getAriaValueText={(value) => `${value}, ${describeCompression(value)}`}
          />
        </Box>
        <FormHelperText id={compressionHelpId} error={Boolean(compressionError)} sx={{ mt: 0 }}>
          {compressionError ?? `Level ${draft.compressionLevel}: ${describeCompression(draft.compressionLevel)}. 3 suits most data.`}
        </FormHelperText>
      </Box>

      <ToggleField
        control="switch"
        label="Encrypt the backup"
        help="Restore points are encrypted with a key protected by your password. The engine keeps the password to run the job; restoring elsewhere needs it."
        checked={draft.encrypted}
        onChange={(encrypted) => set({ encrypted })}
        disabled={disabled}
      />

      {draft.encrypted ? (
        <Stack spacing={2}>
          {passwordStored ? (
            <Alert severity="info" variant="outlined" icon={<LockOutlined />}>
              A password is stored; enter one only to replace it.
            </Alert>
          ) : null}
          <FieldRow>
            <TextField
              {...passwordProps}
              label={passwordStored ? 'New password' : 'Password'}
              name="password"
              value={draft.password}
              onChange={(event) => set({ password: event.target.value })}
              inputRef={fieldRef?.('password')}
              error={Boolean(errors.password)}
              helperText={errors.password}
              fullWidth
              slotProps={{
                htmlInput: { maxLength: 1024 },
                input: { endAdornment: <RevealAdornment shown={showPassword} onToggle={() => setShowPassword((shown) => !shown)} what="passwords" /> },
              }}
            />
            <TextField
              {...passwordProps}
              label={passwordStored ? 'Repeat the new password' : 'Repeat password'}
              name="repeatPassword"
              value={draft.repeatPassword}
              onChange={(event) => set({ repeatPassword: event.target.value })}
              inputRef={fieldRef?.('repeatPassword')}
              error={Boolean(errors.repeatPassword)}
              helperText={errors.repeatPassword}
              fullWidth
              slotProps={{ htmlInput: { maxLength: 1024 } }}
            />
          </FieldRow>
          <TextField
            label="Password hint"
            name="storage.passwordHint"
            value={draft.passwordHint}
            onChange={(event) => set({ passwordHint: event.target.value })}
            inputRef={fieldRef?.('storage.passwordHint')}
            error={Boolean(errors['storage.passwordHint'])}
            helperText={errors['storage.passwordHint'] ?? 'Optional, stored unencrypted with the backup: something that reminds you, never the password itself.'}
            disabled={disabled}
            fullWidth
            autoComplete="off"
            slotProps={{ htmlInput: { maxLength: 400 } }}
          />
          {passwordStored ? null : (
            <Alert severity="warning" icon={<LockOutlined />}>
              A lost password cannot be recovered: without it, nobody (not even Ferry) can restore from this backup. Keep it
              somewhere safe, away from the computer being backed up.
            </Alert>
          )}
        </Stack>
      ) : allowPlaintext ? (
        <ToggleField
          label="Allow unencrypted copies of encrypted backups"
          help="Off: a source whose backup is encrypted is refused, so an encrypted backup never becomes readable without its password. On: its points are stored here unencrypted."
          checked={allowPlaintext.checked}
          onChange={allowPlaintext.onChange}
          disabled={disabled}
        />
      ) : null}
    </Stack>
  );
}
