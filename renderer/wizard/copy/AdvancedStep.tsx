import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { AdvancedFields } from '../fields/AdvancedFields.tsx';
import { StorageFields } from '../fields/StorageFields.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Advanced: storage and encryption, health check, removed workloads, mail, scripts, RPO. */
export function AdvancedStep({ draft, update, errors, fieldRef, disabled }: StepProps<CopyDraft>) {
  const common = { errors, fieldRef, disabled };
  return (
    <Stack spacing={3}>
      <Typography variant="subtitle2" component="h4">
        Storage
      </Typography>
      <StorageFields
        draft={draft.storage}
        onChange={(storage) => update((d) => ({ ...d, storage }), 'storage', 'password', 'repeatPassword')}
        passwordStored={draft.passwordStored}
        allowPlaintext={{ checked: draft.allowPlaintext, onChange: (allowPlaintext) => update((d) => ({ ...d, allowPlaintext }), 'allowPlaintext') }}
        {...common}
      />
      <Divider />
      <AdvancedFields
        kind="backup-copy"
        draft={draft.advanced}
        onChange={(advanced) => update((d) => ({ ...d, advanced }), 'healthCheck', 'removeDeletedWorkloadsAfterDays', 'mailReport', 'scripts', 'rpoHours')}
        {...common}
      />
    </Stack>
  );
}
