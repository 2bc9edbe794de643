import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { useEffect, useMemo } from 'react';
import { BackupsPage } from './pages/backups/BackupsPage.tsx';
import { HistoryPage } from './pages/history/HistoryPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { JobsPage } from './pages/jobs/JobsPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RepositoriesPage } from './pages/repositories/RepositoriesPage.tsx';
import { SettingsPage } from './pages/settings/SettingsPage.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { Notifier } from './shell/Notifier.tsx';
import { type Route, useRoute } from './shell/router.ts';
import { selectMode, useThemeStore } from './store/theme.ts';
import { createFerryTheme } from './theme/theme.ts';

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'jobs':
      return <JobsPage />;
    case 'backups':
      return <BackupsPage />;
    case 'repositories':
      return <RepositoriesPage />;
    case 'history':
      return <HistoryPage />;
    case 'settings':
      return <SettingsPage />;
    case 'not-found':
      return <NotFoundPage path={`/${route.path}`} />;
  }
}

export function App() {
  const mode = useThemeStore(selectMode);
  const theme = useMemo(() => createFerryTheme(mode), [mode]);
  const route = useRoute();

  useEffect(() => {
    document.documentElement.style.colorScheme = mode;
  }, [mode]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <AppShell>
        <Page key={route.name} route={route} />
      </AppShell>
      <Notifier />
    </ThemeProvider>
  );
}
