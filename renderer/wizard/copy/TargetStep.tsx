import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { useEffect } from 'react';
import { hrefFor } from '../../shell/router.ts';
import { useJobs } from '../../store/jobs.ts';
import { useRepositories } from '../../store/repositories.ts';
import { preferredRepository, RepositoryField } from '../RepositoryField.tsx';
import { textField } from '../step-fields.ts';
import type { StepProps } from '../WizardDialog.tsx';
import { RetentionFields } from '../fields/RetentionFields.tsx';
import { RetentionTimeline } from '../fields/RetentionTimeline.tsx';
import { validRetention, validSchedule } from '../fields/valid.ts';
import { type CopyDraft, repositoryOfSource } from './draft.ts';

/** Target: the repository the copies go to (never a source's) and how long they are kept. */
export function TargetStep(step: StepProps<CopyDraft>) {
  const { draft, update } = step;
  const repositories = useRepositories((s) => s.items);
  const jobs = useJobs((s) => s.items);
  const context = { repositoryOfJob: (id: string) => jobs.find((job) => job.id === id)?.repositoryId };
  const sourceRepositories = new Set(draft.sources.map((source) => repositoryOfSource(source, context)).filter((id) => id !== undefined));

  // A new job's target: the first reachable repository no source reads from.
  useEffect(() => {
    if (draft.repositoryId || repositories.length === 0) return;
    const chosen = preferredRepository(repositories, (id) => sourceRepositories.has(id));
    if (chosen) update((d) => (d.repositoryId ? d : { ...d, repositoryId: chosen }));
    // Once the repositories are known; a target chosen or cleared by hand stays.
  }, [repositories.length]);

  return (
    <Stack spacing={3}>
      {repositories.length < 2 ? (
        <Alert severity="warning">
          A copy needs a second repository besides the one its sources are in. <Link href={hrefFor('repositories')}>Add a repository</Link>; what
          you typed here is lost when you leave.
        </Alert>
      ) : null}
      <RepositoryField
        repositories={repositories}
        refuse={(repository) => (sourceRepositories.has(repository.id) ? 'a source reads from it' : null)}
        field={textField(step, 'repositoryId', draft.repositoryId, (d, repositoryId) => ({ ...d, repositoryId, mapping: '' }), 'The copies are written into this repository, in a backup of their own.')}
      />
      <RetentionFields
        kind="backup-copy"
        draft={draft.retention}
        onChange={(retention) => update((d) => ({ ...d, retention }), 'retention')}
        errors={step.errors}
        fieldRef={step.fieldRef}
        disabled={step.disabled}
      />
      <RetentionTimeline retention={validRetention(draft.retention)} schedule={validSchedule(draft.schedule.schedule) ?? undefined} />
    </Stack>
  );
}
