import path from 'node:path';

/**
 * A name from a file tree, checked before it touches the disk. Trees come from a
 * repository that may have been tampered with, so a name is one plain path segment:
 * never empty, '.', '..', never containing a separator, a NUL, or a drive prefix.
 */
export function isSafeName(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return false;
  if (/[/\\\0]/.test(name)) return false;
  if (/^[A-Za-z]:/.test(name)) return false;
  return true;
}

/** Joins tree names under the restore root, or returns undefined if the result would leave it. */
export function resolveInside(root: string, names: readonly string[], pathApi: path.PlatformPath = path): string | undefined {
  if (!names.every(isSafeName)) return undefined;
  const resolvedRoot = pathApi.resolve(root);
  const target = pathApi.resolve(resolvedRoot, ...names);
  const relative = pathApi.relative(resolvedRoot, target);
  if (relative === '' || relative === '..' || relative.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(relative)) {
    return names.length === 0 ? resolvedRoot : undefined;
  }
  return target;
}

/**
 * `name` inside `folder`, a path resolveInside returned: the same as resolveInside with
 * the name appended, without resolving the whole path again (a restore does this for
 * every entry). Undefined when the name is not a plain file name.
 */
export function childInside(folder: string, name: string, pathApi: path.PlatformPath = path): string | undefined {
  return isSafeName(name) ? pathApi.join(folder, name) : undefined;
}
