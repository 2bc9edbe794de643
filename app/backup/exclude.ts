import path from 'node:path';

/**
 * Exclusion globs of a workload. A pattern with a '/' matches the path relative to the
 * workload's folder ('cache/**', 'logs/*.log'); one without matches an entry's name at
 * any depth ('*.tmp', 'node_modules'). Paths use '/' on every OS.
 */
export function makeExcluder(patterns: readonly string[]): (relativePath: string) => boolean {
  const cleaned = patterns.map((p) => p.trim().replace(/\\/g, '/').replace(/^\.?\//, '').replace(/\/$/, '')).filter(Boolean);
  if (cleaned.length === 0) return () => false;
  return (relativePath) => {
    const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    return cleaned.some((pattern) =>
      pattern.includes('/') ? path.posix.matchesGlob(relativePath, pattern) : path.posix.matchesGlob(name, pattern),
    );
  };
}
