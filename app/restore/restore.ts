import { constants } from 'node:fs';
import { chmod, lstat, lutimes, mkdir, open, rm, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import type { PointManifest, TreeNode } from '../repository/schemas.ts';
import { TreeReader } from '../repository/trees.ts';
import { isSafeName, linkStaysInside, resolveInside } from './safe-path.ts';

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

// Never write through a link planted at the destination (O_NOFOLLOW where the OS has it).
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

/**
 * Restores a point, or chosen paths of it, into a folder. Names are checked (no '..',
 * separators or drive prefixes), folders are created without following links, links
 * that would point out of the folder are refused, and a file whose data is damaged is
 * removed and reported while the others are restored. mtime and mode are restored.
 */
export async function restorePoint(options: RestoreOptions): Promise<RestoreResult> {
  const { backup, point, signal } = options;
  const root = path.resolve(options.target);
  const trees = new TreeReader(backup);
  const result: RestoreResult = { files: 0, dirs: 0, symlinks: 0, bytes: 0, problems: [] };
  const links: { at: string; node: Extract<TreeNode, { type: 'symlink' }> }[] = [];
  const folderTimes: { at: string; node: TreeNode }[] = [];
  await mkdir(root, { recursive: true });

  const checkCancelled = () => {
    if (signal?.aborted) throw new FerryError('cancelled', 'The restore was stopped.');
  };

  async function ensureRealFolder(at: string): Promise<void> {
    const info = await lstat(at).catch(() => undefined);
    if (!info) await mkdir(at);
    else if (!info.isDirectory()) throw new Error(`${at} exists and is not a folder`);
  }

  async function restoreFile(at: string, node: Extract<TreeNode, { type: 'file' }>, shown: string): Promise<void> {
    const handle = await open(at, WRITE_FLAGS, 0o600);
    let failed: unknown;
    try {
      for (const id of node.content) {
        checkCancelled();
        const data = await backup.readBlob(id);
        await handle.write(data);
        result.bytes += data.length;
        options.onProgress?.({ files: result.files, bytes: result.bytes, currentPath: shown });
      }
    } catch (error) {
      failed = error;
    } finally {
      await handle.close();
    }
    if (failed !== undefined) {
      await rm(at, { force: true });
      throw failed;
    }
    await chmod(at, node.mode & 0o7777);
    await utimes(at, node.mtimeMs / 1000, node.mtimeMs / 1000);
    result.files++;
  }

  /** Restores `node` at `names` below the root (names already checked by the caller's resolveInside). */
  async function restoreNode(node: TreeNode, names: string[]): Promise<void> {
    checkCancelled();
    const shown = names.join('/');
    const at = resolveInside(root, names);
    if (!at) {
      result.problems.push({ path: shown, message: 'refused: the name is not a plain file name' });
      return;
    }
    try {
      if (node.type === 'dir') {
        await ensureRealFolder(at);
        result.dirs++;
        for (const child of (await trees.read(node.subtree)).nodes) await restoreNode(child, [...names, child.name]);
        folderTimes.push({ at, node });
      } else if (node.type === 'file') {
        await restoreFile(at, node, shown);
      } else {
        links.push({ at, node });
      }
    } catch (error) {
      if (error instanceof FerryError && error.code === 'cancelled') throw error;
      const blobId = error instanceof FerryError ? (error.details?.['blobId'] as string | undefined) : undefined;
      result.problems.push({ path: shown, message: (error as Error).message, ...(blobId ? { blobId } : {}) });
    }
  }

  const top = await trees.read(point.tree);
  const selections = options.paths?.length ? options.paths.map(splitPath) : [[]];
  for (const selection of selections) {
    const found = await findNode(trees, top.nodes, selection);
    if (!found) throw new FerryError('not_found', `${selection.join('/')} is not in restore point ${point.id}.`);
    if (found.length === 0) {
      for (const node of top.nodes) await restoreNode(node, [node.name]);
      continue;
    }
    // A chosen path is restored under its own name, its parents created as folders.
    const names = found.map((n) => n.name);
    for (let depth = 1; depth < names.length; depth++) {
      const parent = resolveInside(root, names.slice(0, depth));
      if (!parent) throw new FerryError('invalid_input', `${selection.join('/')} cannot be restored: a name in it is not a plain file name.`);
      await ensureRealFolder(parent);
    }
    await restoreNode(found.at(-1)!, names);
  }

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
      result.problems.push({ path: shown, message: (error as Error).message });
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
