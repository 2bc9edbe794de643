import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isSameOrInside } from '../repositories/paths.ts';

/** A link a restore is about to create: where (a physical path inside the root) and its target. */
export interface PlannedLink {
  at: string;
  target: string;
}

/** As the kernel: a path that meets more links than this fails (ELOOP). */
const MAX_HOPS = 40;
/** As the kernel: a longer target is refused by symlink() (PATH_MAX). */
const MAX_TARGET = 4096;

type Entry = { kind: 'link'; target: string } | { kind: 'dir' } | { kind: 'other' } | { kind: 'missing' };

/**
 * Which of the links a restore is about to create would lead out of `root` (a real
 * path), each with the reason. A textual check is not enough: `a -> .` makes
 * `a/a/a/../../../..` look three levels deeper than it is. So each target is resolved
 * as the kernel would resolve it once every link is in place: through the links this
 * restore creates, the links already in the folder, and '..' taken from where a link
 * really leads. Refusing a link changes what goes through it, so those are resolved
 * again until nothing more is refused. A '..' after a name that does not exist is
 * refused too: it resolves to nothing now, but to anywhere once that name is made a link.
 */
export async function escapingLinks(root: string, links: readonly PlannedLink[]): Promise<Map<string, string>> {
  const entries = new Map<string, Entry>();
  const entryAt = async (at: string): Promise<Entry> => {
    let entry = entries.get(at);
    if (!entry) {
      try {
        const info = await lstat(at);
        entry = info.isSymbolicLink() ? { kind: 'link', target: await readlink(at) } : info.isDirectory() ? { kind: 'dir' } : { kind: 'other' };
      } catch {
        entry = { kind: 'missing' };
      }
      entries.set(at, entry);
    }
    return entry;
  };

  const refused = new Map<string, string>();
  const planned = new Map<string, string>();
  for (const { at, target } of links) {
    const reason = await textualProblem(target, () => entryAt(at));
    if (reason) refused.set(at, reason);
    else planned.set(at, target);
  }
  // Per planned link, the links whose resolution went through it: refused, they are resolved again.
  const dependents = new Map<string, Set<string>>();
  let toResolve = new Set(planned.keys());
  while (toResolve.size > 0) {
    const next = new Set<string>();
    for (const at of toResolve) {
      if (!planned.has(at)) continue;
      const outcome = await resolve(root, at, planned, entryAt);
      for (const link of outcome.through) {
        let set = dependents.get(link);
        if (!set) dependents.set(link, (set = new Set()));
        set.add(at);
      }
      if (outcome.refused) {
        refused.set(at, outcome.refused);
        planned.delete(at);
        for (const dependent of dependents.get(at) ?? []) next.add(dependent);
      }
    }
    toResolve = next;
  }
  return refused;
}

/** What is wrong with a target before resolving it, or with the place of its link. */
async function textualProblem(target: string, entry: () => Promise<Entry>): Promise<string | undefined> {
  if (target === '' || target.includes('\0')) return 'the link has no valid target';
  if (target.length > MAX_TARGET) return 'the link target is longer than a path may be';
  if (path.isAbsolute(target) || /^[A-Za-z]:/.test(target)) return `the link points outside the restore folder (${target})`;
  if ((await entry()).kind === 'dir') return 'a folder is in the way';
  return undefined;
}

async function resolve(
  root: string,
  at: string,
  planned: ReadonlyMap<string, string>,
  entryAt: (at: string) => Promise<Entry>,
): Promise<{ refused?: string; through: string[] }> {
  const through: string[] = [];
  const target = planned.get(at)!;
  // Parts still to walk, the next one last.
  const parts = splitTarget(target);
  let current = path.dirname(at);
  let hops = 0;
  /** The first name on the way that does not exist: from there on, names are only appended. */
  let missing: string | undefined;
  while (parts.length > 0) {
    const part = parts.pop()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (missing !== undefined) return { refused: `the link goes up ('..') from ${missing}, which does not exist (${target})`, through };
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    if (missing !== undefined) {
      current = next;
      continue;
    }
    let linkTarget = planned.get(next);
    if (linkTarget !== undefined) through.push(next);
    else {
      const entry = await entryAt(next);
      if (entry.kind !== 'link') {
        // A file with more names after it resolves to nothing, as a name that does not exist.
        if (entry.kind !== 'dir') missing = path.relative(root, next) || '.';
        current = next;
        continue;
      }
      linkTarget = entry.target;
    }
    if (++hops > MAX_HOPS) return { refused: `too many links on the way (${target})`, through };
    if (path.isAbsolute(linkTarget)) current = path.parse(linkTarget).root;
    parts.push(...splitTarget(linkTarget));
  }
  if (!isSameOrInside(root, current)) return { refused: `the link leads to ${current}, outside the restore folder (${target})`, through };
  return { through };
}

const SEPARATORS = process.platform === 'win32' ? /[\\/]/ : /\//;

/** A target's parts, the first one last (the walk pops them). */
function splitTarget(target: string): string[] {
  return target.split(SEPARATORS).reverse();
}
