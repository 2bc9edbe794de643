import DialogContentText from '@mui/material/DialogContentText';
import type { JobSummary } from '../../../shared/domain/job.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { request } from '../../connection/engine.ts';
import { useRepositories } from '../../store/repositories.ts';

export interface DeleteJobDialogProps {
  /** The job to delete; null when the dialog is closed. */
  job: JobSummary | null;
  onClose: () => void;
  onDeleted: (job: JobSummary) => void;
}

const deleteJob = (job: JobSummary) => request('jobs.delete', { id: job.id });

export function DeleteJobDialog({ job, onClose, onDeleted }: DeleteJobDialogProps) {
  const repositories = useRepositories((s) => s.items);
  return (
    <ConfirmDialog item={job} title={(shown) => <>Delete job “{shown.name}”?</>} confirmLabel="Delete job" onConfirm={deleteJob} onClose={onClose} onDone={onDeleted}>
      {(shown) => {
        const repository = repositories.find((item) => item.id === shown.repositoryId);
        return (
          <>
            <DialogContentText sx={{ color: 'text.primary' }}>
              Ferry forgets the job and its settings; it will not run again. Its backups stay in the repository
              {repository ? ` “${repository.name}”` : ''}, untouched: you can still browse and restore them on the Backups page.
            </DialogContentText>
            <DialogContentText variant="body2" sx={{ mt: 1.5 }}>
              Its sessions stay in History.
            </DialogContentText>
          </>
        );
      }}
    </ConfirmDialog>
  );
}
