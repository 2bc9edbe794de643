/**
 * Where each object of the repository format lives (docs/repository-format.md).
 * Keys are relative to the repository root (a folder or an S3 prefix).
 */
export const REPOSITORY_MARKER = 'ferry-repository.json';
export const BACKUP_CONFIG = 'backup.json';
/**
 * The folder of the repository's own locks (held while a shared object is created):
 * a name safeFolderName never gives, so no backup can have it.
 */
export const REPOSITORY_LOCKS = '_repository';

export const keys = {
  backupConfig: (backup: string) => `${backup}/${BACKUP_CONFIG}`,
  pack: (backup: string, packId: string) => `${backup}/packs/${packId.slice(0, 2)}/${packId}`,
  packs: (backup: string) => `${backup}/packs/`,
  index: (backup: string, indexId: string) => `${backup}/index/${indexId}`,
  indexes: (backup: string) => `${backup}/index/`,
  point: (backup: string, pointId: string) => `${backup}/points/${pointId}`,
  points: (backup: string) => `${backup}/points/`,
  writing: (backup: string, pointId: string) => `${backup}/writing/${pointId}`,
  writings: (backup: string) => `${backup}/writing/`,
  lock: (backup: string, lockId: string) => `${backup}/locks/${lockId}`,
  locks: (backup: string) => `${backup}/locks/`,
  /** The points a health check found needing chunks the backup no longer has (heal-list.ts): there while any is unhealed. */
  healList: (backup: string) => `${backup}/heal`,
  /** Where a repair moves what it cannot read (`packs`, `index`, `points`): kept, never deleted. */
  quarantine: (backup: string, kind: 'packs' | 'index' | 'points', name: string) => `${backup}/quarantine/${kind}/${name}`,
};

/** The last segment of a key. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A backup folder name every OS and S3 accept, from a job name: letters, digits,
 * '.', '_' and '-' kept, everything else folded to '_'; no leading dot, no Windows
 * device names, at most 64 characters.
 */
export function safeFolderName(name: string): string {
  let folder = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/[._]+$/, '')
    .slice(0, 64);
  if (folder === '') folder = 'backup';
  if (RESERVED_WINDOWS.test(folder)) folder = `${folder}_`;
  return folder;
}

/** The first of `base`, `base-2`, `base-3`… not in `taken` (compared without case, as on Windows and macOS). */
export function uniqueFolderName(base: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 60)}-${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
