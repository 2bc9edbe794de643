import CloudOutlined from '@mui/icons-material/CloudOutlined';
import ErrorOutlineOutlined from '@mui/icons-material/ErrorOutlineOutlined';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { describeLocation, type Repository, type UsageSample } from '../../../shared/domain/repository.ts';
import { BreakablePath } from '../../components/BreakablePath.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { SpaceBar } from '../../components/SpaceBar.tsx';
import { TimeSeriesChart } from '../../components/TimeSeriesChart.tsx';
import { formatBytes } from '../../format/format.ts';
import { describeGrowth } from './growth.ts';
import { Message, Placeholder } from './parts.tsx';

function SpaceNow({ repository }: { repository: Repository }) {
  if (repository.status === 'available' && repository.space) return <SpaceBar space={repository.space} label={repository.name} dense />;
  if (repository.status === 'available' && repository.location.kind === 's3') {
    return (
      <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start' }}>
        <CloudOutlined sx={{ fontSize: 18, mt: '1px', color: 'text.secondary' }} />
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Object storage{repository.usedBytes !== undefined ? ` · ${formatBytes(repository.usedBytes)} used` : ''}
        </Typography>
      </Box>
    );
  }
  return (
    <Box sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start', color: 'error.main' }}>
      <ErrorOutlineOutlined sx={{ fontSize: 18, mt: '1px' }} />
      <Typography variant="body2" color="textSecondary">
        {repository.status === 'available' ? 'Space unknown' : (repository.statusMessage ?? 'Unavailable')}
      </Typography>
    </Box>
  );
}

function RepositoryCapacity({ repository, samples }: { repository: Repository; samples: readonly UsageSample[] | undefined }) {
  const growth = describeGrowth(samples ?? []);
  return (
    <Box
      component="li"
      aria-label={repository.name}
      sx={{ p: 2, border: 1, borderColor: 'divider', borderRadius: 2, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 1.25 }}
    >
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Box sx={{ minWidth: 0, flex: '1 1 160px' }}>
          <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'break-word' }}>
            {repository.name}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="div" sx={{ overflowWrap: 'break-word' }}>
            <BreakablePath path={describeLocation(repository.location)} />
          </Typography>
        </Box>
        <SpaceNow repository={repository} />
      </Box>
      <Typography variant="body2" color="textSecondary">
        {growth.words}
      </Typography>
      {growth.points.length >= 2 ? (
        <TimeSeriesChart label={`Backups stored in ${repository.name}: ${growth.words}`} series="Stored" points={growth.points} format={formatBytes} ticks={growth.ticks} height={150} />
      ) : null}
    </Box>
  );
}

/** Each repository's space now, and how its backups grew (repos.usage samples). */
export function CapacityCard({
  repositories,
  usage,
  loading,
}: {
  repositories: readonly Repository[];
  usage: ReadonlyMap<string, readonly UsageSample[]> | null;
  loading: boolean;
}) {
  let content;
  if (loading) content = <Placeholder />;
  else if (repositories.length === 0) content = <Message>No repositories are registered. Add one on the Repositories page; its capacity and growth show here.</Message>;
  else {
    content = (
      <Box
        component="ul"
        sx={{ listStyle: 'none', m: 0, p: 2, display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 340px), 1fr))' }}
      >
        {repositories.map((repository) => (
          <RepositoryCapacity key={repository.id} repository={repository} samples={usage?.get(repository.id)} />
        ))}
      </Box>
    );
  }
  return (
    <SectionCard title="Capacity and growth" subtitle="Space left in each repository, and what its backups stored over the last 30 days" divider>
      {content}
    </SectionCard>
  );
}
