import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/repositories` and friends. The hash survives a reload and
 * works the same from file:// (Electron) and http:// (serve host).
 */
export const ROUTES = ['home', 'jobs', 'backups', 'repositories', 'history', 'settings'] as const;
export type RouteName = (typeof ROUTES)[number];

export interface Route {
  /** A known page, or 'not-found'. */
  name: RouteName | 'not-found';
  /** The path after `#/`, e.g. "repositories". */
  path: string;
}

export function hrefFor(name: RouteName): string {
  return name === 'home' ? '#/' : `#/${name}`;
}

/** The History page's view of one session: `#/history/<id>`. */
export function hrefForSession(id: string): string {
  return `#/history/${encodeURIComponent(id)}`;
}

/** The session a `history/<id>` path names, or null for the list. */
export function sessionIdOf(route: Route): string | null {
  if (route.name !== 'history') return null;
  const rest = route.path.split('/').slice(1).join('/');
  if (!rest) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
  const first = path.split('/')[0] ?? '';
  if (first === '' || first === 'home') return { name: 'home', path };
  const name = (ROUTES as readonly string[]).includes(first) ? (first as RouteName) : 'not-found';
  return { name, path };
}

let current = parseHash(window.location.hash);
let navigated = false;
const listeners = new Set<() => void>();

window.addEventListener('hashchange', () => {
  const next = parseHash(window.location.hash);
  if (next.path === current.path && next.name === current.name) return;
  current = next;
  navigated = true;
  for (const listener of listeners) listener();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => current);
}

export function navigate(name: RouteName): void {
  window.location.hash = hrefFor(name);
}

/**
 * True once the user has moved between pages: only then do pages move focus to their
 * heading (so screen-reader and keyboard users land on the new content, while the
 * first load leaves focus where the browser put it).
 */
export function hasNavigated(): boolean {
  return navigated;
}
