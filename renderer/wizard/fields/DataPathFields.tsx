import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { ToggleField } from '../../components/form.tsx';
import { formatBytes } from '../../format/format.ts';
import { type DataPathDraft, dataPathFromDraft, MAX_PARALLEL_WORKLOADS } from './data-path.ts';
import type { FieldsProps } from './props.ts';

/** A copy job's own bandwidth limit (MB/s) and how many workloads it copies at once. */
export function DataPathFields({ draft, onChange, errors, fieldRef, disabled }: FieldsProps<DataPathDraft>) {
  const set = (patch: Partial<DataPathDraft>) => onChange({ ...draft, ...patch });
  const limit = dataPathFromDraft(draft).throttleBytesPerSecond;
  const throttleError = errors['dataPath.throttleBytesPerSecond'];
  return (
    <Stack spacing={3}>
      <Stack spacing={1.5}>
        <ToggleField
          control="switch"
          label="Limit this job's bandwidth"
          help="Reads from the sources at most this fast. Global traffic rules in Settings apply as well: the lower limit wins."
          checked={draft.throttled}
          onChange={(throttled) => set({ throttled })}
          disabled={disabled}
        />
        {draft.throttled ? (
          <TextField
            label="Limit (MB/s)"
            name="dataPath.throttleBytesPerSecond"
            value={draft.megabytesPerSecond}
            onChange={(event) => set({ megabytesPerSecond: event.target.value })}
            inputRef={fieldRef?.('dataPath.throttleBytesPerSecond')}
            error={Boolean(throttleError)}
            helperText={throttleError ?? (limit !== null && Number.isFinite(limit) ? `${formatBytes(limit)} per second; about ${formatBytes(limit * 3600)} an hour.` : ' ')}
            disabled={disabled}
            required
            autoComplete="off"
            sx={{ maxWidth: 360, ml: { sm: 6.5 } }}
            slotProps={{ htmlInput: { inputMode: 'decimal', maxLength: 12 } }}
          />
        ) : null}
      </Stack>
      <TextField
        label="Workloads copied at once"
        name="dataPath.parallelWorkloads"
        value={draft.parallelWorkloads}
        onChange={(event) => set({ parallelWorkloads: event.target.value })}
        inputRef={fieldRef?.('dataPath.parallelWorkloads')}
        error={Boolean(errors['dataPath.parallelWorkloads'])}
        helperText={errors['dataPath.parallelWorkloads'] ?? `From 1 to ${MAX_PARALLEL_WORKLOADS}. More finish sooner on fast links; fewer are gentler on the sources.`}
        disabled={disabled}
        required
        autoComplete="off"
        sx={{ maxWidth: 360 }}
        slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 3 } }}
      />
    </Stack>
  );
}
