import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { FolderField } from '../../components/form.tsx';
import { IconAction } from '../../components/IconAction.tsx';
import { pickFolder } from '../../connection/shell.ts';
import { useConnection } from '../../store/connection.ts';
import { MONO_FONT_STACK } from '../../theme/theme.ts';
import { textField } from '../step-fields.ts';
import type { StepProps } from '../WizardDialog.tsx';
import { type FolderDraft, lines, newWorkload, type WorkloadDraft } from './draft.ts';

const EXCLUDE_HELP = (
  <>
    One pattern per line, e.g. <code>*.tmp</code> (by name, anywhere) or <code>cache/**</code> (a path inside the folder).
  </>
);

const MONO_INPUT = { spellCheck: false, style: { fontFamily: MONO_FONT_STACK, fontSize: '0.875rem' } };

/** Workloads: sets of folders, each backed up into restore points of its own. */
export function WorkloadsStep(step: StepProps<FolderDraft>) {
  const { draft, update, errors, disabled } = step;
  const dataDir = useConnection((s) => s.engine?.dataDir);
  const windows = dataDir !== undefined && !dataDir.startsWith('/');
  const [browseError, setBrowseError] = useState<string | null>(null);
  const workloads = draft.workloads;

  const setWorkload = (index: number, patch: Partial<Omit<WorkloadDraft, 'key'>>) => (d: FolderDraft) => ({
    ...d,
    workloads: d.workloads.map((w, i) => (i === index ? { ...w, ...patch } : w)),
  });
  // Messages are tied to positions: they shift when a workload comes or goes.
  const add = () => update((d) => ({ ...d, workloads: [...d.workloads, newWorkload()] }), 'workloads');
  const remove = (index: number) => update((d) => ({ ...d, workloads: d.workloads.filter((_, i) => i !== index) }), 'workloads');

  const browse = async (index: number) => {
    const workload = workloads[index];
    if (!workload) return;
    setBrowseError(null);
    try {
      const existing = lines(workload.folders);
      const chosen = await pickFolder({
        title: `Choose a folder for ${workload.name.trim() ? `“${workload.name.trim()}”` : 'the workload'}`,
        ...(existing.length > 0 ? { defaultPath: existing.at(-1)! } : {}),
      });
      if (chosen && !existing.includes(chosen)) update(setWorkload(index, { folders: [...existing, chosen].join('\n') }), `workloads.${index}.folders`);
    } catch (error) {
      setBrowseError(`Could not open the folder picker: ${(error as Error).message}`);
    }
  };

  return (
    <Stack spacing={2}>
      {browseError ? (
        <Alert severity="error" onClose={() => setBrowseError(null)}>
          {browseError}
        </Alert>
      ) : null}
      {workloads.map((workload, index) => {
        const label = `Workload ${index + 1}`;
        const path = `workloads.${index}`;
        return (
          <Paper key={workload.key} variant="outlined" role="group" aria-label={label} sx={{ p: 2, pt: 1.5, borderRadius: 2, bgcolor: 'transparent' }}>
            <Box sx={{ display: 'flex', alignItems: 'center', mb: 1.5, minHeight: 32 }}>
              <Typography variant="subtitle2" component="h4" sx={{ flex: 1 }}>
                {label}
              </Typography>
              {workloads.length > 1 ? (
                <IconAction label={`Remove workload ${index + 1}`} title="Remove this workload" icon={<DeleteOutlined fontSize="small" />} onClick={() => remove(index)} disabled={disabled} />
              ) : null}
            </Box>
            <Stack spacing={2}>
              <TextField
                {...textField(step, `${path}.name`, workload.name, (d, name) => setWorkload(index, { name })(d), 'Up to 64 characters, unique in the job.')}
                label="Workload name"
                required
                autoFocus={index > 0 && index === workloads.length - 1 && !workload.name}
                placeholder="e.g. documents"
                sx={{ maxWidth: 360 }}
                slotProps={{ htmlInput: { maxLength: 200, spellCheck: false } }}
              />
              <FolderField onBrowse={() => void browse(index)} disabled={disabled}>
                <TextField
                  {...textField(step, `${path}.folders`, workload.folders, (d, folders) => setWorkload(index, { folders })(d), 'One full path per line. Each folder is backed up with everything inside it.')}
                  label="Folders"
                  required
                  multiline
                  minRows={2}
                  maxRows={8}
                  placeholder={windows ? 'C:\\Users\\me\\Documents' : '/home/me/Documents'}
                  slotProps={{ htmlInput: MONO_INPUT }}
                />
              </FolderField>
              <TextField
                {...textField(step, `${path}.excludes`, workload.excludes, (d, excludes) => setWorkload(index, { excludes })(d), EXCLUDE_HELP)}
                label="Exclusions"
                multiline
                minRows={2}
                maxRows={8}
                placeholder={'*.tmp\ncache/**'}
                slotProps={{ htmlInput: MONO_INPUT }}
              />
            </Stack>
          </Paper>
        );
      })}
      <Box>
        <Button ref={step.fieldRef('workloads')} startIcon={<AddOutlined />} onClick={add} disabled={disabled}>
          Add workload
        </Button>
        {errors.workloads ? (
          <Typography variant="body2" sx={{ color: 'error.main' }}>
            {errors.workloads}
          </Typography>
        ) : null}
      </Box>
    </Stack>
  );
}
