import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { JobSummary } from '../../../shared/domain/job.ts';
import { SectionCard } from '../../components/SectionCard.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatCount, formatNumber, formatRelative } from '../../format/format.ts';
import { Message, Placeholder } from './parts.tsx';
import { rpoWarnings } from './summary.ts';

/** "RPO 48 hours": whole days when the hours make days. */
function describeRpo(hours: number): string {
  return hours % 24 === 0 ? formatCount(hours / 24, 'day', 'days') : formatCount(hours, 'hour', 'hours');
}

/** Copy jobs whose workloads have no copy newer than their RPO. */
export function RpoCard({ jobs, loading }: { jobs: readonly JobSummary[]; loading: boolean }) {
  const now = useNow();
  const late = rpoWarnings(jobs);
  const copyJobs = jobs.filter((job) => job.kind === 'backup-copy').length;
  let content;
  if (loading) content = <Placeholder />;
  else if (copyJobs === 0) content = <Message>No backup copy jobs yet. Each one warns here when a workload has no copy newer than its RPO.</Message>;
  else if (late.length === 0) {
    content = (
      <Message>
        {copyJobs === 1
          ? 'The copy job has a copy of every workload within its RPO.'
          : `All ${formatNumber(copyJobs)} copy jobs have a copy of every workload within their RPO.`}
      </Message>
    );
  }
  else {
    content = (
      <Stack component="ul" divider={<Divider component="li" aria-hidden />} sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {late.map((job) => (
          <Box component="li" key={job.id} sx={{ px: 2.5, py: 1.25 }}>
            <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {job.name}
            </Typography>
            <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
              RPO {describeRpo(job.rpo.hours)} ·{' '}
              {job.rpo.late
                .map((workload) => `${workload.workload}: ${workload.newestCopy ? `newest copy ${formatRelative(workload.newestCopy, now)}` : 'no copy yet'}`)
                .join(' · ')}
            </Typography>
          </Box>
        ))}
      </Stack>
    );
  }
  return (
    <SectionCard title="RPO warnings" note={late.length > 0 ? formatCount(late.length, 'job', 'jobs') : undefined} divider>
      {content}
    </SectionCard>
  );
}
