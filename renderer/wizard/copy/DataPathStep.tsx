import { DataPathFields } from '../fields/DataPathFields.tsx';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Data path: the job's own bandwidth limit and how many workloads it copies at once. */
export function DataPathStep({ draft, update, errors, fieldRef, disabled }: StepProps<CopyDraft>) {
  return (
    <DataPathFields
      draft={draft.dataPath}
      onChange={(dataPath) => update((d) => ({ ...d, dataPath }), 'dataPath')}
      errors={errors}
      fieldRef={fieldRef}
      disabled={disabled}
    />
  );
}
