import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useEffect, useId, useState } from 'react';
import { describeLocation, type Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request } from '../../connection/engine.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

export interface RemoveRepositoryDialogProps {
  /** The repository to remove; null when the dialog is closed. */
  repository: Repository | null;
  onClose: () => void;
  onRemoved: (repository: Repository) => void;
}

export function RemoveRepositoryDialog({ repository, onClose, onRemoved }: RemoveRepositoryDialogProps) {
  const titleId = useId();
  const descriptionId = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Keep showing the last repository while the dialog animates out.
  const [shown, setShown] = useState<Repository | null>(repository);

  useEffect(() => {
    if (repository) {
      setShown(repository);
      setError(null);
      setSaving(false);
    }
  }, [repository]);

  const remove = async () => {
    if (!shown || saving) return;
    setSaving(true);
    setError(null);
    try {
      await request('repos.remove', { id: shown.id });
      setSaving(false);
      onRemoved(shown);
    } catch (caught) {
      setSaving(false);
      setError((caught as FerryError).message);
    }
  };

  const s3 = shown?.location.kind === 's3';

  const close = () => {
    if (!saving) onClose();
  };

  return (
    <Dialog
      open={repository !== null}
      onClose={close}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      fullWidth
      maxWidth="xs"
      slotProps={{ paper: { sx: { maxWidth: 480 } } }}
    >
      <DialogTitle id={titleId}>Remove repository “{shown?.name}”?</DialogTitle>
      <DialogContent>
        <Box id={descriptionId}>
          <DialogContentText sx={{ color: 'text.primary' }}>
            {s3
              ? 'Ferry stops using this repository and forgets its secret key. The bucket and the backups in it stay untouched:'
              : 'Ferry stops using this repository. The folder and the backups in it stay on disk, untouched:'}
          </DialogContentText>
          <Box
            sx={{
              my: 1.5,
              px: 1.5,
              py: 1,
              borderRadius: 1,
              bgcolor: 'action.hover',
              fontFamily: MONO_FONT_STACK,
              fontSize: '0.8125rem',
              wordBreak: 'break-all',
            }}
          >
            {shown ? describeLocation(shown.location) : ''}
          </Box>
          <DialogContentText variant="body2">
            You can add the {s3 ? 'bucket' : 'folder'} again later to use its backups.
            {shown?.isDefault ? ' This is the default repository of this engine.' : ''}
          </DialogContentText>
        </Box>
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
        <Button onClick={remove} variant="contained" color="error" loading={saving} loadingPosition="start">
          Remove
        </Button>
      </DialogActions>
    </Dialog>
  );
}
