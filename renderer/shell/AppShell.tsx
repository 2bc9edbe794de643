import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import MenuOutlined from '@mui/icons-material/MenuOutlined';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import Fade from '@mui/material/Fade';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import { type MouseEvent, type ReactNode, useState } from 'react';
import { selectBusy, useConnection } from '../store/connection.ts';
import { selectMode, toggleThemeMode, useThemeStore } from '../store/theme.ts';
import { NAV_WIDTH } from '../theme/theme.ts';
import { AccessPrompt } from './AccessPrompt.tsx';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { FerryMark } from './FerryMark.tsx';
import { Navigation } from './Navigation.tsx';

export const MAIN_ID = 'main-content';

/** Under the app bar while any request to the engine is pending; appears after a short delay. */
function ActivityIndicator() {
  const busy = useConnection(selectBusy);
  return (
    <Fade in={busy} style={{ transitionDelay: busy ? '150ms' : '0ms' }} unmountOnExit>
      <LinearProgress
        aria-label="Working…"
        color="secondary"
        sx={{ position: 'absolute', left: 0, right: 0, bottom: 0, height: 3, borderRadius: 0 }}
      />
    </Fade>
  );
}

function SkipLink() {
  return (
    <Box
      component="a"
      href={`#${MAIN_ID}`}
      onClick={(event: MouseEvent) => {
        // Hash links route pages here: move focus without touching the route.
        event.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
      sx={{
        position: 'absolute',
        left: 8,
        top: -48,
        zIndex: (t) => t.zIndex.tooltip + 1,
        px: 2,
        py: 1,
        borderRadius: 1,
        bgcolor: 'background.paper',
        color: 'text.primary',
        boxShadow: 3,
        '&:focus': { top: 8 },
      }}
    >
      Skip to content
    </Box>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'), { noSsr: true });
  const [drawerOpen, setDrawerOpen] = useState(false);
  const mode = useThemeStore(selectMode);

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh', bgcolor: 'background.default' }}>
      <SkipLink />
      <AppBar
        position="fixed"
        elevation={0}
        sx={{
          zIndex: (t) => t.zIndex.drawer + 1,
          bgcolor: 'appBar.background',
          color: 'appBar.text',
          borderBottom: `1px solid ${theme.palette.appBar.border}`,
        }}
      >
        <Toolbar variant="dense" sx={{ gap: 1.5, minHeight: 56, px: { xs: 1.5, sm: 2.5 } }}>
          {!wide ? (
            <IconButton
              color="inherit"
              edge="start"
              aria-label="Open navigation"
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            >
              <MenuOutlined />
            </IconButton>
          ) : null}
          <Box
            component="a"
            href="#/"
            aria-label="Ferry"
            sx={{ display: 'flex', alignItems: 'center', gap: 1.25, color: 'inherit', textDecoration: 'none', borderRadius: 1, '&:focus-visible': { outline: `2px solid ${alpha('#fff', 0.8)}`, outlineOffset: 2 } }}
          >
            <FerryMark size={28} />
            <Typography component="span" sx={{ fontWeight: 700, fontSize: '1.125rem', letterSpacing: '-0.01em' }}>
              Ferry
            </Typography>
          </Box>
          <Box sx={{ flex: 1 }} />
          <ConnectionBadge />
          <Tooltip title={mode === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}>
            <IconButton color="inherit" aria-label="Toggle dark mode" aria-pressed={mode === 'dark'} onClick={toggleThemeMode}>
              {mode === 'dark' ? <LightModeOutlined /> : <DarkModeOutlined />}
            </IconButton>
          </Tooltip>
        </Toolbar>
        <ActivityIndicator />
      </AppBar>

      <Drawer
        variant={wide ? 'permanent' : 'temporary'}
        open={wide || drawerOpen}
        onClose={() => setDrawerOpen(false)}
        sx={{
          width: wide ? NAV_WIDTH : 0,
          flexShrink: 0,
          '& .MuiDrawer-paper': {
            width: NAV_WIDTH,
            boxSizing: 'border-box',
            borderRightColor: 'divider',
            bgcolor: 'background.paper',
          },
        }}
      >
        <Toolbar variant="dense" sx={{ minHeight: 56 }} />
        <Navigation {...(wide ? {} : { onNavigate: () => setDrawerOpen(false) })} />
      </Drawer>

      <Box
        component="main"
        id={MAIN_ID}
        tabIndex={-1}
        sx={{ flex: 1, minWidth: 0, outline: 'none' }}
      >
        <Toolbar variant="dense" sx={{ minHeight: 56 }} />
        <Box sx={{ px: { xs: 2, sm: 3, md: 4 }, py: { xs: 2.5, md: 3.5 }, maxWidth: 1320, mx: 'auto' }}>
          <AccessPrompt />
          {children}
        </Box>
      </Box>
    </Box>
  );
}
