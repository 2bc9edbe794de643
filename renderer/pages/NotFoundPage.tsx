import ExploreOffOutlined from '@mui/icons-material/ExploreOffOutlined';
import Button from '@mui/material/Button';
import { EmptyState } from '../components/EmptyState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        icon={ExploreOffOutlined}
        tone="warning"
        title={`There is no page at “${path}”`}
        actions={
          <Button variant="contained" href="#/">
            Go to the overview
          </Button>
        }
      >
        The address may be mistyped or from a newer version of Ferry. Use the navigation on the left to find your
        way.
      </EmptyState>
    </>
  );
}
