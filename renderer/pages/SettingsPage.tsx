import DesktopWindowsOutlined from '@mui/icons-material/DesktopWindowsOutlined';
import DnsOutlined from '@mui/icons-material/DnsOutlined';
import PaletteOutlined from '@mui/icons-material/PaletteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { type ReactNode, useEffect, useId, useState } from 'react';
import type { LoginItemState } from '../../shared/contract/shell.ts';
import { isDesktop } from '../connection/bridge.ts';
import { invokeShell } from '../connection/shell.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import type { IconComponent } from '../components/Illustration.tsx';
import { reconnectNow } from '../connection/engine.ts';
import { formatDateTime } from '../format/format.ts';
import { useConnection } from '../store/connection.ts';
import { selectMode, setThemeMode, useThemeStore } from '../store/theme.ts';
import { connectionLabel } from '../shell/ConnectionBadge.tsx';
import { MONO_FONT_STACK } from '../theme/theme.ts';

function Section({
  title,
  description,
  icon: Icon,
  children,
}: {
  title: string;
  description: string;
  icon: IconComponent;
  children: ReactNode;
}) {
  const theme = useTheme();
  const headingId = useId();
  return (
    <Card component="section" aria-labelledby={headingId}>
      <Box sx={{ display: 'flex', gap: 1.75, alignItems: 'flex-start', px: 2.5, pt: 2.25, pb: 2 }}>
        <Box
          sx={{
            width: 36,
            height: 36,
            borderRadius: 1.5,
            display: 'grid',
            placeItems: 'center',
            flexShrink: 0,
            color: 'primary.main',
            bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.18 : 0.1),
          }}
        >
          <Icon sx={{ fontSize: 20 }} />
        </Box>
        <Box>
          <Typography variant="h6" component="h2" id={headingId}>
            {title}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {description}
          </Typography>
        </Box>
      </Box>
      <Divider />
      <Box sx={{ px: 2.5, py: 1 }}>{children}</Box>
    </Card>
  );
}

function Row({ label, hint, children }: { label: ReactNode; hint?: string; children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: '260px minmax(0, 1fr)' },
        gap: { xs: 0.5, sm: 3 },
        py: 1.5,
        alignItems: 'center',
        '& + &': { borderTop: 1, borderColor: 'divider' },
      }}
    >
      <Box>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {label}
        </Typography>
        {hint ? (
          <Typography variant="caption" color="textSecondary">
            {hint}
          </Typography>
        ) : null}
      </Box>
      <Box sx={{ minWidth: 0 }}>{children}</Box>
    </Box>
  );
}

function Value({ children, mono }: { children: ReactNode; mono?: boolean }) {
  return (
    <Typography
      variant="body2"
      sx={{
        overflowWrap: 'anywhere',
        ...(mono && { fontFamily: MONO_FONT_STACK, fontSize: '0.8125rem' }),
      }}
    >
      {children}
    </Typography>
  );
}

/** "Start at login" (desktop app only): main/login-item.ts behind the shell contract. */
function StartAtLogin() {
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

const HOST_DESCRIPTIONS = {
  electron: 'Desktop app (runs alongside this window)',
  serve: 'Headless host (serves this console over HTTP)',
  cli: 'Command line',
} as const;

export function SettingsPage() {
  const mode = useThemeStore(selectMode);
  const preference = useThemeStore((s) => s.preference);
  const system = useThemeStore((s) => s.system);
  const state = useConnection((s) => s.state);
  const engine = useConnection((s) => s.engine);
  const transport = useConnection((s) => s.transport);
  const accessRefused = useConnection((s) => s.accessRefused);
  const tone = state === 'connected' ? 'success' : state === 'connecting' ? 'warning' : 'error';

  return (
    <>
      <PageHeader title="Settings" description="How the console looks, and which engine it manages." />
      <Stack spacing={3} sx={{ maxWidth: 880 }}>
        <Section title="Appearance" description="Stored in this browser or app window." icon={PaletteOutlined}>
          <Row label="Dark mode" hint="Easier on the eyes in a dim room.">
            <FormControlLabel
              control={
                <Switch checked={mode === 'dark'} onChange={(event) => setThemeMode(event.target.checked ? 'dark' : 'light')} />
              }
              label={mode === 'dark' ? 'On' : 'Off'}
              slotProps={{ typography: { variant: 'body2' } }}
              aria-label="Dark mode"
            />
          </Row>
          <Row label="Match the system" hint={`The system currently prefers ${system} mode.`}>
            <FormControlLabel
              control={
                <Switch
                  checked={preference === null}
                  onChange={(event) => setThemeMode(event.target.checked ? null : mode)}
                />
              }
              label={preference === null ? 'On: follows the system setting' : 'Off'}
              slotProps={{ typography: { variant: 'body2' } }}
            />
          </Row>
        </Section>

        {isDesktop ? (
          <Section
            title="Desktop app"
            description="Closing the window keeps Ferry and its scheduled jobs running; open or quit it from the tray icon."
            icon={DesktopWindowsOutlined}
          >
            <StartAtLogin />
          </Section>
        ) : null}

        <Section
          title="Engine"
          description="The engine runs the jobs and keeps the catalog in its data folder."
          icon={DnsOutlined}
        >
          <Row label="Connection">
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <Chip size="small" color={tone} variant="outlined" label={connectionLabel(state, engine, accessRefused)} />
              {state !== 'connected' ? (
                <Button size="small" onClick={reconnectNow}>
                  Retry now
                </Button>
              ) : null}
            </Stack>
          </Row>
          <Row label="Data folder" hint="Catalog, settings and the default repository.">
            {engine ? <Value mono>{engine.dataDir}</Value> : <Skeleton width="60%" />}
          </Row>
          <Row label="Version">{engine ? <Value>{engine.version}</Value> : <Skeleton width={80} />}</Row>
          <Row label="Host">
            {engine ? (
              <Value>
                {HOST_DESCRIPTIONS[engine.host]}{' '}
                <Typography component="span" variant="body2" color="textSecondary">
                  ({engine.host})
                </Typography>
              </Value>
            ) : (
              <Skeleton width="50%" />
            )}
          </Row>
          <Row label="Running since">
            {engine ? <Value>{formatDateTime(engine.startedAt)}</Value> : <Skeleton width={160} />}
          </Row>
          <Row label="Transport">
            <Value>{transport === 'electron' ? 'Electron message port' : 'WebSocket'}</Value>
          </Row>
        </Section>
      </Stack>
    </>
  );
}
