import { create } from 'zustand';
import type { Repository } from '../../shared/domain/repository.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface RepositoriesStore {
  items: Repository[];
  /** 'idle' before the first load; 'loading' while a load runs with nothing to show yet. */
  status: LoadStatus;
  /** Why the last load failed (status 'error'). */
  error: string | null;
  /** When the list was last replaced (ms since epoch). */
  updatedAt: number | null;
}

export const useRepositories = create<RepositoriesStore>()(() => ({
  items: [],
  status: 'idle',
  error: null,
  updatedAt: null,
}));

export function setRepositories(items: Repository[]): void {
  useRepositories.setState({ items, status: 'ready', error: null, updatedAt: Date.now() });
}

export interface RepositorySummary {
  total: number;
  available: number;
  unavailable: number;
  freeBytes: number;
  totalBytes: number;
}

/** Counts and space across the repositories (space only for available ones). */
export function summarize(items: readonly Repository[]): RepositorySummary {
  let available = 0;
  let freeBytes = 0;
  let totalBytes = 0;
  const seenVolumes = new Set<string>();
  for (const repo of items) {
    if (repo.status !== 'available') continue;
    available++;
    if (!repo.space) continue;
    // Several repositories on one volume report the same space: count it once.
    const volume = `${repo.space.totalBytes}:${repo.space.freeBytes}`;
    if (seenVolumes.has(volume)) continue;
    seenVolumes.add(volume);
    freeBytes += repo.space.freeBytes;
    totalBytes += repo.space.totalBytes;
  }
  return { total: items.length, available, unavailable: items.length - available, freeBytes, totalBytes };
}

function byDefaultThenName(a: Repository, b: Repository): number {
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
}

/** Shows a repository the engine just returned, before its repos.changed event arrives. */
export function upsertRepository(repository: Repository): void {
  useRepositories.setState((s) => {
    if (s.items.some((item) => item.id === repository.id)) return s;
    return { items: [...s.items, repository].sort(byDefaultThenName), status: 'ready', updatedAt: Date.now() };
  });
}

/** Drops a repository the engine just removed, before its repos.changed event arrives. */
export function dropRepository(id: string): void {
  useRepositories.setState((s) =>
    s.items.some((item) => item.id === id) ? { items: s.items.filter((item) => item.id !== id) } : s,
  );
}
