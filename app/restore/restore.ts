import { chmod, lstat, lutimes, mkdir, realpath, rm, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { TreeNode } from '../repository/bulk-documents.ts';
import type { PointManifest } from '../repository/schemas.ts';
import { Listings } from '../repository/listings.ts';
import { addNode, checkClaim, emptyShape, type Shape } from '../repository/point-shape.ts';
import { TreeReader } from '../repository/trees.ts';
import { resolveRealPath } from '../repositories/local-folder.ts';
import { isSameOrInside } from '../repositories/paths.ts';
import { LocalFolderStore } from '../storage/local-store.ts';
import { escapingLinks } from './link-check.ts';
import { childInside, isSafeName, resolveInside } from './safe-path.ts';
import { type RestoreFile, writeFiles } from './write-files.ts';

export interface RestoreOptions {
  backup: BackupStore;
  point: PointManifest;
  /** The folder to restore into (created if needed). Nothing is ever written outside it. */
  target: string;
  /** Paths inside the point ('<root>/sub/file'); the whole point when absent. */
  paths?: string[];
  /** Restore setuid, setgid and sticky bits (off: a repository is untrusted input, and as root they would give its files powers). */
  keepSpecialBits?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { files: number; bytes: number; currentPath: string }) => void;
}

export interface RestoreProblem {
  path: string;
  message: string;
  blobId?: string;
}

export interface RestoreResult {
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
  problems: RestoreProblem[];
}

/**
 * Restores a point, or chosen paths of it, into a folder. Names are checked (no '..',
 * separators or drive prefixes), folders are created without following links, links
 * that would lead out of the folder are refused, and a file whose data is damaged is
 * removed and reported while the others are restored. mtime and mode are restored
 * (setuid, setgid and sticky bits only when asked). The trees are walked first, writing
 * nothing, and held to what the point's manifest claims; then the folders are created,
 * the files' content is written pack by pack (writeFiles), then the links, then the
 * folders' times. A target that overlaps the repository's folder is refused.
 */
export async function restorePoint(options: RestoreOptions): Promise<RestoreResult> {
  const { backup, point, signal } = options;
  const root = path.resolve(options.target);
  await refuseRepositoryFolder(backup, root);
  // The index as it is now, read under the caller's lock (a backup opened for its points has none yet).
  await backup.refreshIndex();
  const trees = new TreeReader(backup);
  const listings = new Listings(trees);
  const result: RestoreResult = { files: 0, dirs: 0, symlinks: 0, bytes: 0, problems: [] };
  /** Folders in the order they are met (parents first); `parent` is an index in this list, -1 for the root. */
  const dirs: { at: string; shown: string; parent: number; node?: TreeNode }[] = [];
  const files = new Map<string, { file: RestoreFile; parent: number }>();
  const links: { at: string; parent: number; node: Extract<TreeNode, { type: 'symlink' }> }[] = [];
  const plainOf = (id: string) => backup.entry(id)?.plain ?? 0;
  const modeMask = options.keepSpecialBits ? 0o7777 : 0o777;

  const checkCancelled = () => {
    if (signal?.aborted) throw new FerryError('cancelled', 'The restore was stopped.');
  };
  const report = (shown: string, error: unknown, blobId?: string) => {
    const blamed = blobId ?? (error instanceof FerryError ? (error.details?.['blobId'] as string | undefined) : undefined);
    result.problems.push({ path: shown, message: (error as Error).message, ...(blamed ? { blobId: blamed } : {}) });
  };

  /**
   * Plans `node`, shown as `shown`, at `at` below the root (undefined when a name on the
   * way was refused), `depth` names deep, in the folder `parent`. Nothing is written
   * while planning: a point whose trees hold more than its manifest claims (`shape`
   * counts every path met) is refused before anything is.
   */
  async function planNode(node: TreeNode, shown: string, at: string | undefined, depth: number, parent: number, shape: Shape): Promise<void> {
    checkCancelled();
    addNode(shape, node, plainOf);
    if (node.type === 'dir') shape.depth = Math.max(shape.depth, depth);
    checkClaim(point, backup.where, shape);
    if (!at) {
      result.problems.push({ path: shown, message: 'refused: the name is not a plain file name' });
      return;
    }
    if (node.type === 'dir') {
      const index = dirs.push({ at, shown, parent, node }) - 1;
      let children: TreeNode[];
      try {
        children = await listings.nodes(node.subtree);
      } catch (error) {
        report(shown, error);
        return;
      }
      for (const child of children) await planNode(child, `${shown}/${child.name}`, childInside(at, child.name), depth + 1, index, shape);
    } else if (node.type === 'file') {
      // Chosen paths may overlap: each file is written once.
      if (!files.has(at)) files.set(at, { file: { at, shown, node }, parent });
    } else {
      links.push({ at, parent, node });
    }
  }

  const top = await listings.nodes(point.tree);
  const selections = options.paths?.length ? options.paths.map(splitPath) : [[]];
  for (const selection of selections) {
    const found = await findNode(trees, top, selection);
    if (!found) throw new FerryError('not_found', `${selection.join('/')} is not in restore point ${point.id}.`);
    // Each selection is held to the whole point's claim (selections may overlap).
    const shape = emptyShape();
    if (found.length === 0) {
      for (const node of top) await planNode(node, node.name, resolveInside(root, [node.name]), 1, -1, shape);
      continue;
    }
    // A chosen path is restored under its own name, its parents created as folders.
    const names = found.map((n) => n.name);
    let parent = -1;
    for (let depth = 1; depth < names.length; depth++) {
      const at = resolveInside(root, names.slice(0, depth));
      if (!at) throw new FerryError('invalid_input', `${selection.join('/')} cannot be restored: a name in it is not a plain file name.`);
      parent = dirs.push({ at, shown: names.slice(0, depth).join('/'), parent }) - 1;
    }
    await planNode(found.at(-1)!, names.join('/'), resolveInside(root, names), names.length, parent, shape);
  }

  await mkdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR') throw new FerryError('invalid_input', `The restore target ${root} exists and is not a folder.`);
    throw error;
  });
  // Folders first, parents before their content; what is in a folder that could not be made is left out.
  const failed = new Uint8Array(dirs.length);
  const skipped = (parent: number) => parent >= 0 && failed[parent] === 1;
  for (const [index, dir] of dirs.entries()) {
    checkCancelled();
    if (skipped(dir.parent)) {
      failed[index] = 1;
      continue;
    }
    try {
      await ensureRealFolder(dir.at);
      if (dir.node) result.dirs++;
    } catch (error) {
      failed[index] = 1;
      report(dir.shown, error);
    }
  }

  await writeFiles(
    [...files.values()].filter(({ parent }) => !skipped(parent)).map(({ file }) => file),
    {
      backup,
      modeMask,
      checkCancelled,
      onProblem: (file, message, blobId) => result.problems.push({ path: file.shown, message, ...(blobId ? { blobId } : {}) }),
      onWritten: (bytes, completed) => {
        result.bytes += bytes;
        result.files += completed.length;
        options.onProgress?.({ files: result.files, bytes: result.bytes, currentPath: completed.at(-1)?.shown ?? '' });
      },
    },
  );

  // Links last, so nothing above was written through one; each checked where it really leads.
  const realRoot = await realpath(root);
  const placed = links.filter(({ parent }) => !skipped(parent)).map((link) => ({ ...link, real: path.join(realRoot, path.relative(root, link.at)) }));
  const refused = await escapingLinks(
    realRoot,
    placed.map(({ real, node }) => ({ at: real, target: node.target })),
  );
  for (const { at, real, node } of placed) {
    const shown = path.relative(root, at);
    const reason = refused.get(real);
    if (reason) {
      result.problems.push({ path: shown, message: `refused: ${reason}` });
      continue;
    }
    try {
      await rm(at, { force: true });
      await symlink(node.target, at);
      await lutimes(at, node.mtimeMs / 1000, node.mtimeMs / 1000).catch(() => undefined);
      result.symlinks++;
    } catch (error) {
      report(shown, error);
    }
  }
  // Folder times last of all: restoring their content changed them.
  for (const [index, { at, node }] of [...dirs.entries()].reverse()) {
    if (!node || failed[index]) continue;
    await chmod(at, node.mode & modeMask).catch(() => undefined);
    await utimes(at, node.mtimeMs / 1000, node.mtimeMs / 1000).catch(() => undefined);
  }
  return result;
}

/** Creates a folder, or accepts one that is there; anything else there (a link could lead out of the target) fails. */
async function ensureRealFolder(at: string): Promise<void> {
  const existed = await mkdir(at).then(
    () => false,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      return true;
    },
  );
  if (existed && !(await lstat(at)).isDirectory()) throw new Error(`${at} exists and is not a folder`);
}

/**
 * Refuses a target that is, is inside, or contains the repository's folder (links
 * resolved first), before anything is written: restored files would mix with the
 * repository's own, or replace them.
 */
async function refuseRepositoryFolder(backup: BackupStore, target: string): Promise<void> {
  if (!(backup.store instanceof LocalFolderStore)) return;
  const [real, repository] = await Promise.all([resolveRealPath(target), resolveRealPath(backup.store.location)]);
  if (isSameOrInside(repository, real) || isSameOrInside(real, repository)) {
    const where = isSameOrInside(repository, real) ? (isSameOrInside(real, repository) ? 'is' : 'is inside') : 'contains';
    throw new FerryError('invalid_input', `The restore target ${target} ${where} the repository's folder ${backup.store.location}: choose a folder outside it.`);
  }
}

function splitPath(value: string): string[] {
  return value.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
}

/** The chain of nodes from the top to `names`, [] for the whole point, undefined if absent. */
async function findNode(trees: TreeReader, top: TreeNode[], names: string[]): Promise<TreeNode[] | undefined> {
  const chain: TreeNode[] = [];
  let level = top;
  for (const [i, name] of names.entries()) {
    if (!isSafeName(name)) return undefined;
    const node = level.find((n) => n.name === name);
    if (!node) return undefined;
    chain.push(node);
    if (i < names.length - 1) {
      if (node.type !== 'dir') return undefined;
      level = (await trees.read(node.subtree)).nodes;
    }
  }
  return chain;
}
