import { create } from 'zustand';

export type ThemeMode = 'light' | 'dark';

const STORAGE_KEY = 'ferry.theme';

export interface ThemeStore {
  /** The user's explicit choice, or null to follow the OS (prefers-color-scheme). */
  preference: ThemeMode | null;
  /** What the OS prefers right now. */
  system: ThemeMode;
}

function readPreference(): ThemeMode | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : null;
  } catch {
    return null;
  }
}

function writePreference(mode: ThemeMode | null): void {
  try {
    if (mode) window.localStorage.setItem(STORAGE_KEY, mode);
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable (privacy settings); the choice then lasts for the session.
  }
}

const darkQuery = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

export const useThemeStore = create<ThemeStore>()(() => ({
  preference: readPreference(),
  system: darkQuery?.matches ? 'dark' : 'light',
}));

darkQuery?.addEventListener('change', (event) => {
  useThemeStore.setState({ system: event.matches ? 'dark' : 'light' });
});

// Another window of the console changed the choice.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) useThemeStore.setState({ preference: readPreference() });
});

export const selectMode = (s: ThemeStore): ThemeMode => s.preference ?? s.system;

export function setThemeMode(mode: ThemeMode | null): void {
  writePreference(mode);
  useThemeStore.setState({ preference: mode });
}

export function toggleThemeMode(): void {
  setThemeMode(selectMode(useThemeStore.getState()) === 'dark' ? 'light' : 'dark');
}
