import { create } from 'zustand';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { LoadStatus } from './repositories.ts';

export interface BackupsStore {
  /** Every backup the catalog knows, across repositories (empty until a repository is scanned). */
  items: BackupSummary[];
  status: LoadStatus;
  /** Why the last load failed (status 'error'). */
  error: string | null;
  /** Repositories being rescanned right now (their rows show a spinner). */
  scanning: Record<string, true>;
}

export const useBackups = create<BackupsStore>()(() => ({
  items: [],
  status: 'idle',
  error: null,
  scanning: {},
}));

function byName(a: BackupSummary, b: BackupSummary): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.folder.localeCompare(b.folder);
}

export function setBackups(items: BackupSummary[]): void {
  useBackups.setState({ items: [...items].sort(byName), status: 'ready', error: null });
}

/** Replaces what is known of one repository's backups (a rescan's answer). */
export function replaceRepositoryBackups(repositoryId: string, backups: BackupSummary[]): void {
  useBackups.setState((s) => ({
    items: [...s.items.filter((item) => item.repositoryId !== repositoryId), ...backups].sort(byName),
  }));
}

export function setScanning(repositoryId: string, scanning: boolean): void {
  useBackups.setState((s) => {
    const next = { ...s.scanning };
    if (scanning) next[repositoryId] = true;
    else delete next[repositoryId];
    return { scanning: next };
  });
}

/** A stable key for one backup in one repository. */
export function backupKey(backup: Pick<BackupSummary, 'repositoryId' | 'folder'>): string {
  return `${backup.repositoryId}/${backup.folder}`;
}
