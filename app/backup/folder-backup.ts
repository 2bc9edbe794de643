import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore, BlobWriter } from '../repository/backup-store.ts';
import type { Tree, TreeNode } from '../repository/bulk-documents.ts';
import type { PointManifest, PointStats } from '../repository/schemas.ts';
import { TreeReader, encodeTree } from '../repository/trees.ts';
import { makeExcluder } from './exclude.ts';
import { chunkBuffers, fileChunks } from './file-chunks.ts';
import { Limiter } from '../../shared/util/limiter.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { errnoWords } from '../util/errno-words.ts';

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
  /** What dates the point (created, completed): the system's time, or a test's virtual one. */
  clock?: Clock | undefined;
}

/** Chunks hashed and compressed at once (on the thread pool): enough for two cores, bounded memory. */
const CHUNKS_IN_FLIGHT = 4;
/**
 * Files read at once: a small file is a chain of thread-pool round trips (lstat, open,
 * read, close), so one at a time leaves the cores idle. A file of more than LARGE_FILE
 * bytes takes LARGE_FILE_SLOTS places, so that two at most are read at once: each holds
 * the chunk being cut (up to 8 MiB).
 */
const FILE_SLOTS = 8;
const LARGE_FILE_SLOTS = 4;
const LARGE_FILE = 1024 * 1024;

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

type FileNode = Extract<TreeNode, { type: 'file' }>;
type DirNode = Extract<TreeNode, { type: 'dir' }>;

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
  const clock = options.clock ?? systemClock;
  const created = new Date(clock.now()).toISOString();
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
  /** The first failure that ends the backup (storage, cancellation): the walk and every read stop at it. */
  let fatal: unknown;
  const checkStop = () => {
    if (fatal !== undefined) throw fatal;
    if (signal?.aborted) throw new FerryError('cancelled', `The backup of ${workload.name} was stopped.`);
  };
  /** Watches a promise that is awaited later, if at all: its failure is fatal, never an unhandled rejection. */
  const watch = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch((error: unknown) => {
      fatal ??= error;
    });
    return promise;
  };

  const buffers = chunkBuffers();
  const chunkSlots = new Limiter(CHUNKS_IN_FLIGHT);
  const fileSlots = new Limiter(FILE_SLOTS);
  /** Reads under way: a failed backup waits for them, so that no file stays open after it. */
  const reading = new Set<Promise<unknown>>();

  /**
   * Reads and chunks the file; returns once it is read, with its chunk ids still being
   * stored in the background (a few at a time), so reading overlaps hashing and
   * compression. (Wrapped in an object: an async function returning a promise would
   * wait for it.)
   */
  async function readFile(absolute: string, size: number): Promise<{ content: Promise<string[]>; bytes: number }> {
    const content: Promise<string>[] = [];
    let bytes = 0;
    for await (const chunk of fileChunks(absolute, size, buffers)) {
      checkStop();
      stats.bytesRead += chunk.data.length;
      bytes += chunk.data.length;
      await chunkSlots.acquire();
      const id = writer.add('data', chunk.data).finally(() => {
        chunk.release(); // stored (or failed): the writer reads the plaintext no more
        chunkSlots.release();
      });
      id.catch(() => undefined); // awaited with the file; no unhandled rejection meanwhile
      content.push(id);
      report(absolute);
    }
    return { content: Promise.all(content), bytes };
  }

  /**
   * Starts reading a file once a place is free (only the walk takes places, one file
   * after another, so taking several cannot deadlock). `stored` settles once the content
   * is in `node`: true, or false when the file could not be read (a warning).
   */
  async function startFile(absolute: string, info: Stats, node: FileNode): Promise<{ stored: Promise<boolean> }> {
    const places = info.size > LARGE_FILE ? LARGE_FILE_SLOTS : 1;
    for (let k = 0; k < places; k++) await fileSlots.acquire();
    const read = readFile(absolute, info.size).finally(() => {
      for (let k = 0; k < places; k++) fileSlots.release();
    });
    reading.add(read);
    const done = () => reading.delete(read);
    read.then(done, done);
    const stored = read.then(
      async ({ content, bytes }) => {
        // The size of what was stored (a file may grow or shrink while it is read): restore
        // and verify hold a point's content to the bytes its manifest claims.
        node.size = bytes;
        stats.files++;
        stats.bytes += bytes;
        node.content = await content;
        return true;
      },
      (error: unknown) => {
        if (error instanceof FerryError) throw error;
        warnings.push(`${absolute}: skipped (${errnoWords(error)})`);
        return false;
      },
    );
    return { stored: watch(stored) };
  }

  function unchanged(previous: TreeNode | undefined, info: Stats): previous is FileNode {
    return (
      previous?.type === 'file' &&
      previous.size === info.size &&
      previous.mtimeMs === info.mtimeMs &&
      previous.inode === fileIdentity(info) &&
      previous.content.every((id) => writer.known(id))
    );
  }

  /**
   * The previous point's listing of a folder, to skip unchanged files. A damaged one (or one
   * a damaged index hides) only costs reading the folder's files again, never the backup.
   */
  async function priorListing(treeId: string | undefined, where: string): Promise<Map<string, TreeNode>> {
    if (treeId === undefined) return new Map();
    try {
      return await trees.nodesByName(treeId);
    } catch (error) {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      warnings.push(`${where}: the previous point's listing cannot be read (${error.message}); its files are read again`);
      return new Map();
    }
  }

  /**
   * Walks a folder: starts storing its files (a few at a time) and walks its subfolders,
   * returning once everything in it is started, so reads never wait for a folder to
   * finish. `tree` settles with the folder's tree id once all of it is stored.
   */
  async function walkDir(absolute: string, relative: string, previousTree: string | undefined): Promise<{ tree: Promise<string> }> {
    checkStop();
    const previous = await priorListing(previousTree, absolute);
    let names: string[];
    try {
      names = (await readdir(absolute)).sort();
    } catch (error) {
      if (relative === '') throw error;
      warnings.push(`${absolute}: cannot list the folder (${errnoWords(error)})`);
      names = [];
    }
    const nodes: TreeNode[] = [];
    const unreadable = new Set<TreeNode>();
    const pending: Promise<unknown>[] = [];
    for (const name of names) {
      const childRelative = relative === '' ? name : `${relative}/${name}`;
      if (excluded(childRelative)) continue;
      const child = path.join(absolute, name);
      checkStop();
      try {
        const info = await lstat(child);
        const common = { name, mode: info.mode, mtimeMs: info.mtimeMs };
        const prior = previous.get(name);
        if (info.isDirectory()) {
          const { tree } = await walkDir(child, childRelative, prior?.type === 'dir' ? prior.subtree : undefined);
          const node: DirNode = { type: 'dir', ...common, subtree: '' };
          nodes.push(node);
          pending.push(watch(tree.then((id) => (node.subtree = id))));
          stats.dirs++;
        } else if (info.isSymbolicLink()) {
          nodes.push({ type: 'symlink', ...common, target: await readlink(child) });
          stats.symlinks++;
        } else if (info.isFile()) {
          const node: FileNode = { type: 'file', ...common, size: info.size, inode: fileIdentity(info), content: [] };
          nodes.push(node);
          if (unchanged(prior, info)) {
            node.content = prior.content;
            stats.files++;
            stats.bytes += info.size;
          } else {
            const { stored } = await startFile(child, info, node);
            pending.push(watch(stored.then((ok) => ok || unreadable.add(node))));
          }
        } else {
          warnings.push(`${child}: skipped (not a file, folder or link)`);
        }
      } catch (error) {
        if (error instanceof FerryError) throw error;
        warnings.push(`${child}: skipped (${errnoWords(error)})`);
      }
    }
    const tree = Promise.all(pending).then(() => writer.add('tree', encodeTree({ nodes: nodes.filter((node) => !unreadable.has(node)) })));
    return { tree: watch(tree) };
  }

  const roots = rootNames(workload.folders);
  await backup.markWriting({ pointId, workload: workload.name, started: created, host: hostname(), pid: process.pid });
  try {
    const previousRoots = await priorListing(options.previous?.tree, `the folders of workload ${workload.name}`);
    const rootNodes: DirNode[] = [];
    const subtrees: Promise<string>[] = [];
    for (const root of roots) {
      let info: Stats;
      try {
        info = await lstat(root.path);
      } catch (error) {
        throw new FerryError('not_found', `The folder ${root.path} of workload ${workload.name} cannot be read: ${errnoWords(error)}.`);
      }
      if (!info.isDirectory()) throw new FerryError('invalid_input', `${root.path} (workload ${workload.name}) is not a folder.`);
      const prior = previousRoots.get(root.name);
      subtrees.push((await walkDir(root.path, '', prior?.type === 'dir' ? prior.subtree : undefined)).tree);
      rootNodes.push({ type: 'dir', name: root.name, mode: info.mode, mtimeMs: info.mtimeMs, subtree: '' });
    }
    (await Promise.all(subtrees)).forEach((subtree, k) => (rootNodes[k]!.subtree = subtree));
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
      completed: new Date(clock.now()).toISOString(),
      lineage: null,
      gfs: { weekly: false, monthly: false, yearly: false },
      source: { host: hostname(), roots },
      tree,
      stats,
    };
    await backup.writePoint(point);
    report('', true);
    return { point, warnings };
  } catch (error) {
    fatal ??= error; // stops the reads still under way
    await Promise.allSettled(reading);
    throw error;
  } finally {
    await backup.clearWriting(pointId).catch(() => undefined);
  }
}
