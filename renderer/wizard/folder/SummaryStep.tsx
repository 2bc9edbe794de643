import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { describeLocation } from '../../../shared/domain/repository.ts';
import { formatCount } from '../../format/format.ts';
import { describeSchedule } from '../../pages/jobs/describe.ts';
import { useRepositories } from '../../store/repositories.ts';
import { Code, RunNowField, SummaryList, SummaryRow } from '../Summary.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import { describeCompression } from '../fields/storage.ts';
import { type FolderDraft, folderDefinitionOf, lines } from './draft.ts';

function joinCode(items: readonly string[]) {
  return items.map((item, index) => (
    <span key={index}>
      {index > 0 ? ', ' : ''}
      <Code>{item}</Code>
    </span>
  ));
}

/** Summary: the whole job in words, each part with a way back to its step. */
export function SummaryStep(step: StepProps<FolderDraft>) {
  const { draft, disabled, goToStep } = step;
  const repository = useRepositories((s) => s.items.find((r) => r.id === draft.repositoryId));
  // Numbers as the job will store them (the draft keeps text as typed).
  const definition = folderDefinitionOf(draft);
  const keep = definition.retention.keepPoints;
  const row = { onEdit: goToStep, disabled };
  const { storage } = definition;
  return (
    <Stack spacing={2}>
      <SummaryList>
        <SummaryRow title="Job" step="Job" {...row}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            “{draft.name.trim()}”, a folder backup job
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', whiteSpace: 'pre-line' }}>
            {draft.description.trim() || 'No description.'}
          </Typography>
        </SummaryRow>
        <SummaryRow title="Workloads" step="Workloads" {...row}>
          <Stack spacing={0.75}>
            {draft.workloads.map((workload) => {
              const folders = lines(workload.folders);
              const excludes = lines(workload.excludes);
              return (
                <Typography key={workload.key} variant="body2" sx={{ overflowWrap: 'anywhere' }}>
                  <strong>{workload.name.trim()}</strong> backs up {folders.length === 1 ? 'the folder' : `${folders.length} folders:`} {joinCode(folders)}
                  {excludes.length > 0 ? <>, leaving out {joinCode(excludes)}</> : null}.
                </Typography>
              );
            })}
          </Stack>
        </SummaryRow>
        <SummaryRow title="Target" step="Target" {...row}>
          Restore points go to <strong>{repository?.name ?? 'an unknown repository'}</strong>
          {repository ? (
            <>
              {' '}
              (<Code>{describeLocation(repository.location)}</Code>)
            </>
          ) : null}
          . The newest {formatCount(keep, 'restore point', 'restore points')} of each workload are kept.
        </SummaryRow>
        <SummaryRow title="Storage" step="Storage" {...row}>
          Compression level {storage.compressionLevel} ({describeCompression(storage.compressionLevel)}).{' '}
          {storage.encrypted
            ? `Encrypted with ${draft.storage.password ? 'a password' : 'the stored password'}${storage.passwordHint ? ` (hint: “${storage.passwordHint}”)` : ''}.`
            : 'Not encrypted.'}
        </SummaryRow>
        <SummaryRow title="Schedule" step="Schedule" {...row}>
          {describeSchedule(definition.schedule)}. A failed workload is tried {formatCount(definition.retries.count, 'more time', 'more times')},{' '}
          {formatCount(definition.retries.intervalMinutes, 'minute', 'minutes')} apart.
        </SummaryRow>
      </SummaryList>
      <RunNowField {...step} />
    </Stack>
  );
}
