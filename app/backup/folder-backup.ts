import { randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import { chunkStream } from '../format/chunker.ts';
import type { BackupStore, BlobWriter } from '../repository/backup-store.ts';
import { type PointManifest, type PointStats, type Tree, type TreeNode } from '../repository/schemas.ts';
import { TreeReader, encodeTree } from '../repository/trees.ts';
import { makeExcluder } from './exclude.ts';
import { Limiter } from '../../shared/util/limiter.ts';

export interface Workload {
  name: string;
  folders: string[];
  excludes?: string[];
}

export interface BackupProgress {
  workload: string;
  files: number;
  bytesRead: number;
  bytesNew: number;
  currentPath: string;
}

export interface WorkloadBackupResult {
  point: PointManifest;
  /** Entries that could not be read (vanished, no permission): the point holds the rest. */
  warnings: string[];
}

export interface WorkloadBackupOptions {
  backup: BackupStore;
  writer: BlobWriter;
  workload: Workload;
  /** The workload's newest point in this backup: unchanged files are taken from it unread. */
  previous?: PointManifest;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
}

const READ_BUFFER = 1024 * 1024;
/** Chunks hashed and compressed at once (on the thread pool): enough for two cores, bounded memory. */
const CHUNKS_IN_FLIGHT = 4;

/** Names of the tree's top-level entries, one per folder: the folder's own name, made unique. */
export function rootNames(folders: readonly string[]): { name: string; path: string }[] {
  const used = new Set<string>();
  return folders.map((folder) => {
    const resolved = path.resolve(folder);
    const base = path.basename(resolved) || resolved.replace(/[^A-Za-z0-9]+/g, '_') || 'root';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return { name, path: resolved };
  });
}

function fileIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * Backs up one workload into a restore point: walks its folders, stores new file
 * content and the trees, then commits (packs → index → manifest). A file whose size,
 * mtime and inode match the previous point is not read again.
 */
export async function backupWorkload(options: WorkloadBackupOptions): Promise<WorkloadBackupResult> {
  const { backup, writer, workload, signal } = options;
  const excluded = makeExcluder(workload.excludes ?? []);
  const trees = new TreeReader(backup);
  const warnings: string[] = [];
  const stats: PointStats = { files: 0, dirs: 0, symlinks: 0, bytes: 0, bytesRead: 0, bytesNew: 0, bytesStored: 0, blobsNew: 0 };
  const before = { ...writer.stats };
  const pointId = randomBytes(16).toString('hex');
  const created = new Date().toISOString();
  let lastReport = 0;
  const report = (currentPath: string, force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    options.onProgress({
      workload: workload.name,
      files: stats.files,
      bytesRead: stats.bytesRead,
      bytesNew: writer.stats.bytesNew - before.bytesNew,
      currentPath,
    });
  };
  const checkCancelled = () => {
    if (signal?.aborted) throw new FerryError('cancelled', `The backup of ${workload.name} was stopped.`);
  };

  const inFlight = new Limiter(CHUNKS_IN_FLIGHT);

  /**
   * Reads and chunks the file; returns once it is read, with its chunk ids still being
   * stored in the background (a few at a time), so reading overlaps hashing and
   * compression and several files can be in the pipeline at once. (Wrapped in an object:
   * an async function returning a promise would wait for it.)
   */
  async function storeFile(absolute: string, info: Stats, previous: TreeNode | undefined): Promise<{ content: Promise<string[]> }> {
    if (
      previous?.type === 'file' &&
      previous.size === info.size &&
      previous.mtimeMs === info.mtimeMs &&
      previous.inode === fileIdentity(info) &&
      previous.content.every((id) => writer.known(id))
    ) {
      return { content: Promise.resolve(previous.content) };
    }
    const content: Promise<string>[] = [];
    const stream = createReadStream(absolute, { highWaterMark: READ_BUFFER });
    for await (const chunk of chunkStream(stream)) {
      checkCancelled();
      stats.bytesRead += chunk.length;
      await inFlight.acquire();
      const id = writer.add('data', chunk).finally(() => inFlight.release());
      id.catch(() => undefined); // awaited with the folder; no unhandled rejection meanwhile
      content.push(id);
      report(absolute);
    }
    return { content: Promise.all(content) };
  }

  async function storeDir(absolute: string, relative: string, previousTree: string | undefined): Promise<string> {
    checkCancelled();
    const previous = previousTree ? await trees.nodesByName(previousTree) : new Map<string, TreeNode>();
    let names: string[];
    try {
      names = (await readdir(absolute)).sort();
    } catch (error) {
      if (relative === '') throw error;
      warnings.push(`${absolute}: cannot list the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      names = [];
    }
    const nodes: TreeNode[] = [];
    const files: Promise<void>[] = [];
    for (const name of names) {
      const childRelative = relative === '' ? name : `${relative}/${name}`;
      if (excluded(childRelative)) continue;
      const child = path.join(absolute, name);
      try {
        const info = await lstat(child);
        const common = { name, mode: info.mode, mtimeMs: info.mtimeMs };
        const prior = previous.get(name);
        if (info.isDirectory()) {
          const subtree = await storeDir(child, childRelative, prior?.type === 'dir' ? prior.subtree : undefined);
          nodes.push({ type: 'dir', ...common, subtree });
          stats.dirs++;
        } else if (info.isSymbolicLink()) {
          nodes.push({ type: 'symlink', ...common, target: await readlink(child) });
          stats.symlinks++;
        } else if (info.isFile()) {
          const node: TreeNode = { type: 'file', ...common, size: info.size, inode: fileIdentity(info), content: [] };
          const stored = (await storeFile(child, info, prior)).content.then((content) => {
            node.content = content;
          });
          stored.catch(() => undefined);
          files.push(stored);
          nodes.push(node);
          stats.files++;
          stats.bytes += info.size;
        } else {
          warnings.push(`${child}: skipped (not a file, folder or link)`);
        }
      } catch (error) {
        if (error instanceof FerryError) throw error;
        warnings.push(`${child}: skipped (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    await Promise.all(files);
    return writer.add('tree', encodeTree({ nodes }));
  }

  const roots = rootNames(workload.folders);
  await backup.markWriting({ pointId, workload: workload.name, started: created, host: hostname(), pid: process.pid });
  try {
    const previousRoots = options.previous ? await trees.nodesByName(options.previous.tree) : new Map<string, TreeNode>();
    const rootNodes: TreeNode[] = [];
    for (const root of roots) {
      let info: Stats;
      try {
        info = await lstat(root.path);
      } catch (error) {
        throw new FerryError('not_found', `The folder ${root.path} of workload ${workload.name} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
      }
      if (!info.isDirectory()) throw new FerryError('invalid_input', `${root.path} (workload ${workload.name}) is not a folder.`);
      const prior = previousRoots.get(root.name);
      const subtree = await storeDir(root.path, '', prior?.type === 'dir' ? prior.subtree : undefined);
      rootNodes.push({ type: 'dir', name: root.name, mode: info.mode, mtimeMs: info.mtimeMs, subtree });
    }
    const tree = await writer.add('tree', encodeTree({ nodes: rootNodes } satisfies Tree));
    await writer.commit();
    stats.bytesNew = writer.stats.bytesNew - before.bytesNew;
    stats.bytesStored = writer.stats.bytesStored - before.bytesStored;
    stats.blobsNew = writer.stats.blobsNew - before.blobsNew;
    const point: PointManifest = {
      format: 'ferry-point',
      version: 1,
      id: pointId,
      backupId: backup.config.id,
      workload: workload.name,
      created,
      completed: new Date().toISOString(),
      lineage: null,
      gfs: { weekly: false, monthly: false, yearly: false },
      source: { host: hostname(), roots },
      tree,
      stats,
    };
    await backup.writePoint(point);
    report('', true);
    return { point, warnings };
  } finally {
    await backup.clearWriting(pointId).catch(() => undefined);
  }
}
