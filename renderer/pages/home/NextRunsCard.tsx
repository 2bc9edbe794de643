import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { JobSummary } from '../../../shared/domain/job.ts';
import { SectionCard } from '../../components/SectionCard.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatDateTime, formatRelative } from '../../format/format.ts';
import { kindLabel } from '../history/sessionState.ts';
import { Message, Placeholder } from './parts.tsx';
import { nextRuns } from './summary.ts';

const SHOWN = 5;

/** The runs the scheduler plans next, soonest first. */
export function NextRunsCard({ jobs, loading }: { jobs: readonly JobSummary[]; loading: boolean }) {
  const now = useNow();
  const runs = nextRuns(jobs, SHOWN);
  let content;
  if (loading) content = <Placeholder />;
  else if (runs.length === 0) {
    content = <Message>No run is planned. Give a job a schedule (Edit on the Jobs page) and its next run shows here.</Message>;
  } else {
    content = (
      <Stack component="ul" divider={<Divider component="li" aria-hidden />} sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {runs.map((job) => (
          <Box component="li" key={job.id} sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', columnGap: 2, alignItems: 'center', px: 2.5, py: 1.25 }}>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                {job.name}
              </Typography>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                {kindLabel(job.kind)}
              </Typography>
            </Box>
            <Box sx={{ textAlign: 'right' }}>
              <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
                {formatRelative(job.nextRun, now)}
              </Typography>
              <Typography variant="caption" component="div" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                {formatDateTime(job.nextRun)}
              </Typography>
            </Box>
          </Box>
        ))}
      </Stack>
    );
  }
  return (
    <SectionCard title="Next runs" divider>
      {content}
    </SectionCard>
  );
}
