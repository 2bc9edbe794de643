import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import type { CopyProgress } from '../../app/copy/copy-point.ts';
import type { PickMode } from '../../app/copy/plan.ts';
import { runCopy, type SourceBackup } from '../../app/copy/run-copy.ts';
import { prepareCopyTarget } from '../../app/copy/target.ts';
import { unthrottled } from '../../app/copy/throttle.ts';
import type { BackupStore } from '../../app/repository/backup-store.ts';
import { keys } from '../../app/repository/layout.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { TreeReader } from '../../app/repository/trees.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectInfo, ObjectStore } from '../../app/storage/object-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { snapshot } from '../backup/tree-fixtures.ts';
import { tempDir } from '../helpers.ts';

/** scrypt parameters that keep key derivation in the milliseconds. */
export const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 };

/** A new repository in `root/name` (encrypted with fast key derivation when a password is given). */
export async function newRepository(root: string, name: string, password?: string): Promise<{ path: string; store: LocalFolderStore; repository: Repository }> {
  const folder = path.join(root, name);
  await mkdir(folder, { recursive: true });
  const store = new LocalFolderStore(folder);
  const repository = await Repository.init(store, password === undefined ? {} : { password, kdf: FAST_KDF });
  return { path: folder, store, repository };
}

/** `count` files of `size` random bytes: incompressible, so stored bytes track content bytes. */
export async function writeRandomFiles(folder: string, count: number, size: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(path.join(folder, `file-${i}.bin`), randomBytes(size));
}

/** Rewrites files of a random tree in place with new random content. */
export async function rewriteFiles(folder: string, indexes: readonly number[], size: number): Promise<void> {
  for (const i of indexes) await writeFile(path.join(folder, `file-${i}.bin`), randomBytes(size));
}

/** One folder backup run that must succeed for every workload; the new point of each. */
export async function backupFolders(
  store: ObjectStore,
  job: string,
  workloads: Record<string, string>,
  password?: string,
): Promise<{ backup: BackupStore; points: Record<string, PointManifest> }> {
  const { backup, tasks } = await runBackup({
    store,
    jobName: job,
    workloads: Object.entries(workloads).map(([name, folder]) => ({ name, folders: [folder] })),
    kdf: FAST_KDF,
    ...(password === undefined ? {} : { password }),
  });
  const points: Record<string, PointManifest> = {};
  for (const task of tasks) {
    assert.equal(task.result, 'success', `${task.workload}: ${task.reason}`);
    points[task.workload] = task.point!;
  }
  return { backup, points };
}

export interface CopyOptions {
  from: Repository | readonly Repository[];
  fromPassword?: string | undefined;
  to: Repository;
  toPassword?: string | undefined;
  job?: string;
  workloads?: string[];
  mode?: PickMode;
  parallel?: number;
  /** Store encrypted sources in an unencrypted target (the plaintext rule refuses it otherwise). */
  allowPlaintext?: boolean;
  /** Sources besides every backup of `from` (the same backup twice, a copy's backup…). */
  extraSources?: SourceBackup[];
  onProgress?: (workload: string, progress: CopyProgress) => void;
  signal?: AbortSignal;
  /** The run's session log. */
  log?: (level: 'info' | 'warning' | 'error', message: string) => void;
}

/** Every backup of the repositories as copy sources (what `ferry copy` does). */
export async function sourcesOf(from: Repository | readonly Repository[], password?: string, workloads?: string[]): Promise<SourceBackup[]> {
  const sources: SourceBackup[] = [];
  for (const repository of Array.isArray(from) ? from : [from as Repository]) {
    for (const folder of await repository.listBackupFolders()) {
      const backup = await repository.openBackup(folder, password, { index: false });
      sources.push({ backup, repository: repository.store.location, ...(workloads ? { workloads } : {}) });
    }
  }
  return sources;
}

/** One copy run in this process, as `ferry copy` makes it (a backup-copy backup named after the job). */
export async function copyOnce(options: CopyOptions) {
  const prepared = await prepareCopyTarget(options.to, { name: options.job ?? 'Offsite', password: options.toPassword, kdf: FAST_KDF });
  const { target, tasks } = await runCopy({
    target: prepared,
    sources: [...(await sourcesOf(options.from, options.fromPassword, options.workloads)), ...(options.extraSources ?? [])],
    mode: options.mode ?? 'newest',
    missingWorkload: 'failed',
    parallelWorkloads: options.parallel ?? 2,
    plaintext: { allowed: options.allowPlaintext ?? false, howToAllow: 'allowPlaintext' },
    throttle: unthrottled,
    purpose: 'test copy',
    signal: options.signal,
    onProgress: options.onProgress,
    log: options.log,
  });
  return {
    /** The job's backup: a run that made none (nothing to copy) fails the test that reads it. */
    get target(): BackupStore {
      assert.ok(target, 'the run made no backup on the target');
      return target;
    },
    made: target !== undefined,
    tasks,
    task: (workload: string) => tasks.find((t) => t.workload === workload),
  };
}

/** Path → what a restore must reproduce, file content as SHA-256. */
export async function digestTree(root: string): Promise<Record<string, string>> {
  const entries = Object.entries(await snapshot(root)).map(([at, entry]) => {
    if (entry.type !== 'file') return [at, entry.type === 'dir' ? 'dir' : `link ${entry.target}`];
    const sha = createHash('sha256').update(Buffer.from(entry.content, 'base64')).digest('hex');
    return [at, `file ${sha} mode ${entry.mode.toString(8)} mtime ${entry.mtimeMs}`];
  });
  return Object.fromEntries(entries);
}

/** Restores the point into a fresh folder and compares it with the folder it was made of. */
export async function assertRestoresLike(t: TestContext, backup: BackupStore, point: PointManifest, source: string): Promise<void> {
  const into = await tempDir(t, 'ferry-restore-');
  const result = await restorePoint({ backup, point, target: into });
  assert.deepEqual(result.problems, []);
  const root = point.source.roots[0]!.name;
  assert.deepEqual(await digestTree(path.join(into, root)), await digestTree(source), `point ${point.id} restores byte-identical`);
}

/** verifyBackup finds no damage (and checks at least `points` points). */
export async function assertVerifies(backup: BackupStore, points?: number): Promise<void> {
  const verified = await verifyBackup({ backup });
  assert.deepEqual(verified.damage, []);
  assert.deepEqual(verified.damagedFiles, []);
  if (points !== undefined) assert.equal(verified.points, points);
}

/** A data chunk of `file` (a path in the point, '<root>/name') and its place in a pack. */
export async function chunkOf(backup: BackupStore, point: PointManifest, file: string): Promise<{ id: string; packFile: string; offset: number }> {
  const reader = new TreeReader(backup);
  let tree = point.tree;
  const names = file.split('/');
  for (const [depth, name] of names.entries()) {
    const node = (await reader.nodesByName(tree)).get(name);
    if (depth === names.length - 1) {
      assert.ok(node?.type === 'file', `${file} is a file of the point`);
      const id = node.content[0]!;
      const entry = backup.entry(id)!;
      return { id, packFile: path.join(backup.store.location, keys.pack(backup.folder, entry.pack)), offset: entry.offset };
    }
    assert.ok(node?.type === 'dir', `${name} is a folder of the point`);
    tree = node.subtree;
  }
  throw new Error('empty path');
}

/** Flips one byte of a chunk in its pack file. */
export async function damageChunk(chunk: { packFile: string; offset: number }): Promise<void> {
  const bytes = await readFile(chunk.packFile);
  bytes[chunk.offset + 40]! ^= 0x01;
  await writeFile(chunk.packFile, bytes);
}

/** The object keys under a local repository, for "nothing was written" checks. */
export async function listKeys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const all: string[] = [];
  for await (const object of store.list(prefix)) all.push(object.key);
  return all.sort();
}

/**
 * An object store in front of another that counts what is written and can fail writes:
 * `beforePut` runs before each put and may throw (a full drive) or wait (a server stopped);
 * `beforeRead` before each get or range read (`range` for the latter).
 */
export class InstrumentedStore implements ObjectStore {
  readonly inner: ObjectStore;
  readonly location: string;
  /** Bytes put, per kind of object ('packs', 'index', 'points', …). */
  readonly written = new Map<string, number>();
  /** Objects read whole (get), per kind. */
  readonly gets = new Map<string, number>();
  beforePut: ((key: string, data: Uint8Array) => void | Promise<void>) | undefined;
  beforeRead: ((key: string, range?: { offset: number; length: number }) => void | Promise<void>) | undefined;

  constructor(inner: ObjectStore) {
    this.inner = inner;
    this.location = inner.location;
  }

  bytes(kind: string): number {
    return this.written.get(kind) ?? 0;
  }

  get total(): number {
    return [...this.written.values()].reduce((a, b) => a + b, 0);
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    await this.beforePut?.(key, data);
    await this.inner.put(key, data);
    const kind = key.split('/')[1] ?? key;
    this.written.set(kind, this.bytes(kind) + data.length);
  }

  async get(key: string): Promise<Buffer> {
    await this.beforeRead?.(key);
    const kind = key.split('/')[1] ?? key;
    this.gets.set(kind, (this.gets.get(kind) ?? 0) + 1);
    return this.inner.get(key);
  }

  async getRange(key: string, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    await this.beforeRead?.(key, { offset, length });
    return this.inner.getRange(key, offset, length, into);
  }

  stat(key: string): Promise<ObjectInfo | undefined> {
    return this.inner.stat(key);
  }

  list(prefix: string): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix);
  }

  folders(prefix: string): Promise<string[]> {
    return this.inner.folders(prefix);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  space(): Promise<{ freeBytes: number; totalBytes: number } | undefined> {
    return this.inner.space();
  }

  close(): void {
    this.inner.close?.();
  }
}
