import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import RestoreOutlined from '@mui/icons-material/RestoreOutlined';
import { EmptyState } from '../components/EmptyState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';

export function BackupsPage() {
  return (
    <>
      <PageHeader
        title="Backups"
        description="Restore points by repository, backup and workload: browse their files, restore or verify them."
      />
      <EmptyState icon={Inventory2Outlined} badge={RestoreOutlined} title="No backups yet">
        Backups appear here once a job has written restore points to a repository. Pick a point on its timeline
        to browse its files, search by name, restore files or folders to a folder you choose, or verify it.
      </EmptyState>
    </>
  );
}
