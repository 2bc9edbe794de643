import CheckCircleRounded from '@mui/icons-material/CheckCircleRounded';
import CircleOutlined from '@mui/icons-material/CircleOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { Illustration } from '../../components/Illustration.tsx';
import { SectionCard } from '../../components/SectionCard.tsx';
import { formatCount } from '../../format/format.ts';
import { hrefFor } from '../../shell/router.ts';

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

/** What to do first, while there are no jobs: the 3-2-1 rule as three steps. */
export function FirstSteps({ repositories }: { repositories: number }) {
  const hasSecondRepository = repositories >= 2;
  return (
    <SectionCard title="No jobs yet" divider>
      <Box sx={{ p: 2.5 }}>
        <Box sx={{ display: 'flex', gap: 2.5, alignItems: 'center', mb: 2.5 }}>
          <Box sx={{ flexShrink: 0 }}>
            <Illustration icon={WorkHistoryOutlined} size={72} tone="secondary" />
          </Box>
          <Typography variant="body2" color="textSecondary">
            Jobs back up folders into a repository and copy their restore points to a second one. Their results,
            failures and warnings will be summarized here.
          </Typography>
        </Box>
        <Typography variant="overline" color="textSecondary" component="h3">
          Follow the 3-2-1 rule
        </Typography>
        <Stack component="ol" spacing={1.75} sx={{ listStyle: 'none', p: 0, m: 0, mt: 1 }}>
          <Step done={hasSecondRepository} title="Add a second repository">
            {hasSecondRepository
              ? `${formatCount(repositories, 'repository', 'repositories')} registered.`
              : 'A NAS share or a removable drive, so copies live on other media.'}
          </Step>
          <Step done={false} title="Back up folders">
            A folder backup job writes restore points of the folders you choose into a repository.
          </Step>
          <Step done={false} title="Copy the backups">
            A backup copy job keeps an independent chain of those points on the second repository.
          </Step>
        </Stack>
        <Stack direction="row" spacing={1.5} sx={{ mt: 2.5 }}>
          <Button href={hrefFor('jobs')} variant="contained">
            Go to Jobs
          </Button>
          {!hasSecondRepository ? (
            <Button href={hrefFor('repositories')} variant="outlined">
              Add a repository
            </Button>
          ) : null}
        </Stack>
      </Box>
    </SectionCard>
  );
}
