import MailOutlined from '@mui/icons-material/MailOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormEvent, useState } from 'react';
import type { MailSettingsView } from '../../../shared/domain/after-run.ts';
import { RevealAdornment } from '../../components/form.tsx';
import { request } from '../../connection/engine.ts';
import { formatCount } from '../../format/format.ts';
import { useConnection } from '../../store/connection.ts';
import { FormFooter } from './FormFooter.tsx';
import { DEFAULT_PORT, type MailDraft, mailDraftFrom, mailFromDraft } from './mailDraft.ts';
import { NotLoaded } from './NotLoaded.tsx';
import { Row, Section } from './Section.tsx';
import { useDraftForm } from './useDraftForm.ts';
import { useEngineValue } from './useEngineValue.ts';

const SECURITY = {
  starttls: 'STARTTLS (usually port 587)',
  tls: 'TLS from the start (usually port 465)',
  none: 'None: plain text (usually port 25)',
} as const;

/** SMTP for the mail reports of job sessions, with a test mail through the saved settings. */
export function MailSection() {
  const connected = useConnection((s) => s.state === 'connected');
  const [draft, setDraft] = useState<MailDraft | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  const form = useDraftForm();
  const { loaded, set } = useEngineValue(() => request('mail.get', {}), draft !== null);
  const saved = loaded.status === 'ready' ? loaded.value : null;
  const current = draft ?? (loaded.status === 'ready' ? mailDraftFrom(saved) : null);
  const dirty = draft !== null && JSON.stringify(draft) !== JSON.stringify(mailDraftFrom(saved));

  const change = <K extends keyof MailDraft>(key: K, value: MailDraft[K]) => {
    if (!current) return;
    const next = { ...current, [key]: value };
    // The usual port follows the security choice, unless another port was typed.
    if (key === 'security' && current.port === String(DEFAULT_PORT[current.security])) next.port = String(DEFAULT_PORT[value as MailDraft['security']]);
    setDraft(next);
    form.clearField(key);
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!current) return;
    const checked = mailFromDraft(current);
    if (!checked.ok) return form.showFields(checked.fields);
    void form.run(async () => {
      const view: MailSettingsView = await request('mail.set', checked.value);
      set(view);
      setDraft(null);
      return 'Saved. Jobs send their reports through this server.';
    }, 'Not saved');
  };

  const test = () =>
    void form.run(async () => {
      const { recipients } = await request('mail.test', {});
      return `A test mail went to ${recipients.join(', ')}. If it does not arrive, check the spam folder and the sender address.`;
    }, 'The test mail was not sent');

  const field = (name: keyof MailDraft, label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField
      name={name}
      label={label}
      size="small"
      fullWidth
      autoComplete="off"
      {...extra}
      value={current ? String(current[name]) : ''}
      onChange={(event) => change(name, event.target.value as never)}
      error={form.fields[name] !== undefined}
      helperText={form.fields[name] ?? extra.helperText}
      disabled={!connected}
    />
  );

  return (
    <Section title="Email" description="Jobs mail a report of their sessions through this SMTP server (which results: in each job)." icon={MailOutlined}>
      {!current ? (
        <NotLoaded loaded={loaded} what="the mail settings" />
      ) : (
        <form ref={form.formRef} noValidate onSubmit={save} aria-label="Email settings">
          <Row label="Reports" hint="Off: nothing is mailed; the settings stay.">
            <FormControlLabel
              label="Send mail reports"
              disabled={!connected}
              control={<Switch checked={current.enabled} onChange={(event) => change('enabled', event.target.checked)} />}
            />
          </Row>
          <Row label="SMTP server" top>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) 180px' }, gap: 2 }}>
              {field('host', 'Server', { placeholder: 'smtp.example.com', helperText: 'Host name or IP address' })}
              {field('port', 'Port', { slotProps: { htmlInput: { inputMode: 'numeric' } } })}
              <Box sx={{ gridColumn: '1 / -1' }}>
                {field('security', 'Security', {
                  select: true,
                  children: Object.entries(SECURITY).map(([value, label]) => (
                    <MenuItem key={value} value={value}>
                      {label}
                    </MenuItem>
                  )),
                })}
              </Box>
            </Box>
          </Row>
          <Row label="Sign in" hint="Leave the user empty when the server takes mail without signing in." top>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
              {field('user', 'User')}
              {field('password', 'Password', {
                type: showPassword ? 'text' : 'password',
                autoComplete: 'new-password',
                helperText: saved?.passwordStored ? 'A password is stored; enter one only to replace it.' : 'Stored in the engine’s secret store, never shown again.',
                slotProps: { input: { endAdornment: <RevealAdornment shown={showPassword} onToggle={() => setShowPassword(!showPassword)} what="the password" /> } },
              })}
            </Box>
          </Row>
          <Row label="Addresses" top>
            <Box sx={{ display: 'grid', gap: 2 }}>
              {field('sender', 'Sender', { placeholder: 'ferry@example.com', helperText: 'The From address; many servers accept only their own.' })}
              {field('recipients', 'Recipients', {
                multiline: true,
                minRows: 2,
                placeholder: 'admin@example.com',
                helperText: 'One address per line (or separated by commas).',
              })}
            </Box>
          </Row>
          <FormFooter outcome={form.outcome}>
            <Button type="submit" variant="contained" loading={form.busy} disabled={!connected || !dirty}>
              Save
            </Button>
            <Button variant="outlined" startIcon={<SendOutlined />} onClick={test} disabled={!connected || form.busy || dirty || saved === null}>
              Send test mail
            </Button>
            <Typography variant="caption" color="textSecondary">
              {saved === null
                ? 'Save the settings first: the test mail uses the saved ones.'
                : dirty
                  ? 'Save the changes first: the test mail uses the saved settings.'
                  : `The test goes to ${formatCount(saved.recipients.length, 'recipient', 'recipients')}.`}
            </Typography>
          </FormFooter>
        </form>
      )}
    </Section>
  );
}
