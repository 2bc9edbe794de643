import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import { PageHeader } from '../../components/PageHeader.tsx';
import { reconnectNow } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';
import { useJobs } from '../../store/jobs.ts';
import { useRepositories } from '../../store/repositories.ts';
import { useSessions } from '../../store/sessions.ts';
import { CapacityCard } from './CapacityCard.tsx';
import { FirstSteps } from './FirstSteps.tsx';
import { NextRunsCard } from './NextRunsCard.tsx';
import { loadingOf } from './parts.tsx';
import { RpoCard } from './RpoCard.tsx';
import { ProblemsCard, RecentSessions } from './SessionCards.tsx';
import { BackupsCard, FreeSpaceCard, JobsCard, RepositoriesCard } from './StatCards.tsx';
import { useRepositoryUsage } from './useRepositoryUsage.ts';

export function HomePage() {
  const connection = useConnection((s) => s.state);
  const repositories = useRepositories((s) => s.items);
  const repositoriesLoading = loadingOf(useRepositories((s) => s.status));
  const jobs = useJobs((s) => s.items);
  const jobsStatus = useJobs((s) => s.status);
  const jobsLoading = loadingOf(jobsStatus);
  const sessions = useSessions((s) => s.items);
  const usage = useRepositoryUsage();
  // The getting-started card only while there really are no jobs (not while they load).
  const noJobs = jobsStatus === 'ready' && jobs.length === 0;

  return (
    <>
      <PageHeader
        title="Home"
        description="What this engine protects at a glance: jobs and their results, what needs you, the next runs, and each repository's space."
      />

      {connection === 'disconnected' ? (
        <Alert
          severity="warning"
          sx={{ mb: 3 }}
          action={
            <Button color="inherit" size="small" onClick={reconnectNow}>
              Retry now
            </Button>
          }
        >
          Not connected to the engine. Ferry keeps trying to reconnect; the figures below may be out of date.
        </Alert>
      ) : null}

      <Grid container spacing={2.5} sx={{ mb: 2.5 }}>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <JobsCard jobs={jobs} sessions={sessions} loading={jobsLoading} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <BackupsCard repositories={repositories} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <RepositoriesCard repositories={repositories} loading={repositoriesLoading} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, lg: 3 }}>
          <FreeSpaceCard repositories={repositories} loading={repositoriesLoading} />
        </Grid>
      </Grid>

      <Grid container spacing={2.5} sx={{ alignItems: 'flex-start', mb: 2.5 }}>
        {noJobs ? (
          <Grid size={12}>
            <FirstSteps repositories={repositories.length} />
          </Grid>
        ) : (
          <>
            <Grid size={{ xs: 12, lg: 7 }}>
              <Box sx={{ display: 'grid', gap: 2.5 }}>
                <ProblemsCard />
                <RecentSessions />
              </Box>
            </Grid>
            <Grid size={{ xs: 12, lg: 5 }}>
              <Box sx={{ display: 'grid', gap: 2.5 }}>
                <RpoCard jobs={jobs} loading={jobsLoading} />
                <NextRunsCard jobs={jobs} loading={jobsLoading} />
              </Box>
            </Grid>
          </>
        )}
      </Grid>

      <CapacityCard repositories={repositories} usage={usage} loading={repositoriesLoading} />
    </>
  );
}
