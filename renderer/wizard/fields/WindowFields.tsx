import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import { ToggleField } from '../../components/form.tsx';
import type { FieldsProps } from './props.ts';
import { TransferWindowGrid } from './TransferWindowGrid.tsx';
import type { WindowDraft } from './window.ts';

export interface WindowFieldsDraft {
  window: WindowDraft;
  /** When the window closes during a copy: end the session as a warning instead of pausing. */
  terminateOnWindowClose: boolean;
}

/** A copy job's transfer window: off (any time) or the 7×24 grid, and what happens when it closes mid-copy. */
export function WindowFields({ draft, onChange, errors, fieldRef, disabled }: FieldsProps<WindowFieldsDraft>) {
  const setWindow = (patch: Partial<WindowDraft>) => onChange({ ...draft, window: { ...draft.window, ...patch } });
  return (
    <Stack spacing={1.5}>
      <ToggleField
        control="switch"
        label="Transfer only in chosen hours"
        help="Off: the job may transfer at any time. On: outside the allowed hours it waits, and a copy under way pauses."
        checked={draft.window.limited}
        onChange={(limited) => setWindow({ limited })}
        disabled={disabled}
      />
      <Collapse in={draft.window.limited} unmountOnExit>
        <Stack spacing={1.5} sx={{ pt: 0.5 }}>
          <TransferWindowGrid
            masks={draft.window.masks}
            onChange={(masks) => setWindow({ masks })}
            error={errors.window}
            gridRef={fieldRef?.('window')}
            disabled={disabled}
          />
          <ToggleField
            label="Stop the job when the window closes"
            help="Off: a copy under way pauses and goes on when the window opens again. On: the session ends with a warning and the rest waits for the next run."
            checked={draft.terminateOnWindowClose}
            onChange={(terminateOnWindowClose) => onChange({ ...draft, terminateOnWindowClose })}
            disabled={disabled}
          />
        </Stack>
      </Collapse>
    </Stack>
  );
}
