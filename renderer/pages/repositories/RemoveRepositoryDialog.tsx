import Box from '@mui/material/Box';
import DialogContentText from '@mui/material/DialogContentText';
import { describeLocation, type Repository } from '../../../shared/domain/repository.ts';
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

export function RemoveRepositoryDialog({ repository, onClose, onRemoved }: RemoveRepositoryDialogProps) {
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
            <DialogContentText variant="body2">
              You can add the {s3 ? 'bucket' : 'folder'} again later to use its backups.
              {shown.isDefault ? ' This is the default repository of this engine.' : ''}
            </DialogContentText>
          </>
        );
      }}
    </ConfirmDialog>
  );
}
