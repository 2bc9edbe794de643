import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useMemo, useState } from 'react';
import type { CopyPreviewRow, CopySource } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { DataRow, DataTable, NumberCell } from '../../components/DataTable.tsx';
import { IconAction } from '../../components/IconAction.tsx';
import { request } from '../../connection/engine.ts';
import { formatBytes, formatCount, formatDateTime, formatNumber } from '../../format/format.ts';
import { useBackups } from '../../store/backups.ts';
import { useJobs } from '../../store/jobs.ts';
import { useRepositories } from '../../store/repositories.ts';
import type { StepProps } from '../WizardDialog.tsx';
import { type CopyDraft, withKey } from './draft.ts';
import { describeSource, firstRunBound, sameSource, type SourceNames } from './sources.ts';

type SourceKind = CopySource['kind'];

const KIND_LABELS: Record<SourceKind, string> = { job: 'Job', backup: 'Backup', workload: 'Workload', repository: 'Repository' };

/** The names the page knows, for sources in words. */
export function useSourceNames(): SourceNames {
  const jobs = useJobs((s) => s.items);
  const repositories = useRepositories((s) => s.items);
  const backups = useBackups((s) => s.items);
  return useMemo(
    () => ({
      job: (id) => jobs.find((job) => job.id === id)?.name,
      repository: (id) => repositories.find((repository) => repository.id === id)?.name,
      backup: (repositoryId, backupId) => backups.find((b) => b.repositoryId === repositoryId && b.backupId === backupId),
    }),
    [jobs, repositories, backups],
  );
}

/** Objects: where the copy takes restore points from, what it leaves out, and what that means now. */
export function ObjectsStep(step: StepProps<CopyDraft>) {
  const { draft, update, errors, fieldRef, disabled } = step;
  const names = useSourceNames();
  const backups = useBackups((s) => s.items);
  const workloadNames = useMemo(() => [...new Set(backups.flatMap((b) => b.workloads.map((w) => w.name)))].sort(), [backups]);

  const add = (source: CopySource) => update((d) => ({ ...d, sources: [...d.sources, withKey(source)] }), 'sources');
  const remove = (key: number) => update((d) => ({ ...d, sources: d.sources.filter((s) => s.key !== key) }), 'sources');

  return (
    <Stack spacing={3}>
      <Box>
        <Typography variant="subtitle2" component="h4" sx={{ mb: 1 }}>
          Sources
        </Typography>
        {draft.sources.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
            No source yet: add one below.
          </Typography>
        ) : (
          <Paper variant="outlined" component="ul" aria-label="Sources" sx={{ listStyle: 'none', m: 0, mb: 1, p: 0, bgcolor: 'transparent', '& > li + li': { borderTop: 1, borderColor: 'divider' } }}>
            {draft.sources.map((source, index) => {
              const words = describeSource(source, names);
              const error = errors[`sources.${index}`];
              return (
                <Box component="li" key={source.key} sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 1 }}>
                  <Box sx={{ flex: 1, minWidth: 0 }}>
                    <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                      {words.title}
                    </Typography>
                    <Typography variant="body2" sx={{ color: 'text.secondary', overflowWrap: 'anywhere' }}>
                      {words.detail}
                    </Typography>
                    {error ? (
                      <FormHelperText error sx={{ mx: 0 }}>
                        {error}
                      </FormHelperText>
                    ) : null}
                  </Box>
                  <Box ref={fieldRef(`sources.${index}`)} tabIndex={-1} sx={{ outline: 'none' }}>
                    <IconAction label={`Remove source ${words.title}`} title="Remove this source" icon={<DeleteOutlined fontSize="small" />} onClick={() => remove(source.key)} disabled={disabled} />
                  </Box>
                </Box>
              );
            })}
          </Paper>
        )}
        <SourcePicker self={draft.jobId} existing={draft.sources} onAdd={add} disabled={disabled} error={errors.sources} fieldRef={fieldRef('sources')} workloadNames={workloadNames} />
      </Box>

      <Autocomplete
        multiple
        freeSolo
        options={workloadNames}
        value={draft.exclusions}
        disabled={disabled}
        onChange={(_event, value) => update((d) => ({ ...d, exclusions: [...new Set(value.map((v) => v.trim()).filter(Boolean))] }), 'exclusions')}
        renderInput={(params) => (
          <TextField
            {...params}
            name="exclusions"
            label="Excluded workloads"
            inputRef={fieldRef('exclusions')}
            error={Boolean(errors.exclusions ?? Object.keys(errors).find((k) => k.startsWith('exclusions.')))}
            helperText={errors.exclusions ?? Object.entries(errors).find(([k]) => k.startsWith('exclusions.'))?.[1] ?? 'Workloads never copied, whichever source brings them. Type a name and press Enter.'}
          />
        )}
      />

      <Preview draft={draft} />
    </Stack>
  );
}

function SourcePicker({
  self,
  existing,
  onAdd,
  disabled,
  error,
  fieldRef,
  workloadNames,
}: {
  /** The job being edited: not a source of itself. */
  self: string | null;
  existing: readonly CopySource[];
  onAdd: (source: CopySource) => void;
  disabled: boolean;
  error: string | undefined;
  fieldRef: (element: HTMLElement | null) => void;
  workloadNames: readonly string[];
}) {
  const allJobs = useJobs((s) => s.items);
  const jobs = useMemo(() => allJobs.filter((job) => job.id !== self), [allJobs, self]);
  const repositories = useRepositories((s) => s.items);
  const backups = useBackups((s) => s.items);
  const [kind, setKind] = useState<SourceKind>('job');
  const [choice, setChoice] = useState('');
  const [chosenWorkloads, setChosenWorkloads] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const kindId = useId();
  const errorId = useId();

  const backup = kind === 'backup' ? backups.find((b) => `${b.repositoryId}/${b.backupId}` === choice) : undefined;
  const repositoryName = (id: string) => repositories.find((r) => r.id === id)?.name ?? 'a removed repository';

  const sourceOfChoice = (): CopySource | string => {
    const picked = choice.trim();
    if (!picked) return `Choose a ${KIND_LABELS[kind].toLowerCase()} first.`;
    switch (kind) {
      case 'job':
        return { kind: 'job', jobId: picked };
      case 'backup':
        return backup ? { kind: 'backup', repositoryId: backup.repositoryId, backupId: backup.backupId, workloads: chosenWorkloads } : 'Choose a backup first.';
      case 'workload':
        return picked.length > 64 ? 'A workload name has at most 64 characters.' : { kind: 'workload', workload: picked };
      case 'repository':
        return { kind: 'repository', repositoryId: picked };
    }
  };

  const addChoice = () => {
    const source = sourceOfChoice();
    if (typeof source === 'string') return setProblem(source);
    if (existing.some((other) => sameSource(other, source))) return setProblem('This source is already in the list.');
    onAdd(source);
    setChoice('');
    setChosenWorkloads([]);
    setProblem(null);
  };

  const shownError = problem ?? error;
  const selectProps = {
    select: true,
    fullWidth: true,
    value: choice,
    disabled,
    onChange: (event: { target: { value: string } }) => {
      setChoice(event.target.value);
      setChosenWorkloads([]);
      setProblem(null);
    },
  } as const;

  let picker;
  switch (kind) {
    case 'job':
      picker =
        jobs.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            No job yet: make a folder backup job first, or add a backup or a repository as the source.
          </Typography>
        ) : (
          <TextField {...selectProps} label="Job" helperText="Every workload of the job, as the job changes.">
            {jobs.map((job) => (
              <MenuItem key={job.id} value={job.id}>
                {job.name} · {job.kind === 'backup-copy' ? 'backup copy' : 'folder backup'} to {repositoryName(job.repositoryId)}
              </MenuItem>
            ))}
          </TextField>
        );
      break;
    case 'backup':
      picker = (
        <Stack spacing={1.5}>
          {backups.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              No backup is known yet: run a job, or rescan a repository on the Repositories page.
            </Typography>
          ) : (
            <TextField {...selectProps} label="Backup" helperText="A backup found in a repository, made here or elsewhere.">
              {backups.map((b) => (
                <MenuItem key={`${b.repositoryId}/${b.backupId}`} value={`${b.repositoryId}/${b.backupId}`}>
                  {b.name} on {repositoryName(b.repositoryId)} · {formatCount(b.workloads.length, 'workload', 'workloads')}
                </MenuItem>
              ))}
            </TextField>
          )}
          {backup ? (
            <Box component="fieldset" sx={{ border: 0, m: 0, p: 0 }}>
              <FormLabel component="legend" sx={{ typography: 'body2' }}>
                Workloads to copy (none chosen: every workload, including ones added later)
              </FormLabel>
              <FormGroup row>
                {backup.workloads.map((w) => (
                  <FormControlLabel
                    key={w.name}
                    label={w.name}
                    control={
                      <Checkbox
                        checked={chosenWorkloads.includes(w.name)}
                        onChange={(event) => setChosenWorkloads((list) => (event.target.checked ? [...list, w.name] : list.filter((n) => n !== w.name)))}
                      />
                    }
                  />
                ))}
              </FormGroup>
            </Box>
          ) : null}
        </Stack>
      );
      break;
    case 'workload':
      picker = (
        <Autocomplete
          freeSolo
          options={workloadNames}
          inputValue={choice}
          disabled={disabled}
          onInputChange={(_event, value) => {
            setChoice(value);
            setProblem(null);
          }}
          onKeyDown={(event) => {
            if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
            // Enter adds the typed workload; it would otherwise submit the step and leave the name behind.
            event.preventDefault();
            event.defaultMuiPrevented = true;
            addChoice();
          }}
          renderInput={(params) => <TextField {...params} label="Workload" helperText="Its newest restore point, from whichever backup has it." />}
        />
      );
      break;
    case 'repository':
      picker = (
        <TextField {...selectProps} label="Repository" helperText="Every backup in it, including ones that appear later.">
          {repositories.map((r) => (
            <MenuItem key={r.id} value={r.id}>
              {r.name}
            </MenuItem>
          ))}
        </TextField>
      );
      break;
  }

  return (
    <Paper variant="outlined" role="group" aria-labelledby={kindId} sx={{ p: 2, borderRadius: 2, bgcolor: 'transparent', borderColor: shownError ? 'error.main' : undefined }}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ alignItems: { md: 'center' }, mb: 2 }}>
        <Typography id={kindId} variant="body2" sx={{ fontWeight: 600 }}>
          Add a source from
        </Typography>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={kind}
          disabled={disabled}
          aria-label="Kind of source"
          onChange={(_event, value: SourceKind | null) => {
            if (!value) return;
            setKind(value);
            setChoice('');
            setChosenWorkloads([]);
            setProblem(null);
          }}
        >
          {(['job', 'backup', 'workload', 'repository'] as const).map((k) => (
            <ToggleButton key={k} value={k} sx={{ px: 1.5, textTransform: 'none' }}>
              {k === 'job' ? 'Jobs' : k === 'backup' ? 'Backups' : k === 'workload' ? 'Infrastructure (workload)' : 'Repositories'}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ alignItems: 'flex-start' }}>
        <Box sx={{ flex: 1, minWidth: 0, width: '100%' }}>{picker}</Box>
        <Button
          ref={fieldRef}
          variant="outlined"
          startIcon={<AddOutlined />}
          onClick={addChoice}
          disabled={disabled}
          aria-describedby={shownError ? errorId : undefined}
          sx={{ height: 56, flexShrink: 0 }}
        >
          Add source
        </Button>
      </Stack>
      {shownError ? (
        <FormHelperText id={errorId} error sx={{ mx: 0, mt: 1 }}>
          {shownError}
        </FormHelperText>
      ) : null}
    </Paper>
  );
}

const PREVIEW_COLUMNS = [{ label: 'Workload' }, { label: 'From' }, { label: 'Restore points', align: 'right' as const }, { label: 'Newest' }, { label: 'Copied' }];

/** The live table of the workloads the job would process now (jobs.previewCopy), and how much the first run moves at most. */
function Preview({ draft }: { draft: CopyDraft }) {
  const backups = useBackups((s) => s.items);
  const repositories = useRepositories((s) => s.items);
  const [rows, setRows] = useState<CopyPreviewRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useMemo(
    () => ({
      sources: draft.sources.map(({ key: _key, ...source }) => source),
      exclusions: draft.exclusions,
      ...(draft.repositoryId ? { repositoryId: draft.repositoryId } : {}),
    }),
    [draft.sources, draft.exclusions, draft.repositoryId],
  );

  useEffect(() => {
    if (input.sources.length === 0) {
      setRows([]);
      setError(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request('jobs.previewCopy', input, { signal: controller.signal })
        .then((answer) => {
          setRows(answer);
          setError(null);
        })
        .catch((caught: FerryError) => {
          if (caught.code !== 'cancelled') setError(caught.message);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [input, backups]);

  const copied = rows?.filter((row) => row.skipped === null) ?? [];
  const bound = rows ? firstRunBound(rows, backups) : 0;
  const repositoryName = (id: string) => repositories.find((r) => r.id === id)?.name ?? 'a removed repository';

  return (
    <Box>
      <Typography variant="subtitle2" component="h4" sx={{ mb: 0.5 }}>
        What the job would copy now
      </Typography>
      <Typography variant="body2" role="status" sx={{ color: 'text.secondary', mb: 1 }}>
        {input.sources.length === 0
          ? 'Add a source to see the workloads it brings.'
          : rows === null
            ? 'Looking at the sources…'
            : copied.length === 0
              ? 'No workload would be copied now.'
              : `${formatCount(copied.length, 'workload', 'workloads')} would be copied; the first run moves at most ${formatBytes(bound)} (the stored size of the backups they come from: chunks the target already has are not moved again).`}
      </Typography>
      {error ? <Alert severity="error">{`The preview failed: ${error}`}</Alert> : null}
      {rows && rows.length > 0 ? (
        <DataTable label="Workloads the job would process" columns={PREVIEW_COLUMNS} minWidth={560} dense>
          {rows.map((row) => (
            <DataRow key={`${row.repositoryId}/${row.folder}/${row.workload}`}>
              <TableCell sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>{row.workload || 'Every workload'}</TableCell>
              <TableCell sx={{ overflowWrap: 'anywhere' }}>
                {row.backupName} on {repositoryName(row.repositoryId)}
              </TableCell>
              <NumberCell>{formatNumber(row.points)}</NumberCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{row.newest ? formatDateTime(row.newest) : 'None yet'}</TableCell>
              <TableCell sx={{ color: row.skipped ? 'text.secondary' : 'success.main' }}>{row.skipped ? `No: ${row.skipped}` : 'Yes'}</TableCell>
            </DataRow>
          ))}
        </DataTable>
      ) : null}
    </Box>
  );
}
