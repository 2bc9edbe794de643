import EventRepeatOutlined from '@mui/icons-material/EventRepeatOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import { type FormEvent, useState } from 'react';
import { request } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';
import { FormFooter } from './FormFooter.tsx';
import { type SchedulerDraft, schedulerDraftFrom, schedulerFromDraft } from './schedulerDraft.ts';
import { NotLoaded } from './NotLoaded.tsx';
import { Row, Section } from './Section.tsx';
import { useDraftForm } from './useDraftForm.ts';
import { useEngineValue } from './useEngineValue.ts';

/** How often immediate copy jobs look for new points, and how many runs share a repository. */
export function SchedulerSection() {
  const connected = useConnection((s) => s.state === 'connected');
  const [draft, setDraft] = useState<SchedulerDraft | null>(null);
  const form = useDraftForm();
  const { loaded, set } = useEngineValue(() => request('scheduler.getSettings', {}), draft !== null);
  const saved = loaded.status === 'ready' ? schedulerDraftFrom(loaded.value) : null;
  const current = draft ?? saved;
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(saved);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    const checked = schedulerFromDraft(current);
    if (!checked.ok) return form.showFields(checked.fields);
    void form.run(async () => {
      set(await request('scheduler.setSettings', checked.value));
      setDraft(null);
      return 'Saved. The scheduler uses it at once.';
    }, 'Not saved');
  };

  const field = (name: keyof SchedulerDraft, label: string, unit: string, help: string) => (
    <TextField
      name={name}
      label={label}
      size="small"
      sx={{ maxWidth: 260 }}
      fullWidth
      value={current?.[name] ?? ''}
      onChange={(event) => {
        setDraft({ ...current!, [name]: event.target.value });
        form.clearField(name);
      }}
      error={form.fields[name] !== undefined}
      helperText={form.fields[name] ?? help}
      disabled={!connected}
      slotProps={{ htmlInput: { inputMode: 'numeric' }, input: { endAdornment: <InputAdornment position="end">{unit}</InputAdornment> } }}
    />
  );

  return (
    <Section title="Scheduler" description="How the engine plans the runs of every job." icon={EventRepeatOutlined}>
      {!current ? (
        <NotLoaded loaded={loaded} what="the scheduler settings" />
      ) : (
        <form ref={form.formRef} noValidate onSubmit={save} aria-label="Scheduler settings">
          <Row label="Rescan interval" hint="Immediate copy jobs read their sources again this often, to find points another machine wrote." top>
            {field('rescanMinutes', 'Rescan every', 'minutes', 'From 1 to 1440 (once a day).')}
          </Row>
          <Row label="Runs per repository" hint="Jobs writing to the same repository at once; the others wait in the queue." top>
            <Box>{field('slotsPerRepository', 'At most', 'at once', 'From 1 to 64.')}</Box>
          </Row>
          <FormFooter outcome={form.outcome}>
            <Button type="submit" variant="contained" loading={form.busy} disabled={!connected || !dirty}>
              Save
            </Button>
          </FormFooter>
        </form>
      )}
    </Section>
  );
}
