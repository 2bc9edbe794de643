import { useRepositories } from '../../store/repositories.ts';
import { JobStep } from '../JobStep.tsx';
import type { SaveJob } from '../save.ts';
import { WizardDialog, type WizardMode, type WizardStep } from '../WizardDialog.tsx';
import { FOLDER_STEP_FIELDS, type FolderDraft, folderDefinitionOf, validateFolder } from './draft.ts';
import { ScheduleStep } from './ScheduleStep.tsx';
import { StorageStep } from './StorageStep.tsx';
import { SummaryStep } from './SummaryStep.tsx';
import { TargetStep } from './TargetStep.tsx';
import { WorkloadsStep } from './WorkloadsStep.tsx';

export const FOLDER_STEPS: readonly WizardStep<FolderDraft>[] = [
  { label: 'Job', intro: 'Name the job: it also names the backup folder in the repository.', owns: FOLDER_STEP_FIELDS.Job, Component: JobStep },
  { label: 'Workloads', intro: 'A workload is a set of folders backed up together into its own restore points.', owns: FOLDER_STEP_FIELDS.Workloads, Component: WorkloadsStep },
  { label: 'Target', intro: 'Where the restore points go, and how many of them to keep.', owns: FOLDER_STEP_FIELDS.Target, Component: TargetStep },
  { label: 'Storage', intro: 'How the backup is stored in the repository.', owns: FOLDER_STEP_FIELDS.Storage, Component: StorageStep },
  { label: 'Schedule', intro: 'When the job runs by itself, and how often a failed workload is tried again.', owns: FOLDER_STEP_FIELDS.Schedule, Component: ScheduleStep },
  { label: 'Summary', intro: 'Check what the job will do, then click Finish.', owns: FOLDER_STEP_FIELDS.Summary, Component: SummaryStep },
];

export function FolderWizard({ title, initial, mode, save, onClose }: { title: string; initial: FolderDraft; mode: WizardMode; save: SaveJob; onClose: () => void }) {
  const repositories = useRepositories((s) => s.items);
  return (
    <WizardDialog
      title={title}
      steps={FOLDER_STEPS}
      initial={initial}
      mode={mode}
      validate={(draft) => validateFolder(draft, (id) => repositories.some((repository) => repository.id === id))}
      save={(draft) => save(folderDefinitionOf(draft), draft.storage.encrypted && draft.storage.password ? draft.storage.password : undefined, draft.runNow)}
      savingLabel={mode === 'edit' ? 'Saving…' : 'Creating…'}
      onClose={onClose}
    />
  );
}
