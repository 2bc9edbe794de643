import KeyOutlined from '@mui/icons-material/KeyOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { type FormEvent, useState } from 'react';
import { connectWithLink } from '../connection/engine.ts';
import { useConnection } from '../store/connection.ts';

/**
 * Shown when the `serve` host refuses this page's session (it was restarted, or its
 * access rotated): asks for the new link it printed and takes it without a reload.
 */
export function AccessPrompt() {
  const refused = useConnection((s) => s.accessRefused);
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!refused) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    connectWithLink(link).then(
      () => setBusy(false),
      (failure: unknown) => {
        setBusy(false);
        setError((failure as Error).message);
      },
    );
  };

  return (
    <Alert severity="warning" icon={<KeyOutlined />} sx={{ mb: 3 }} role="alert">
      <AlertTitle>This console needs the new link</AlertTitle>
      The Ferry host no longer accepts this page&apos;s session: <code>ferry serve</code> was restarted or its access was
      renewed. Paste the link it printed last (after &ldquo;Ferry console:&rdquo;) to connect again; this page stays as it is.
      <Box component="form" onSubmit={submit} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 1.5, flexWrap: 'wrap' }}>
        <TextField
          size="small"
          label="New link"
          placeholder="http://127.0.0.1:8080/?token=…"
          value={link}
          onChange={(event) => setLink(event.target.value)}
          error={error !== null}
          helperText={error ?? ' '}
          autoComplete="off"
          sx={{ flex: '1 1 360px', '& .MuiInputBase-root': { bgcolor: 'background.paper' } }}
        />
        <Button type="submit" variant="contained" disabled={busy || link.trim() === ''}>
          Connect
        </Button>
      </Box>
    </Alert>
  );
}
