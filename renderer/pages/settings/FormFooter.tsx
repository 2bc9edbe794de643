import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import type { Outcome } from './useDraftForm.ts';

/** The buttons of a settings form, and what the last action did (read out when it changes). */
export function FormFooter({ outcome, children }: { outcome: Outcome; children: ReactNode }) {
  return (
    <Box sx={{ py: 1.5, borderTop: 1, borderColor: 'divider' }}>
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center' }}>{children}</Box>
      <Box role="status" aria-live="polite" sx={{ mt: outcome ? 1.5 : 0 }}>
        {outcome ? (
          <Alert severity={outcome.severity} variant="outlined" sx={{ py: 0 }}>
            {outcome.text}
          </Alert>
        ) : null}
      </Box>
    </Box>
  );
}
