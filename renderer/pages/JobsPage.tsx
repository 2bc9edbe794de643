import AddOutlined from '@mui/icons-material/AddOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useId } from 'react';
import { EmptyState } from '../components/EmptyState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useRepositories } from '../store/repositories.ts';
import { hrefFor } from '../shell/router.ts';

export function JobsPage() {
  const captionId = useId();
  const repositoryCount = useRepositories((s) => s.items.length);
  const needsRepository = repositoryCount < 2;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Folder backup jobs and backup copy jobs, with their status, last result and next run."
      />
      <EmptyState
        icon={WorkHistoryOutlined}
        badge={ScheduleOutlined}
        title="No jobs yet"
        actions={
          <>
            <Button variant="contained" startIcon={<AddOutlined />} disabled aria-describedby={captionId}>
              New backup copy job
            </Button>
            {needsRepository ? (
              <Button variant="outlined" href={hrefFor('repositories')}>
                Add a repository
              </Button>
            ) : null}
          </>
        }
        footnote={
          <Box component="span" id={captionId} sx={{ display: 'block', maxWidth: 460, mx: 'auto' }}>
            A backup copy job needs restore points to copy: create a repository first, then a folder backup job
            that writes into it, and a second repository to copy to.
          </Box>
        }
      >
        Jobs back up the folders you choose and copy restore points to a second repository, immediately or on a
        schedule with a transfer window. Each job will be listed here with its status, progress, last result and
        next run; a running job opens a live view of its session.
      </EmptyState>
    </>
  );
}
