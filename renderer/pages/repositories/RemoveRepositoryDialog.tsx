import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import DialogContentText from '@mui/material/DialogContentText';
import { useEffect, useState } from 'react';
import { describeLocation, type Repository, type RepositoryUser } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { request } from '../../connection/engine.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';

export interface RemoveRepositoryDialogProps {
  /** The repository to remove; null when the dialog is closed. */
  repository: Repository | null;
  onClose: () => void;
  onRemoved: (repository: Repository) => void;
}

const removeRepository = (repository: Repository) => request('repos.remove', { id: repository.id });

type Users = { state: 'asking' } | { state: 'known'; jobs: RepositoryUser[] } | { state: 'failed'; message: string };

/** The jobs that use the repository, asked of the engine (a dry run of the removal) each time the dialog opens. */
function useUsers(repository: Repository | null): Users {
  const [users, setUsers] = useState<Users>({ state: 'asking' });
  useEffect(() => {
    if (repository === null) return;
    let current = true;
    setUsers({ state: 'asking' });
    request('repos.remove', { id: repository.id, dryRun: true }).then(
      ({ jobs }) => current && setUsers({ state: 'known', jobs }),
      (error: unknown) => current && setUsers({ state: 'failed', message: (error as FerryError).message }),
    );
    return () => {
      current = false;
    };
  }, [repository]);
  return users;
}

function UsersNote({ users }: { users: Users }) {
  if (users.state === 'asking') return <DialogContentText variant="body2">Checking which jobs use it…</DialogContentText>;
  if (users.state === 'failed') return <Alert severity="error">Could not tell which jobs use it: {users.message}</Alert>;
  if (users.jobs.length === 0) return <DialogContentText variant="body2">No job uses it.</DialogContentText>;
  const count = users.jobs.length === 1 ? 'One job uses' : `${users.jobs.length} jobs use`;
  return (
    <Alert severity="warning">
      {count} it and cannot run until it is added again (or the job is edited):
      <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
        {users.jobs.map((job) => (
          <li key={job.id}>
            “{job.name}” {job.use === 'target' ? 'keeps its backups here' : 'copies from it'}
          </li>
        ))}
      </Box>
    </Alert>
  );
}

export function RemoveRepositoryDialog({ repository, onClose, onRemoved }: RemoveRepositoryDialogProps) {
  const users = useUsers(repository);
  return (
    <ConfirmDialog item={repository} title={(shown) => <>Remove repository “{shown.name}”?</>} confirmLabel="Remove" onConfirm={removeRepository} onClose={onClose} onDone={onRemoved}>
      {(shown) => {
        const s3 = shown.location.kind === 's3';
        return (
          <>
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
              {describeLocation(shown.location)}
            </Box>
            <UsersNote users={users} />
            <DialogContentText variant="body2" sx={{ mt: 1.5 }}>
              Add the {s3 ? 'bucket' : 'folder'} again later and Ferry recognises it: its backups and jobs are back as they were.
              {shown.isDefault ? ' This is the default repository of this engine.' : ''}
            </DialogContentText>
          </>
        );
      }}
    </ConfirmDialog>
  );
}
