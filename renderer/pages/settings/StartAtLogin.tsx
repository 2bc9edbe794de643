import FormControlLabel from '@mui/material/FormControlLabel';
import Skeleton from '@mui/material/Skeleton';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useState } from 'react';
import type { LoginItemState } from '../../../shared/contract/shell.ts';
import { invokeShell } from '../../connection/shell.ts';
import { Row } from './Section.tsx';

/** "Start at login" (desktop app only): main/login-item.ts behind the shell contract. */
export function StartAtLogin() {
  const [state, setState] = useState<LoginItemState | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const hintId = useId();

  useEffect(() => {
    let live = true;
    invokeShell('shell.getLoginItem', {}).then(
      (loaded) => live && setState(loaded),
      (failure: unknown) => live && setError(`Could not read the setting: ${(failure as Error).message}`),
    );
    return () => {
      live = false;
    };
  }, []);

  const change = (enabled: boolean) => {
    setSaving(true);
    setError(null);
    invokeShell('shell.setLoginItem', { enabled })
      .then(setState, (failure: unknown) => setError(`Could not change the setting: ${(failure as Error).message}`))
      .finally(() => setSaving(false));
  };

  return (
    <Row label="Start at login" hint="Ferry starts in the tray when you sign in, so scheduled jobs run without opening this window.">
      {state ? (
        <FormControlLabel
          control={
            <Switch
              checked={state.enabled}
              disabled={!state.supported || saving}
              onChange={(event) => change(event.target.checked)}
              slotProps={{ input: { 'aria-describedby': hintId } }}
            />
          }
          label={state.enabled ? 'On' : 'Off'}
          slotProps={{ typography: { variant: 'body2' } }}
          aria-label="Start at login"
        />
      ) : error ? null : (
        <Skeleton width={80} />
      )}
      <Typography id={hintId} variant="caption" color={error ? 'error' : 'textSecondary'} component="p" role={error ? 'alert' : undefined}>
        {error ?? state?.note ?? ''}
      </Typography>
    </Row>
  );
}
