import { homedir } from 'node:os';
import path from 'node:path';

/** Windows and macOS file systems compare names without case by default. */
function comparable(p: string, platform: NodeJS.Platform): string {
  return platform === 'win32' || platform === 'darwin' ? p.toLowerCase() : p;
}

/** True when `child` is `parent` itself or lies somewhere below it. */
export function isSameOrInside(
  parent: string,
  child: string,
  platform: NodeJS.Platform = process.platform,
  pathApi: path.PlatformPath = platform === 'win32' ? path.win32 : path.posix,
): boolean {
  const relative = pathApi.relative(comparable(parent, platform), comparable(child, platform));
  // "..a" is a child named "..a"; only ".." itself or "../…" leaves the parent.
  const leaves = relative === '..' || relative.startsWith(`..${pathApi.sep}`);
  return relative === '' || (!leaves && !pathApi.isAbsolute(relative));
}

/** Expands a leading `~` and normalises; refuses relative paths (they would depend on the engine's cwd). */
export function normaliseUserPath(input: string, home: string = homedir()): string | undefined {
  const trimmed = input.trim();
  const expanded = trimmed === '~' || trimmed.startsWith('~/') || trimmed.startsWith('~\\')
    ? path.join(home, trimmed.slice(1))
    : trimmed;
  if (!path.isAbsolute(expanded)) return undefined;
  return path.resolve(expanded);
}
