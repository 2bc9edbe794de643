import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import SpeedOutlined from '@mui/icons-material/SpeedOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { type FormEvent, useState } from 'react';
import { request } from '../../connection/engine.ts';
import { formatNumber, formatTimeOfDay } from '../../format/format.ts';
import { useConnection } from '../../store/connection.ts';
import { useRepositories } from '../../store/repositories.ts';
import { FormFooter } from './FormFooter.tsx';
import { NotLoaded } from './NotLoaded.tsx';
import { Section } from './Section.tsx';
import { ANY, newTrafficRule, type TrafficRuleDraft, trafficDraftFrom, trafficFromDraft } from './trafficDraft.ts';
import { useDraftForm } from './useDraftForm.ts';
import { useEngineValue } from './useEngineValue.ts';

const ALL_DAY = 'all-day';
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** "14:00" in the OS locale's way of writing a time of day. */
function hourLabel(hour: number): string {
  return formatTimeOfDay(new Date(2000, 0, 1, hour % 24));
}

/** An hour of the day; as an `end`, midnight is 24 (the end of the day). */
function HourSelect({ label, value, onChange, disabled, end }: { label: string; value: number; onChange: (hour: number) => void; disabled: boolean; end?: boolean }) {
  return (
    <TextField select label={label} size="small" sx={{ flex: 1, minWidth: 104 }} value={value} onChange={(event) => onChange(Number(event.target.value))} disabled={disabled}>
      {HOURS.map((hour) => (
        <MenuItem key={hour} value={end && hour === 0 ? 24 : hour}>
          {hourLabel(hour)}
        </MenuItem>
      ))}
    </TextField>
  );
}

function RuleEditor({
  rule,
  index,
  fields,
  disabled,
  onChange,
  onRemove,
}: {
  rule: TrafficRuleDraft;
  index: number;
  fields: Record<string, string>;
  disabled: boolean;
  onChange: (rule: TrafficRuleDraft) => void;
  onRemove: () => void;
}) {
  const repositories = useRepositories((s) => s.items);
  const known = new Set(repositories.map((repository) => repository.id));
  const name = (field: string) => `${index}.${field}`;
  const repositoryField = (field: 'from' | 'to', label: string) => (
    <TextField
      select
      name={name(field)}
      label={label}
      size="small"
      fullWidth
      value={rule[field]}
      onChange={(event) => onChange({ ...rule, [field]: event.target.value })}
      error={fields[name(field)] !== undefined}
      helperText={fields[name(field)]}
      disabled={disabled}
    >
      <MenuItem value={ANY}>Any repository</MenuItem>
      {repositories.map((repository) => (
        <MenuItem key={repository.id} value={repository.id}>
          {repository.name}
        </MenuItem>
      ))}
      {rule[field] !== ANY && !known.has(rule[field]) ? <MenuItem value={rule[field]}>A removed repository</MenuItem> : null}
    </TextField>
  );
  return (
    <Paper variant="outlined" role="group" aria-label={`Rule ${formatNumber(index + 1)}`} sx={{ p: 2, display: 'flex', gap: 1, alignItems: 'flex-start' }}>
      <Box sx={{ flex: 1, minWidth: 0, display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px minmax(0, 1fr)' }, gap: 2 }}>
        <Box sx={{ gridColumn: '1 / -1', display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
          {repositoryField('from', 'From')}
          {repositoryField('to', 'To')}
        </Box>
        <TextField
          name={name('limit')}
          label="Limit"
          size="small"
          fullWidth
          value={rule.limit}
          onChange={(event) => onChange({ ...rule, limit: event.target.value })}
          error={fields[name('limit')] !== undefined}
          helperText={fields[name('limit')] ?? 'Shared by every copy between them'}
          disabled={disabled}
          slotProps={{ htmlInput: { inputMode: 'decimal' }, input: { endAdornment: <InputAdornment position="end">MB/s</InputAdornment> } }}
        />
        <Box sx={{ display: 'flex', gap: 1, minWidth: 0 }}>
          <TextField
            select
            name={name('hours')}
            label="When"
            size="small"
            sx={{ flex: rule.hours ? '0 0 120px' : 1 }}
            value={rule.hours ? 'hours' : ALL_DAY}
            onChange={(event) => onChange({ ...rule, hours: event.target.value === ALL_DAY ? null : { from: 8, to: 18 } })}
            error={fields[name('hours')] !== undefined}
            helperText={fields[name('hours')]}
            disabled={disabled}
          >
            <MenuItem value={ALL_DAY}>All day</MenuItem>
            <MenuItem value="hours">Between</MenuItem>
          </TextField>
          {rule.hours ? (
            <>
              <HourSelect label="Start" value={rule.hours.from} onChange={(from) => onChange({ ...rule, hours: { from, to: rule.hours!.to } })} disabled={disabled} />
              <HourSelect label="End" value={rule.hours.to} onChange={(to) => onChange({ ...rule, hours: { from: rule.hours!.from, to } })} disabled={disabled} end />
            </>
          ) : null}
        </Box>
      </Box>
      <Tooltip title="Remove this rule">
        <span>
          <IconButton aria-label={`Remove rule ${formatNumber(index + 1)}`} onClick={onRemove} disabled={disabled}>
            <DeleteOutlineOutlined />
          </IconButton>
        </span>
      </Tooltip>
    </Paper>
  );
}

/** Global limits on copies between two repositories (either may be any), all day or in chosen hours. */
export function TrafficSection() {
  const connected = useConnection((s) => s.state === 'connected');
  const [drafts, setDrafts] = useState<TrafficRuleDraft[] | null>(null);
  const form = useDraftForm();
  const { loaded, set } = useEngineValue(() => request('traffic.list', {}), drafts !== null);
  const saved = loaded.status === 'ready' ? trafficDraftFrom(loaded.value) : null;
  const current = drafts ?? saved;
  const dirty = drafts !== null && JSON.stringify(drafts) !== JSON.stringify(saved);

  const update = (next: TrafficRuleDraft[]) => {
    setDrafts(next);
    if (Object.keys(form.fields).length > 0) form.showFields({});
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    const checked = trafficFromDraft(current);
    if (!checked.ok) return form.showFields(checked.fields);
    void form.run(async () => {
      const rules = await request('traffic.set', { rules: checked.value });
      set(rules);
      setDrafts(null);
      return rules.length === 0 ? 'Saved: no global limits.' : 'Saved. Running copies follow the new limits at once.';
    }, 'Not saved', (key) => key.replace(/^rules\./, '').replace('bytesPerSecond', 'limit'));
  };

  return (
    <Section
      title="Traffic rules"
      description="Limit how fast copies move data between repositories, for example over a slow link to a branch office. A job can also limit itself."
      icon={SpeedOutlined}
    >
      {!current ? (
        <NotLoaded loaded={loaded} what="the traffic rules" />
      ) : (
        <form ref={form.formRef} noValidate onSubmit={save} aria-label="Traffic rules">
          <Box sx={{ display: 'grid', gap: 1.5, py: 1.5 }}>
            {current.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                No rules: copies move as fast as the repositories and each job’s own limit allow. Add a rule to limit the traffic between two repositories.
              </Typography>
            ) : (
              current.map((rule, index) => (
                <RuleEditor
                  key={rule.id}
                  rule={rule}
                  index={index}
                  fields={form.fields}
                  disabled={!connected}
                  onChange={(next) => update(current.map((candidate) => (candidate.id === rule.id ? next : candidate)))}
                  onRemove={() => update(current.filter((candidate) => candidate.id !== rule.id))}
                />
              ))
            )}
            <Box>
              <Button startIcon={<AddOutlined />} onClick={() => update([...current, newTrafficRule()])} disabled={!connected || current.length >= 100}>
                Add rule
              </Button>
            </Box>
          </Box>
          <FormFooter outcome={form.outcome}>
            <Button type="submit" variant="contained" loading={form.busy} disabled={!connected || !dirty}>
              Save rules
            </Button>
            {dirty ? (
              <Button onClick={() => update(saved ?? [])} disabled={form.busy}>
                Undo changes
              </Button>
            ) : null}
          </FormFooter>
        </form>
      )}
    </Section>
  );
}
