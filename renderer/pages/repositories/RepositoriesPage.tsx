import AddOutlined from '@mui/icons-material/AddOutlined';
import CreateNewFolderOutlined from '@mui/icons-material/CreateNewFolderOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { EngineUnavailable } from '../../components/EngineUnavailable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { refreshRepositories, rescanRepository } from '../../connection/engine.ts';
import { formatCount } from '../../format/format.ts';
import { useBackups } from '../../store/backups.ts';
import { useConnection } from '../../store/connection.ts';
import { notify } from '../../store/notifications.ts';
import { dropRepository, summarize, upsertRepository, useRepositories } from '../../store/repositories.ts';
import { AddRepositoryDialog } from './AddRepositoryDialog.tsx';
import { RemoveRepositoryDialog } from './RemoveRepositoryDialog.tsx';
import { RepositoryTable } from './RepositoryTable.tsx';

export function RepositoriesPage() {
  const connection = useConnection((s) => s.state);
  const items = useRepositories((s) => s.items);
  const status = useRepositories((s) => s.status);
  const loadError = useRepositories((s) => s.error);
  const scanning = useBackups((s) => s.scanning);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Repository | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const connected = connection === 'connected';

  useEffect(() => {
    if (!highlightId) return;
    const timer = setTimeout(() => setHighlightId(null), 2500);
    return () => clearTimeout(timer);
  }, [highlightId]);

  const summary = summarize(items);
  const description =
    'Folders on local disks, NAS shares or removable drives, and S3-compatible buckets, where Ferry keeps backups. ' +
    'Removing a repository here never deletes its data.';

  const rescan = async (repository: Repository) => {
    try {
      const found = await rescanRepository(repository);
      notify(`Found ${formatCount(found.length, 'backup', 'backups')} in “${repository.name}”`);
    } catch (error) {
      notify(`Could not rescan “${repository.name}”: ${(error as FerryError).message}`, 'error');
    }
  };

  const addButton = (
    <Button variant="contained" startIcon={<AddOutlined />} onClick={() => setAdding(true)} disabled={!connected}>
      Add repository
    </Button>
  );

  let body;
  if (connection === 'disconnected') {
    body = <EngineUnavailable what="the repositories" />;
  } else if (status === 'error') {
    body = (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={() => void refreshRepositories()}>
            Try again
          </Button>
        }
      >
        Could not load the repositories: {loadError}
      </Alert>
    );
  } else if (status === 'ready' && items.length === 0) {
    body = (
      <EmptyState
        icon={StorageOutlined}
        badge={AddOutlined}
        title="No repositories yet"
        actions={
          <Button variant="contained" startIcon={<CreateNewFolderOutlined />} onClick={() => setAdding(true)}>
            Add a repository
          </Button>
        }
      >
        A repository is where Ferry keeps backups: a folder on this computer, on a NAS share or on a removable
        drive, or a bucket on S3-compatible storage. Add one to have somewhere to back up and copy to.
      </EmptyState>
    );
  } else {
    body = (
      <>
        <Box sx={{ display: 'flex', alignItems: 'center', mb: 1.5, minHeight: 32 }}>
          <Typography variant="body2" color="textSecondary" sx={{ flex: 1 }} aria-live="polite">
            {status === 'ready'
              ? `${formatCount(summary.total, 'repository', 'repositories')}` +
                (summary.unavailable > 0 ? ` · ${summary.unavailable} unavailable` : ' · all available')
              : 'Loading repositories…'}
          </Typography>
          <Tooltip title="Check reachability and space again">
            <span>
              <IconButton
                aria-label="Refresh list"
                size="small"
                onClick={() => void refreshRepositories()}
                disabled={!connected}
              >
                <RefreshOutlined fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
        </Box>
        <RepositoryTable
          repositories={items}
          loading={status !== 'ready'}
          onRemove={setRemoving}
          onRescan={(repository) => void rescan(repository)}
          scanning={scanning}
          disabled={!connected}
          highlightId={highlightId}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader title="Repositories" description={description} actions={addButton} />
      {body}
      <AddRepositoryDialog
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(repository) => {
          setAdding(false);
          upsertRepository(repository);
          setHighlightId(repository.id);
          notify(`Repository “${repository.name}” added`);
        }}
      />
      <RemoveRepositoryDialog
        repository={removing}
        onClose={() => setRemoving(null)}
        onRemoved={(repository) => {
          setRemoving(null);
          dropRepository(repository.id);
          notify(`Repository “${repository.name}” removed`);
        }}
      />
    </>
  );
}
