import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useEffect, useId, useState } from 'react';
import type { JobSummary } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request } from '../../connection/engine.ts';
import { useRepositories } from '../../store/repositories.ts';

export interface DeleteJobDialogProps {
  /** The job to delete; null when the dialog is closed. */
  job: JobSummary | null;
  onClose: () => void;
  onDeleted: (job: JobSummary) => void;
}

export function DeleteJobDialog({ job, onClose, onDeleted }: DeleteJobDialogProps) {
  const titleId = useId();
  const descriptionId = useId();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Keep showing the last job while the dialog animates out.
  const [shown, setShown] = useState<JobSummary | null>(job);
  const repository = useRepositories((s) => s.items.find((item) => item.id === shown?.repositoryId));

  useEffect(() => {
    if (job) {
      setShown(job);
      setError(null);
      setSaving(false);
    }
  }, [job]);

  const remove = async () => {
    if (!shown || saving) return;
    setSaving(true);
    setError(null);
    try {
      await request('jobs.delete', { id: shown.id });
      setSaving(false);
      onDeleted(shown);
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
      open={job !== null}
      onClose={close}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      fullWidth
      maxWidth="xs"
      slotProps={{ paper: { sx: { maxWidth: 480 } } }}
    >
      <DialogTitle id={titleId} sx={{ overflowWrap: 'anywhere' }}>
        Delete job “{shown?.name}”?
      </DialogTitle>
      <DialogContent>
        <Box id={descriptionId}>
          <DialogContentText sx={{ color: 'text.primary' }}>
            Ferry forgets the job and its settings; it will not run again. Its backups stay in the repository
            {repository ? ` “${repository.name}”` : ''}, untouched: you can still browse and restore them on the Backups page.
          </DialogContentText>
          <DialogContentText variant="body2" sx={{ mt: 1.5 }}>
            Its sessions stay in History.
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
          Delete job
        </Button>
      </DialogActions>
    </Dialog>
  );
}
