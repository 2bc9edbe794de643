import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import DialogContentText from '@mui/material/DialogContentText';
import FormControlLabel from '@mui/material/FormControlLabel';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import type { CommandOutput } from '../../../shared/rpc/contract.ts';
import type { EngineContract } from '../../../shared/contract/engine.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount } from '../../format/format.ts';

type DeletePlan = CommandOutput<EngineContract, 'jobs.delete'>['backups'];

export interface DeleteJobDialogProps {
  /** The job to delete; null when the dialog is closed. */
  job: JobSummary | null;
  onClose: () => void;
  onDeleted: (job: JobSummary, withBackups: boolean) => void;
}

/** What deleting the backups too would remove, from the engine's dry run; null while it answers. */
function useDeletePlan(job: JobSummary | null): { backups: DeletePlan | null; error: string | null } {
  const [state, setState] = useState<{ backups: DeletePlan | null; error: string | null }>({ backups: null, error: null });
  const id = job?.id ?? null;
  useEffect(() => {
    if (!id) return;
    setState({ backups: null, error: null });
    let current = true;
    request('jobs.delete', { id, dryRun: true }).then(
      ({ backups }) => current && setState({ backups, error: null }),
      (error: unknown) => current && setState({ backups: null, error: (error as FerryError).message }),
    );
    return () => {
      current = false;
    };
  }, [id]);
  return state;
}

/** "On Branch NAS (folder Office): 2 workloads, 14 restore points, 3.2 GB". */
function describeBackup(backup: DeletePlan[number]): string {
  return `On ${backup.repositoryName} (folder ${backup.folder}): ${formatCount(backup.workloads, 'workload', 'workloads')}, ${formatCount(backup.points, 'restore point', 'restore points')}, ${formatBytes(backup.bytes)}`;
}

export function DeleteJobDialog({ job, onClose, onDeleted }: DeleteJobDialogProps) {
  const [withBackups, setWithBackups] = useState(false);
  const plan = useDeletePlan(job);
  useEffect(() => {
    if (job) setWithBackups(false);
  }, [job]);
  const backups = plan.backups ?? [];

  return (
    <ConfirmDialog
      item={job}
      title={(shown) => <>Delete job “{shown.name}”?</>}
      confirmLabel={withBackups ? 'Delete job and backups' : 'Delete job'}
      onConfirm={(shown) => request('jobs.delete', { id: shown.id, deleteBackups: withBackups })}
      onClose={onClose}
      onDone={(shown) => onDeleted(shown, withBackups)}
    >
      {() => (
        <>
          <DialogContentText sx={{ color: 'text.primary' }}>
            Ferry forgets the job and its settings; it will not run again. Its sessions stay in History.
          </DialogContentText>
          <Box sx={{ mt: 2 }}>
            {plan.error ? (
              <Alert severity="warning">Could not find out what the job’s backups hold: {plan.error}</Alert>
            ) : plan.backups === null ? (
              <Skeleton variant="rounded" height={56} aria-label="Finding the job’s backups" />
            ) : backups.length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                It has no backup yet: nothing else is removed.
              </Typography>
            ) : (
              <>
                <FormControlLabel
                  control={<Checkbox checked={withBackups} onChange={(event) => setWithBackups(event.target.checked)} />}
                  label="Also delete its backups"
                />
                <Box component="ul" aria-label="The job’s backups" sx={{ m: 0, mt: 0.5, pl: 3.5, typography: 'body2' }}>
                  {backups.map((backup) => (
                    <li key={`${backup.repositoryId}/${backup.folder}`}>{describeBackup(backup)}</li>
                  ))}
                </Box>
                <Typography variant="body2" sx={{ mt: 1.5, color: withBackups ? 'error.main' : 'text.secondary' }}>
                  {withBackups
                    ? 'These restore points are deleted for good: nothing can be restored from them afterwards. Copies that backup copy jobs made of them stay.'
                    : 'They stay in the repository, untouched: their restore points stay listed on the Backups page.'}
                </Typography>
              </>
            )}
          </Box>
        </>
      )}
    </ConfirmDialog>
  );
}
