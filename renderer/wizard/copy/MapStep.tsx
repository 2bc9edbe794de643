import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { formatBytes, formatCount, formatDateTime } from '../../format/format.ts';
import { useBackups } from '../../store/backups.ts';
import { useJobs } from '../../store/jobs.ts';
import { useRepositories } from '../../store/repositories.ts';
import type { StepProps } from '../WizardDialog.tsx';
import type { CopyDraft } from './draft.ts';
import { mappableBackups } from './sources.ts';

/** Map backup: continue a backup already on the target (a seed moved there by hand) instead of starting a new one. */
export function MapStep(step: StepProps<CopyDraft>) {
  const { draft, update, errors, fieldRef, disabled } = step;
  const backups = useBackups((s) => s.items);
  const jobs = useJobs((s) => s.items);
  const repository = useRepositories((s) => s.items.find((r) => r.id === draft.repositoryId));
  const offered = mappableBackups(backups, draft.repositoryId, draft.jobId, (id) => jobs.some((job) => job.id === id));
  const choices = draft.mapping && !offered.some((b) => b.folder === draft.mapping) ? [draft.mapping, ...offered.map((b) => b.folder)] : offered.map((b) => b.folder);
  const error = errors.mapping;

  return (
    <Box component="fieldset" sx={{ border: 0, m: 0, p: 0 }}>
      <Typography component="legend" variant="body2" sx={{ mb: 1 }}>
        Where in {repository ? `“${repository.name}”` : 'the target'} the copies go
      </Typography>
      <RadioGroup
        name="mapping"
        value={draft.mapping}
        onChange={(event) => update((d) => ({ ...d, mapping: event.target.value }), 'mapping')}
      >
        <FormControlLabel value="" disabled={disabled} control={<Radio slotProps={{ input: { ref: draft.mapping === '' ? fieldRef('mapping') : undefined } }} />} label="A new backup, named after the job" />
        {choices.map((folder) => {
          const backup = offered.find((b) => b.folder === folder);
          return (
            <FormControlLabel
              key={folder}
              value={folder}
              disabled={disabled}
              control={<Radio slotProps={{ input: { ref: draft.mapping === folder ? fieldRef('mapping') : undefined } }} />}
              label={
                backup ? (
                  <span>
                    Continue “{backup.name}” · {formatCount(backup.workloads.length, 'workload', 'workloads')}, {formatBytes(backup.sizeBytes)}, made{' '}
                    {formatDateTime(backup.created)}
                    {backup.encrypted ? ' · encrypted' : ''}
                  </span>
                ) : (
                  `Continue the backup in the folder “${folder}” (not found in the repository now)`
                )
              }
            />
          );
        })}
      </RadioGroup>
      <FormHelperText error={Boolean(error)} sx={{ mx: 0 }}>
        {error ??
          (offered.length === 0
            ? 'No backup on the target can be continued: only a copy job\'s backup that no other job continues can. Move a seed into the repository and rescan it to see it here.'
            : 'Continuing a seed moved there by hand: the first run transfers only what is new since.')}
      </FormHelperText>
    </Box>
  );
}
