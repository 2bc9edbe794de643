import CheckCircleRounded from '@mui/icons-material/CheckCircleRounded';
import CircleOutlined from '@mui/icons-material/CircleOutlined';
import CloudOutlined from '@mui/icons-material/CloudOutlined';
import DataUsageOutlined from '@mui/icons-material/DataUsageOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Divider from '@mui/material/Divider';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { describeLocation, type Repository } from '../../shared/domain/repository.ts';
import { BreakablePath } from '../components/BreakablePath.tsx';
import { Illustration } from '../components/Illustration.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SpaceBar } from '../components/SpaceBar.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { reconnectNow } from '../connection/engine.ts';
import { formatBytes, formatCount, formatPercent } from '../format/format.ts';
import { useConnection } from '../store/connection.ts';
import { summarize, useRepositories } from '../store/repositories.ts';
import { hrefFor } from '../shell/router.ts';

function SectionCard({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card>
      <Box sx={{ display: 'flex', alignItems: 'center', px: 2.5, pt: 2, pb: 1.5, gap: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          {title}
        </Typography>
        {action}
      </Box>
      <Divider />
      {children}
    </Card>
  );
}

function CapacityRow({ repository }: { repository: Repository }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'minmax(0, 1fr) 260px' }, gap: { xs: 1, sm: 3 }, alignItems: 'center', py: 1.75, px: 2.5 }}>
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
          {repository.name}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="div" sx={{ overflowWrap: 'break-word' }}>
          <BreakablePath path={describeLocation(repository.location)} />
        </Typography>
      </Box>
      {repository.status === 'available' && repository.space ? (
        <SpaceBar space={repository.space} label={repository.name} dense />
      ) : repository.status === 'available' && repository.location.kind === 's3' ? (
        <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start' }}>
          <CloudOutlined sx={{ fontSize: 18, mt: '1px', color: 'text.secondary' }} />
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Object storage
            {repository.usedBytes !== undefined ? ` · ${formatBytes(repository.usedBytes)} used` : ''}
          </Typography>
        </Box>
      ) : (
        <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start', color: 'error.main' }}>
          <ErrorOutlineOutlined sx={{ fontSize: 18, mt: '1px' }} />
          <Typography variant="body2" color="textSecondary">
            {repository.status === 'available' ? 'Space unknown' : (repository.statusMessage ?? 'Unavailable')}
          </Typography>
        </Box>
      )}
    </Box>
  );
}

function Step({ done, title, children }: { done: boolean; title: string; children: ReactNode }) {
  return (
    <Box component="li" sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start' }}>
      {done ? (
        <CheckCircleRounded sx={{ color: 'success.main', fontSize: 22, mt: '1px' }} titleAccess="Done" />
      ) : (
        <CircleOutlined sx={{ color: 'text.disabled', fontSize: 22, mt: '1px' }} titleAccess="To do" />
      )}
      <Box>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {children}
        </Typography>
      </Box>
    </Box>
  );
}

export function HomePage() {
  const connection = useConnection((s) => s.state);
  const items = useRepositories((s) => s.items);
  const status = useRepositories((s) => s.status);
  const summary = summarize(items);
  const loading = status !== 'ready' && status !== 'error';
  const hasSecondRepository = summary.total >= 2;
  const freeShare = summary.totalBytes > 0 ? summary.freeBytes / summary.totalBytes : 0;

  return (
    <>
      <PageHeader
        title="Home"
        description="What this engine protects at a glance: repositories and their space now; job results, failures and RPO warnings once jobs run."
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

      <Grid container spacing={2.5} sx={{ mb: 3 }}>
        <Grid size={{ xs: 12, sm: 6 }}>
          <StatCard
            label="Repositories"
            icon={StorageOutlined}
            loading={loading}
            value={summary.total}
            tone={summary.unavailable > 0 ? 'warning' : 'primary'}
            caption={
              summary.total === 0
                ? 'None registered'
                : summary.unavailable > 0
                  ? `${summary.available} available · ${summary.unavailable} unavailable`
                  : `${summary.available} available`
            }
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <StatCard
            label="Free space"
            icon={DataUsageOutlined}
            loading={loading}
            value={summary.totalBytes > 0 ? formatBytes(summary.freeBytes) : '—'}
            caption={
              summary.totalBytes > 0
                ? `of ${formatBytes(summary.totalBytes)} on available repositories`
                : 'No available repository reports its space'
            }
          >
            {summary.totalBytes > 0 && !loading ? (
              <LinearProgress
                variant="determinate"
                value={Math.round((1 - freeShare) * 100)}
                aria-label="Space used on available repositories"
                aria-valuetext={`${formatPercent(1 - freeShare)} used`}
                sx={{ mt: 1.5, height: 6 }}
              />
            ) : null}
          </StatCard>
        </Grid>
      </Grid>

      <Grid container spacing={2.5} sx={{ alignItems: 'flex-start' }}>
        <Grid size={{ xs: 12, lg: 7 }}>
          <SectionCard title="Capacity by repository">
            {loading ? (
              <Box sx={{ p: 2.5 }}>
                <Skeleton height={28} />
                <Skeleton height={28} width="80%" />
              </Box>
            ) : items.length === 0 ? (
              <Box sx={{ p: 2.5 }}>
                <Typography variant="body2" color="textSecondary">
                  No repositories are registered. Capacity and growth show here for each one you add.
                </Typography>
              </Box>
            ) : (
              <Stack divider={<Divider flexItem />}>
                {items.map((repository) => (
                  <CapacityRow key={repository.id} repository={repository} />
                ))}
              </Stack>
            )}
          </SectionCard>
        </Grid>
        <Grid size={{ xs: 12, lg: 5 }}>
          <SectionCard title="No jobs yet">
            <CardContent sx={{ p: 2.5 }}>
              <Box sx={{ display: 'flex', gap: 2.5, alignItems: 'center', mb: 2.5 }}>
                <Box sx={{ flexShrink: 0 }}>
                  <Illustration icon={WorkHistoryOutlined} size={72} tone="secondary" />
                </Box>
                <Typography variant="body2" color="textSecondary">
                  Jobs back up folders into a repository and copy their restore points to a second one, on a
                  schedule. Their results, failures and RPO warnings will be summarized here.
                </Typography>
              </Box>
              <Typography variant="overline" color="textSecondary" component="h3">
                Follow the 3-2-1 rule
              </Typography>
              <Stack component="ol" spacing={1.75} sx={{ listStyle: 'none', p: 0, m: 0, mt: 1 }}>
                <Step done={hasSecondRepository} title="Add a second repository">
                  {hasSecondRepository
                    ? `${formatCount(summary.total, 'repository', 'repositories')} registered.`
                    : 'A NAS share or a removable drive, so copies live on other media.'}
                </Step>
                <Step done={false} title="Back up folders">
                  A folder backup job writes restore points of the folders you choose into a repository.
                </Step>
                <Step done={false} title="Copy the backups">
                  A backup copy job keeps an independent chain of those points on the second repository.
                </Step>
              </Stack>
              {!hasSecondRepository ? (
                <Button href={hrefFor('repositories')} variant="contained" sx={{ mt: 2.5 }}>
                  Add a repository
                </Button>
              ) : null}
            </CardContent>
          </SectionCard>
        </Grid>
      </Grid>
    </>
  );
}
