import { alpha, createTheme, type Theme } from '@mui/material/styles';
import type { ThemeMode } from '../store/theme.ts';

/** The OS's own UI font: no web fonts, so the console looks native and works offline. */
export const SYSTEM_FONT_STACK = [
  'system-ui',
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  '"Noto Sans"',
  '"Liberation Sans"',
  'Arial',
  'sans-serif',
  '"Apple Color Emoji"',
  '"Segoe UI Emoji"',
].join(', ');

export const MONO_FONT_STACK = [
  'ui-monospace',
  '"SFMono-Regular"',
  '"Cascadia Mono"',
  '"Segoe UI Mono"',
  '"Liberation Mono"',
  'Menlo',
  'Consolas',
  'monospace',
].join(', ');

export const NAV_WIDTH = 232;

declare module '@mui/material/styles' {
  interface Palette {
    appBar: { background: string; text: string; border: string };
  }
  interface PaletteOptions {
    appBar?: { background: string; text: string; border: string };
  }
}

export function createFerryTheme(mode: ThemeMode): Theme {
  const dark = mode === 'dark';
  const primary = dark ? '#7aa7ee' : '#1f5fbf';
  const divider = dark ? 'rgba(148, 163, 184, 0.16)' : '#e2e7ee';

  return createTheme({
    palette: {
      mode,
      primary: { main: primary, contrastText: dark ? '#0b1320' : '#ffffff' },
      secondary: { main: dark ? '#5cc8b8' : '#0f7b6c' },
      success: { main: dark ? '#4cc38a' : '#1e7d4f' },
      warning: { main: dark ? '#f0b24a' : '#b26a00' },
      error: { main: dark ? '#f2777a' : '#c62828' },
      info: { main: dark ? '#6fb4f2' : '#1565c0' },
      background: dark ? { default: '#0e131a', paper: '#151b24' } : { default: '#f4f6f9', paper: '#ffffff' },
      text: dark
        ? { primary: '#e6ebf2', secondary: '#9aa7b8' }
        : { primary: '#17202c', secondary: '#536173' },
      divider,
      appBar: dark
        ? { background: '#121821', text: '#e6ebf2', border: divider }
        : { background: '#163a6e', text: '#ffffff', border: '#163a6e' },
    },
    shape: { borderRadius: 8 },
    spacing: 8,
    typography: {
      fontFamily: SYSTEM_FONT_STACK,
      fontSize: 14,
      h5: { fontWeight: 650, fontSize: '1.5rem', letterSpacing: '-0.01em', lineHeight: 1.3 },
      h6: { fontWeight: 600, fontSize: '1.0625rem', lineHeight: 1.4 },
      subtitle1: { fontWeight: 600 },
      subtitle2: { fontWeight: 600 },
      overline: { fontWeight: 600, letterSpacing: '0.08em' },
      button: { textTransform: 'none', fontWeight: 600, letterSpacing: 0 },
    },
    components: {
      MuiCssBaseline: {
        styleOverrides: {
          body: { WebkitFontSmoothing: 'antialiased' },
          code: { fontFamily: MONO_FONT_STACK },
        },
      },
      MuiButton: {
        defaultProps: { disableElevation: true },
        styleOverrides: { root: { borderRadius: 8 } },
      },
      MuiPaper: {
        styleOverrides: { root: { backgroundImage: 'none' } },
      },
      MuiCard: {
        defaultProps: { variant: 'outlined' },
        styleOverrides: { root: { borderRadius: 10 } },
      },
      MuiTableCell: {
        styleOverrides: {
          root: { borderColor: divider },
          head: ({ theme }) => ({
            fontWeight: 600,
            color: theme.palette.text.secondary,
            fontSize: '0.8125rem',
            whiteSpace: 'nowrap',
            // Opaque (the paper with 3% white in dark): a pinned header cell covers what scrolls under it.
            backgroundColor: dark ? '#1c222b' : '#f8fafc',
          }),
        },
      },
      MuiTooltip: {
        defaultProps: { arrow: true },
        styleOverrides: { tooltip: { fontSize: '0.8125rem', maxWidth: 360 } },
      },
      MuiChip: {
        styleOverrides: { root: { fontWeight: 600 } },
      },
      MuiDialog: {
        styleOverrides: { paper: { borderRadius: 12 } },
      },
      MuiDialogTitle: {
        styleOverrides: { root: { fontSize: '1.125rem', fontWeight: 650, paddingBottom: 8 } },
      },
      MuiListItemButton: {
        styleOverrides: {
          root: ({ theme }) => ({
            borderRadius: 8,
            '&.Mui-selected': {
              backgroundColor: alpha(theme.palette.primary.main, dark ? 0.18 : 0.1),
              color: theme.palette.primary.main,
              '& .MuiListItemIcon-root': { color: theme.palette.primary.main },
            },
            '&.Mui-selected:hover': {
              backgroundColor: alpha(theme.palette.primary.main, dark ? 0.24 : 0.14),
            },
          }),
        },
      },
      MuiLinearProgress: {
        styleOverrides: { root: { borderRadius: 4 } },
      },
      MuiAlert: {
        styleOverrides: {
          root: { borderRadius: 8 },
          // Dark: a filled alert (a notice) on the light main colour its dark text was made
          // for; on MUI's darker shade that text fell below 4.5:1 (axe color-contrast).
          filled: ({ ownerState, theme }) => (dark ? { backgroundColor: theme.palette[ownerState.severity ?? 'success'].main } : {}),
        },
      },
    },
  });
}
