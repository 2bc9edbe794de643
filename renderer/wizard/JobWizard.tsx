import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import { useEffect, useId, useMemo, useState } from 'react';
import type { JobDefinition, JobKind } from '../../shared/domain/job.ts';
import type { FerryError } from '../../shared/rpc/errors.ts';
import { refreshBackups, request } from '../connection/engine.ts';
import { useJobs } from '../store/jobs.ts';
import { useRepositories } from '../store/repositories.ts';
import { CopyWizard } from './copy/CopyWizard.tsx';
import { copyDraftFrom, emptyCopyDraft } from './copy/draft.ts';
import type { WizardMode } from './fields-of.ts';
import { emptyFolderDraft, folderDraftFrom } from './folder/draft.ts';
import { FolderWizard } from './folder/FolderWizard.tsx';
import { preferredRepository } from './RepositoryField.tsx';
import { type JobSaved, saveJob } from './save.ts';

/** What the job list asks for: a new job of a kind, or an existing job to edit or clone. */
export interface JobWizardRequest {
  kind: JobKind;
  mode: WizardMode;
  /** The job to edit or clone. */
  jobId?: string;
}

export interface JobWizardProps {
  /** The wizard to show; null: none. */
  request: JobWizardRequest | null;
  /** Closed without saving. */
  onClose: () => void;
  /** Finish saved the job (and started it when asked): the caller closes the wizard and says so. */
  onSaved: (saved: JobSaved) => void;
}

const KIND_WORDS: Record<JobKind, string> = { 'folder-backup': 'folder backup job', 'backup-copy': 'backup copy job' };

function titleOf(request: JobWizardRequest, name: string): string {
  if (request.mode === 'new') return `New ${KIND_WORDS[request.kind]}`;
  return request.mode === 'edit' ? `Edit “${name}”` : `Clone “${name}”`;
}

/**
 * The job wizards behind one entry: New, Edit (the same wizard filled in; a running job
 * cannot be changed, and the wizard says so instead) and Clone ("Copy of …").
 */
export function JobWizard({ request: asked, onClose, onSaved }: JobWizardProps) {
  const [loaded, setLoaded] = useState<{ definition: JobDefinition } | { error: string } | null>(null);
  const running = useJobs((s) => (asked?.mode === 'edit' ? (s.items.find((job) => job.id === asked.jobId)?.running ?? false) : false));

  useEffect(() => {
    setLoaded(null);
    if (!asked) return;
    void refreshBackups();
    if (asked.mode === 'new' || !asked.jobId) return;
    let current = true;
    request('jobs.get', { id: asked.jobId })
      .then(({ definition }) => current && setLoaded({ definition }))
      .catch((error: FerryError) => current && setLoaded({ error: error.message }));
    return () => {
      current = false;
    };
  }, [asked]);

  // Made once per request: the wizard compares what is typed with it ("Discard the changes?").
  const fresh = useMemo(
    () => (asked?.mode === 'new' ? (asked.kind === 'backup-copy' ? emptyCopyDraft() : emptyFolderDraft(preferredRepository(useRepositories.getState().items))) : null),
    [asked],
  );
  const filled = useMemo(() => {
    if (!asked || !loaded || !('definition' in loaded)) return null;
    const { definition } = loaded;
    return definition.kind === 'backup-copy' ? copyDraftFrom(definition, asked.jobId ?? '', asked.mode) : folderDraftFrom(definition, asked.mode);
  }, [asked, loaded]);

  if (!asked) return null;
  const save = async (definition: JobDefinition, password: string | undefined, runNow: boolean) =>
    onSaved(await saveJob({ mode: asked.mode, jobId: asked.jobId ?? null }, definition, password, runNow));

  if (fresh) {
    return 'sources' in fresh ? (
      <CopyWizard title={titleOf(asked, '')} initial={fresh} mode="new" save={save} onClose={onClose} />
    ) : (
      <FolderWizard title={titleOf(asked, '')} initial={fresh} mode="new" save={save} onClose={onClose} />
    );
  }
  if (loaded !== null && 'error' in loaded) return <Notice title="The job cannot be opened" text={loaded.error} onClose={onClose} />;
  if (loaded === null || filled === null) return <Notice title="Opening the job…" busy onClose={onClose} />;
  const { definition } = loaded;
  if (running) {
    return <Notice title={`“${definition.name}” is running`} text="A running job cannot be changed. Stop the job before changing it, or wait until its run ends." onClose={onClose} />;
  }
  const title = titleOf(asked, definition.name);
  return 'sources' in filled ? (
    <CopyWizard title={title} initial={filled} mode={asked.mode} save={save} onClose={onClose} />
  ) : (
    <FolderWizard title={title} initial={filled} mode={asked.mode} save={save} onClose={onClose} />
  );
}

function Notice({ title, text, busy, onClose }: { title: string; text?: string; busy?: boolean; onClose: () => void }) {
  const titleId = useId();
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} maxWidth="xs" fullWidth>
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {busy ? (
          <Stack sx={{ alignItems: 'center', py: 2 }}>
            <CircularProgress aria-label="Loading" />
          </Stack>
        ) : (
          <DialogContentText>{text}</DialogContentText>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} autoFocus>
          {busy ? 'Cancel' : 'Close'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
