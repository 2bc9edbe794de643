import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { MONO_FONT_STACK } from '../theme/theme.ts';
import type { StepProps } from './WizardDialog.tsx';

/** The Summary step's list: one row per step, in words, each with "Change". */
export function SummaryList({ children }: { children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ px: 2, py: 0.5, borderRadius: 2, bgcolor: 'transparent' }}>
      <Box component="dl" aria-label="Summary" sx={{ m: 0, '& > div + div': { borderTop: 1, borderColor: 'divider' } }}>
        {children}
      </Box>
    </Paper>
  );
}

/** A row of the summary: what a step decided, and a button back to that step. */
export function SummaryRow({ title, step, onEdit, disabled, children }: { title: string; step: string; onEdit: (step: string) => void; disabled: boolean; children: ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '120px minmax(0, 1fr)' }, columnGap: 2, rowGap: 0.5, py: 1.5, alignItems: 'baseline' }}>
      <Typography variant="body2" component="dt" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {title}
      </Typography>
      {/* The button sits in the dd: a dl's groups hold only dt and dd. */}
      <Box component="dd" sx={{ m: 0, minWidth: 0, display: 'flex', alignItems: 'baseline', gap: 2 }}>
        <Box sx={{ flex: 1, minWidth: 0, typography: 'body2', overflowWrap: 'anywhere' }}>{children}</Box>
        <Button size="small" onClick={() => onEdit(step)} disabled={disabled} aria-label={`Change ${title.toLowerCase()}`} sx={{ minWidth: 0, flexShrink: 0 }}>
          Change
        </Button>
      </Box>
    </Box>
  );
}

/** A path or pattern inside a sentence. */
export const Code = ({ children }: { children: ReactNode }) => (
  <Box component="span" sx={{ fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem', overflowWrap: 'anywhere' }}>
    {children}
  </Box>
);

/** "Run the job when I click Finish", under the summary. */
export function RunNowField<D extends { runNow: boolean }>({ draft, update, disabled }: Pick<StepProps<D>, 'draft' | 'update' | 'disabled'>) {
  return (
    <FormControlLabel
      label="Run the job when I click Finish"
      disabled={disabled}
      control={<Checkbox checked={draft.runNow} onChange={(event) => update((d) => ({ ...d, runNow: event.target.checked }))} />}
    />
  );
}
