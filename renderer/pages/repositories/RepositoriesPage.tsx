import AddOutlined from '@mui/icons-material/AddOutlined';
import CreateNewFolderOutlined from '@mui/icons-material/CreateNewFolderOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import Button from '@mui/material/Button';
import { useState } from 'react';
import type { Repository } from '../../../shared/domain/repository.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ListBody } from '../../components/ListBody.tsx';
import { ListToolbar } from '../../components/ListToolbar.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useHighlight } from '../../components/useHighlight.ts';
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
  const scanning = useBackups((s) => s.scanning);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Repository | null>(null);
  const [highlightId, setHighlightId] = useHighlight();
  const connected = connection === 'connected';

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

  const addFirst = (
    <Button variant="contained" startIcon={<CreateNewFolderOutlined />} onClick={() => setAdding(true)}>
      Add a repository
    </Button>
  );
  const noRepositories = (
    <EmptyState icon={StorageOutlined} badge={AddOutlined} title="No repositories yet" actions={addFirst}>
      A repository is where Ferry keeps backups: a folder on this computer, on a NAS share or on a removable drive, or
      a bucket on S3-compatible storage. Add one to have somewhere to back up and copy to.
    </EmptyState>
  );

  const body = (
    <ListBody what="the repositories" store={useRepositories} onRetry={refreshRepositories} empty={items.length === 0 ? noRepositories : null}>
      <ListToolbar
        summary={
          status === 'ready'
            ? `${formatCount(summary.total, 'repository', 'repositories')}` +
              (summary.unavailable > 0 ? ` · ${summary.unavailable} unavailable` : ' · all available')
            : 'Loading repositories…'
        }
        refreshTitle="Check reachability and space again"
        onRefresh={() => void refreshRepositories()}
        disabled={!connected}
      />
      <RepositoryTable
        repositories={items}
        loading={status !== 'ready'}
        onRemove={setRemoving}
        onRescan={(repository) => void rescan(repository)}
        scanning={scanning}
        disabled={!connected}
        highlightId={highlightId}
      />
    </ListBody>
  );

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
