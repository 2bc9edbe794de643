import { useMemo } from 'react';
import { useBackups } from '../../store/backups.ts';
import { useJobs } from '../../store/jobs.ts';
import { useRepositories } from '../../store/repositories.ts';
import { JobStep } from '../JobStep.tsx';
import type { SaveJob } from '../save.ts';
import { WizardDialog, type WizardMode, type WizardStep } from '../WizardDialog.tsx';
import { AdvancedStep } from './AdvancedStep.tsx';
import { DataPathStep } from './DataPathStep.tsx';
import { COPY_STEP_FIELDS, type CopyContext, type CopyDraft, copyDefinitionOf, passwordToSend, validateCopy } from './draft.ts';
import { MapStep } from './MapStep.tsx';
import { ObjectsStep } from './ObjectsStep.tsx';
import { mappableBackups } from './sources.ts';
import { ScheduleStep } from './ScheduleStep.tsx';
import { SummaryStep } from './SummaryStep.tsx';
import { TargetStep } from './TargetStep.tsx';

/** The steps of the backup copy job wizard, one per page of the Veeam wizard it replaces. */
export const COPY_STEPS: readonly WizardStep<CopyDraft>[] = [
  { label: 'Job', intro: 'Name the job: it also names its backup in the target repository.', owns: COPY_STEP_FIELDS.Job, Component: JobStep },
  {
    label: 'Objects',
    intro: 'Where the restore points to copy come from: jobs, backups, workloads wherever they are, or whole repositories.',
    owns: COPY_STEP_FIELDS.Objects,
    Component: ObjectsStep,
  },
  { label: 'Target', intro: 'The repository the copies go to, and which of them are kept.', owns: COPY_STEP_FIELDS.Target, Component: TargetStep },
  { label: 'Map backup', intro: 'Start a new backup on the target, or continue one already there.', owns: COPY_STEP_FIELDS['Map backup'], Component: MapStep },
  {
    label: 'Advanced',
    intro: 'How the copies are stored, checked and reported.',
    owns: COPY_STEP_FIELDS.Advanced,
    Component: AdvancedStep,
  },
  { label: 'Data path', intro: 'How fast and how many workloads at once the job copies.', owns: COPY_STEP_FIELDS['Data path'], Component: DataPathStep },
  { label: 'Schedule', intro: 'When the job runs by itself, and in which hours it may transfer.', owns: COPY_STEP_FIELDS.Schedule, Component: ScheduleStep },
  { label: 'Summary', intro: 'Check what the job will do, then click Finish.', owns: COPY_STEP_FIELDS.Summary, Component: SummaryStep },
];

export function CopyWizard({ title, initial, mode, save, onClose }: { title: string; initial: CopyDraft; mode: WizardMode; save: SaveJob; onClose: () => void }) {
  const jobs = useJobs((s) => s.items);
  const backups = useBackups((s) => s.items);
  const repositories = useRepositories((s) => s.items);
  const backupsKnown = useBackups((s) => s.status === 'ready');
  const context = useMemo<CopyContext>(
    () => ({
      repositoryOfJob: (id) => jobs.find((job) => job.id === id)?.repositoryId,
      repositoryKnown: (id) => repositories.some((repository) => repository.id === id),
      mappableFolders: (repositoryId, jobId) =>
        backupsKnown ? mappableBackups(backups, repositoryId, jobId, (id) => jobs.some((job) => job.id === id)).map((backup) => backup.folder) : undefined,
    }),
    [jobs, backups, backupsKnown, repositories],
  );
  return (
    <WizardDialog
      title={title}
      steps={COPY_STEPS}
      initial={initial}
      mode={mode}
      validate={(draft) => validateCopy(draft, context)}
      save={(draft) => save(copyDefinitionOf(draft), passwordToSend(draft), draft.runNow)}
      savingLabel={mode === 'edit' ? 'Saving…' : 'Creating…'}
      onClose={onClose}
    />
  );
}
