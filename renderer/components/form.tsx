import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import VisibilityOffOutlined from '@mui/icons-material/VisibilityOffOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import type { TextFieldProps } from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import type { SxProps, Theme } from '@mui/material/styles';
import { type FormEvent, type ReactNode, useId } from 'react';
import { shellAvailable } from '../connection/shell.ts';

export interface FormDialogProps {
  open: boolean;
  title: string;
  /** Escape or Cancel; a stray click next to the dialog is ignored, so nothing typed is lost. */
  onClose: () => void;
  onSubmit: (event: FormEvent) => void;
  maxWidth: 'sm' | 'md';
  paperSx?: SxProps<Theme>;
  /** Under the title: the content and the buttons. */
  children: ReactNode;
}

/**
 * A dialog that is one form (Enter submits). It is a column, so the fields scroll between a
 * fixed title and fixed buttons on short windows.
 */
export function FormDialog({ open, title, onClose, onSubmit, maxWidth, paperSx, children }: FormDialogProps) {
  const titleId = useId();
  return (
    <Dialog
      open={open}
      onClose={(_event, reason) => {
        if (reason !== 'backdropClick') onClose();
      }}
      aria-labelledby={titleId}
      fullWidth
      maxWidth={maxWidth}
      slotProps={{ paper: { sx: paperSx ?? {} } }}
    >
      <Box
        component="form"
        noValidate
        onSubmit={onSubmit}
        aria-labelledby={titleId}
        sx={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: '1 1 auto' }}
      >
        <DialogTitle id={titleId}>{title}</DialogTitle>
        {children}
      </Box>
    </Dialog>
  );
}

export interface TextFieldBinding {
  name: string;
  value: string;
  onChange: (value: string) => void;
  /** Keeps the input, to focus it when its field has a message. */
  inputRef: (element: HTMLInputElement | null) => void;
  /** The field's message; the help text shows while there is none. */
  error: string | undefined;
  help?: ReactNode;
}

/** The props a form's text field takes from its binding: value, message or help, and a ref to focus it. */
export function textFieldProps({ name, value, onChange, inputRef, error, help }: TextFieldBinding): Partial<TextFieldProps> {
  return {
    name,
    value,
    onChange: (event) => onChange(event.target.value),
    inputRef,
    fullWidth: true,
    autoComplete: 'off',
    error: Boolean(error),
    helperText: error ?? help,
  };
}

/** The eye button at the end of a password field, showing or hiding what is typed. */
export function RevealAdornment({ shown, onToggle, what }: { shown: boolean; onToggle: () => void; what: string }) {
  return (
    <InputAdornment position="end">
      <Tooltip title={shown ? 'Hide' : 'Show'}>
        <IconButton
          aria-label={`${shown ? 'Hide' : 'Show'} ${what}`}
          aria-pressed={shown}
          onClick={onToggle}
          onMouseDown={(event) => event.preventDefault()}
          edge="end"
          size="small"
        >
          {shown ? <VisibilityOffOutlined fontSize="small" /> : <VisibilityOutlined fontSize="small" />}
        </IconButton>
      </Tooltip>
    </InputAdornment>
  );
}

/** A folder field with a Browse… button beside it where the desktop shell offers a folder picker. */
export function FolderField({ children, onBrowse, disabled }: { children: ReactNode; onBrowse: () => void; disabled?: boolean }) {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
      {children}
      {shellAvailable() ? (
        <Button variant="outlined" onClick={onBrowse} disabled={disabled} startIcon={<FolderOpenOutlined />} sx={{ height: 56, flexShrink: 0, px: 2 }}>
          Browse…
        </Button>
      ) : null}
    </Stack>
  );
}

export interface ToggleFieldProps {
  label: string;
  /** What the choice means, under it. */
  help: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** A switch (turns something on) or a checkbox (an option). */
  control?: 'switch' | 'checkbox';
}

/** A switch or checkbox with its explanation underneath, lined up with the label. */
export function ToggleField({ label, help, checked, onChange, disabled, control = 'checkbox' }: ToggleFieldProps) {
  const helpId = useId();
  const Control = control === 'switch' ? Switch : Checkbox;
  return (
    <Box>
      <FormControlLabel
        label={label}
        disabled={disabled}
        control={
          <Control
            checked={checked}
            onChange={(event) => onChange(event.target.checked)}
            slotProps={{ input: { 'aria-describedby': helpId } }}
          />
        }
      />
      <FormHelperText id={helpId} sx={{ mt: -0.5, ml: control === 'switch' ? 6.5 : 4 }}>
        {help}
      </FormHelperText>
    </Box>
  );
}

/** Said in a form while the engine is unreachable: what still works. */
export function OfflineNotice({ children, sx }: { children: ReactNode; sx?: SxProps<Theme> }) {
  return (
    <Alert severity="warning" variant="outlined" sx={sx}>
      Not connected to the engine. {children}
    </Alert>
  );
}

/** Two fields side by side (stacked on narrow windows), their tops lined up. */
export function FieldRow({ children }: { children: ReactNode }) {
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
      {children}
    </Stack>
  );
}
