import { chmod, lstat, lutimes, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { TreeNode } from '../repository/bulk-documents.ts';
import type { PointManifest } from '../repository/schemas.ts';
import { Listings } from '../repository/listings.ts';
import { TreeReader } from '../repository/trees.ts';
import { childInside, isSafeName, linkStaysInside, resolveInside } from './safe-path.ts';
import { type RestoreFile, writeFiles } from './write-files.ts';

export interface RestoreOptions {
  backup: BackupStore;
  point: PointManifest;
  /** The folder to restore into (created if needed). Nothing is ever written outside it. */
  target: string;
  /** Paths inside the point ('<root>/sub/file'); the whole point when absent. */
  paths?: string[];
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
 * that would point out of the folder are refused, and a file whose data is damaged is
 * removed and reported while the others are restored. mtime and mode are restored.
 * The folders are created first, then the files' content is written pack by pack
 * (writeFiles), then the links, then the folders' times.
 */
export async function restorePoint(options: RestoreOptions): Promise<RestoreResult> {
  const { backup, point, signal } = options;
  // The index as it is now, read under the caller's lock (a backup opened for its points has none yet).
  await backup.refreshIndex();
  const root = path.resolve(options.target);
  const trees = new TreeReader(backup);
  const listings = new Listings(trees);
  const result: RestoreResult = { files: 0, dirs: 0, symlinks: 0, bytes: 0, problems: [] };
  const files = new Map<string, RestoreFile>();
  const links: { at: string; node: Extract<TreeNode, { type: 'symlink' }> }[] = [];
  const folderTimes: { at: string; node: TreeNode }[] = [];
  await mkdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR') throw new FerryError('invalid_input', `The restore target ${root} exists and is not a folder.`);
    throw error;
  });

  const checkCancelled = () => {
    if (signal?.aborted) throw new FerryError('cancelled', 'The restore was stopped.');
  };
  const report = (shown: string, error: unknown, blobId?: string) => {
    const blamed = blobId ?? (error instanceof FerryError ? (error.details?.['blobId'] as string | undefined) : undefined);
    result.problems.push({ path: shown, message: (error as Error).message, ...(blamed ? { blobId: blamed } : {}) });
  };

  async function ensureRealFolder(at: string): Promise<void> {
    const existed = await mkdir(at).then(
      () => false,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        return true;
      },
    );
    // Only a real folder will do: a link there could lead out of the target.
    if (existed && !(await lstat(at)).isDirectory()) throw new Error(`${at} exists and is not a folder`);
  }

  /**
   * Plans `node`, shown as `shown`, at `at` below the root (undefined when a name on the
   * way was refused): folders are created now, files and links later.
   */
  async function planNode(node: TreeNode, shown: string, at: string | undefined): Promise<void> {
    checkCancelled();
    if (!at) {
      result.problems.push({ path: shown, message: 'refused: the name is not a plain file name' });
      return;
    }
    try {
      if (node.type === 'dir') {
        await ensureRealFolder(at);
        result.dirs++;
        for (const child of await listings.nodes(node.subtree)) await planNode(child, `${shown}/${child.name}`, childInside(at, child.name));
        folderTimes.push({ at, node });
      } else if (node.type === 'file') {
        // Chosen paths may overlap: each file is written once.
        if (!files.has(at)) files.set(at, { at, shown, node });
      } else {
        links.push({ at, node });
      }
    } catch (error) {
      if (error instanceof FerryError && error.code === 'cancelled') throw error;
      report(shown, error);
    }
  }

  const top = await listings.nodes(point.tree);
  const selections = options.paths?.length ? options.paths.map(splitPath) : [[]];
  for (const selection of selections) {
    const found = await findNode(trees, top, selection);
    if (!found) throw new FerryError('not_found', `${selection.join('/')} is not in restore point ${point.id}.`);
    if (found.length === 0) {
      for (const node of top) await planNode(node, node.name, resolveInside(root, [node.name]));
      continue;
    }
    // A chosen path is restored under its own name, its parents created as folders.
    const names = found.map((n) => n.name);
    for (let depth = 1; depth < names.length; depth++) {
      const parent = resolveInside(root, names.slice(0, depth));
      if (!parent) throw new FerryError('invalid_input', `${selection.join('/')} cannot be restored: a name in it is not a plain file name.`);
      await ensureRealFolder(parent);
    }
    await planNode(found.at(-1)!, names.join('/'), resolveInside(root, names));
  }

  await writeFiles([...files.values()], {
    backup,
    checkCancelled,
    onProblem: (file, message, blobId) => result.problems.push({ path: file.shown, message, ...(blobId ? { blobId } : {}) }),
    onWritten: (bytes, completed) => {
      result.bytes += bytes;
      result.files += completed.length;
      options.onProgress?.({ files: result.files, bytes: result.bytes, currentPath: completed.at(-1)?.shown ?? '' });
    },
  });

  // Links last, so nothing above was written through one.
  for (const { at, node } of links) {
    const shown = path.relative(root, at);
    if (!linkStaysInside(root, at, node.target)) {
      result.problems.push({ path: shown, message: `refused: the link points outside the restore folder (${node.target})` });
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
  for (const { at, node } of folderTimes.reverse()) {
    await chmod(at, node.mode & 0o7777).catch(() => undefined);
    await utimes(at, node.mtimeMs / 1000, node.mtimeMs / 1000).catch(() => undefined);
  }
  return result;
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
