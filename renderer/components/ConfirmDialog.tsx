import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { type ReactNode, useEffect, useId, useState } from 'react';
import type { FerryError } from '../../shared/rpc/errors.ts';

export interface ConfirmDialogProps<T> {
  /** What the dialog asks about; null while it is closed. */
  item: T | null;
  /** The question ("Delete job “Office documents”?"). */
  title: (item: T) => ReactNode;
  /** What will happen and what will not: the dialog's description. */
  children: (item: T) => ReactNode;
  /** The red button ("Delete job"). */
  confirmLabel: string;
  /** Does it; a rejection's message (a FerryError) is shown in the dialog, which stays open. */
  onConfirm: (item: T) => Promise<unknown>;
  onClose: () => void;
  /** Done: the caller closes the dialog and says so. */
  onDone: (item: T) => void;
}

/** Asks before something that cannot be undone from the console (delete, remove). */
export function ConfirmDialog<T>({ item, title, children, confirmLabel, onConfirm, onClose, onDone }: ConfirmDialogProps<T>) {
  const titleId = useId();
  const descriptionId = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Keep showing the last item while the dialog animates out.
  const [shown, setShown] = useState<T | null>(item);

  useEffect(() => {
    if (item !== null) {
      setShown(item);
      setError(null);
      setSaving(false);
    }
  }, [item]);

  const confirm = async () => {
    if (shown === null || saving) return;
    setSaving(true);
    setError(null);
    try {
      await onConfirm(shown);
      setSaving(false);
      onDone(shown);
    } catch (caught) {
      setSaving(false);
      setError((caught as FerryError).message);
    }
  };

  const close = () => {
    if (!saving) onClose();
  };

  return (
    <Dialog
      open={item !== null}
      onClose={close}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      fullWidth
      maxWidth="xs"
      slotProps={{ paper: { sx: { maxWidth: 480 } } }}
    >
      <DialogTitle id={titleId} sx={{ overflowWrap: 'anywhere' }}>
        {shown !== null ? title(shown) : null}
      </DialogTitle>
      <DialogContent>
        <Box id={descriptionId}>{shown !== null ? children(shown) : null}</Box>
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2.5 }}>
        <Button onClick={close} disabled={saving} color="inherit" autoFocus>
          Cancel
        </Button>
        <Button onClick={() => void confirm()} variant="contained" color="error" loading={saving} loadingPosition="start">
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
