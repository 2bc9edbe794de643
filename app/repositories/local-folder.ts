import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { StorageSpace } from '../../shared/domain/repository.ts';

export type FolderProblem = { message: string };

function describeFsError(error: unknown, folder: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `Ferry is not allowed to write to ${folder}. Choose another folder or give the engine's user write access.`;
    case 'EROFS':
      return `${folder} is on a read-only file system.`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${folder} (or a part of it) is a file, not a folder.`;
    case 'ENOSPC':
      return `There is no free space left at ${folder}.`;
    case 'ENOENT':
      return `${folder} cannot be created: the drive or a parent folder does not exist.`;
    default:
      return `${folder} cannot be used: ${(error as Error).message}`;
  }
}

/**
 * `mkdir -p` one level at a time. Node's recursive mkdir never settles for some paths
 * on pseudo file systems (/proc on Linux), which would hang the caller for good.
 */
export async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(folder);
  while (!(await stat(current).catch(() => undefined))) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * Makes sure the folder exists and really takes writes: creates it, writes, syncs and
 * deletes a probe file. A permission check alone would miss read-only mounts and full
 * disks.
 */
export async function prepareWritableFolder(folder: string): Promise<FolderProblem | undefined> {
  try {
    await makeFolders(folder);
    const info = await stat(folder);
    if (!info.isDirectory()) return { message: `${folder} is a file, not a folder.` };
    const probe = path.join(folder, `.ferry-write-test-${randomBytes(6).toString('hex')}`);
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile('ferry');
      await handle.sync();
    } finally {
      await handle.close();
      await unlink(probe).catch(() => undefined);
    }
    return undefined;
  } catch (error) {
    return { message: describeFsError(error, folder) };
  }
}

/** Reachability and space of a folder, for the repository list. Never throws. */
export async function probeFolder(
  folder: string,
): Promise<{ status: 'available'; space: StorageSpace } | { status: 'unavailable'; message: string }> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return { status: 'unavailable', message: `${folder} is not a folder.` };
    const fs = await statfs(folder);
    return {
      status: 'available',
      space: { totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT'
      ? `Folder not found: ${folder}. Is the drive or network share connected?`
      : describeFsError(error, folder);
    return { status: 'unavailable', message };
  }
}

/**
 * The real path a folder has or would have: links resolved on the part that exists,
 * the rest appended. Lets overlaps be checked before anything is created.
 */
export async function resolveRealPath(folder: string): Promise<string> {
  const absolute = path.resolve(folder);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
