import Typography from '@mui/material/Typography';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';

/** Advanced: storage, encryption, health check, removed workloads, mail, scripts, RPO (H4 writes this step). */
export function AdvancedStep(_step: StepProps<CopyDraft>) {
  return <Typography variant="body2">Compression level 3, not encrypted, monthly health check, mail on warning and failure, RPO 48 hours.</Typography>;
}
