import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { hrefFor } from '../../shell/router.ts';
import { useRepositories } from '../../store/repositories.ts';
import { RepositoryField } from '../RepositoryField.tsx';
import { textField } from '../step-fields.ts';
import type { StepProps } from '../WizardDialog.tsx';
import { DEFAULT_KEEP_POINTS, type FolderDraft } from './draft.ts';

/** Target: the repository the restore points go to, and how many are kept. */
export function TargetStep(step: StepProps<FolderDraft>) {
  const { draft, errors } = step;
  const keepHelpId = useId();
  const repositories = useRepositories((s) => s.items);
  return (
    <Stack spacing={2.5}>
      {repositories.length === 0 ? (
        <Alert severity="warning">
          No repository is registered yet. <Link href={hrefFor('repositories')}>Add a repository</Link> first; what you typed here is lost when you
          leave.
        </Alert>
      ) : null}
      <RepositoryField
        repositories={repositories}
        field={textField(step, 'repositoryId', draft.repositoryId, (d, repositoryId) => ({ ...d, repositoryId }), 'The job writes its restore points into this repository.')}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          {...textField(step, 'retention.keepPoints', draft.keepPoints, (d, keepPoints) => ({ ...d, keepPoints }))}
          label="Restore points to keep"
          type="number"
          required
          sx={{ width: { sm: 220 }, flexShrink: 0 }}
          slotProps={{ htmlInput: { min: 1, max: 999, step: 1, inputMode: 'numeric', ...(errors['retention.keepPoints'] ? {} : { 'aria-describedby': keepHelpId }) } }}
        />
        <Typography id={keepHelpId} variant="body2" sx={{ color: 'text.secondary', pt: { sm: 1 } }}>
          Once a workload has more restore points, the oldest are removed after a run. {DEFAULT_KEEP_POINTS} suits most jobs: a week of daily runs.
        </Typography>
      </Stack>
    </Stack>
  );
}
