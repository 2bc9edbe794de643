import { StorageFields } from '../fields/StorageFields.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import type { FolderDraft } from './draft.ts';

/** Storage: compression, and encryption with a password that never comes back to the page once saved. */
export function StorageStep({ draft, update, errors, fieldRef, disabled }: StepProps<FolderDraft>) {
  return (
    <StorageFields
      draft={draft.storage}
      onChange={(storage) => update((d) => ({ ...d, storage }), 'storage', 'password', 'repeatPassword')}
      passwordStored={draft.passwordStored}
      errors={errors}
      fieldRef={fieldRef}
      disabled={disabled}
    />
  );
}
