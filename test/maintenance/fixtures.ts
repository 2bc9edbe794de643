import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { backupWorkload } from '../../app/backup/folder-backup.ts';
import { type BackupStore } from '../../app/repository/backup-store.ts';
import { keys } from '../../app/repository/layout.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { TreeReader } from '../../app/repository/trees.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { packHeader, storedPacks } from '../../app/verify/pack-headers.ts';
import { idToHex } from '../../app/format/hash.ts';
import { digestTree, FAST_KDF, InstrumentedStore } from '../copy/fixtures.ts';
import { pseudoRandom } from '../format/helpers.ts';
import { tempDir } from '../helpers.ts';

export const KiB = 1024;
/** Small packs: a few blobs each, so points share packs and forgetting leaves packs partly needed. */
export const SMALL_PACKS = 64 * KiB;

export interface PointsBackup {
  store: ObjectStore;
  backup: BackupStore;
  password: string | undefined;
  /** Oldest first. */
  points: PointManifest[];
  /** What each point must restore to (digestTree of its source at backup time), by point id. */
  digests: Map<string, Record<string, string>>;
}

/**
 * A backup "Files" of `count` points of one workload, in packs of SMALL_PACKS: every point
 * holds 6 files common to all, and 4 files of its own (incompressible, 12–30 KiB: one
 * chunk each), so forgetting a point leaves its own chunks unneeded.
 */
export async function pointsBackup(t: TestContext, store: ObjectStore, options: { password?: string; count?: number } = {}): Promise<PointsBackup> {
  const { password, count = 6 } = options;
  const source = path.join(await tempDir(t), 'Data');
  await mkdir(path.join(source, 'common'), { recursive: true });
  for (let i = 0; i < 6; i++) await writeFile(path.join(source, 'common', `c-${i}.bin`), pseudoRandom(12 * KiB + i * 3001, 1000 + i));
  await Repository.init(store, password === undefined ? {} : { password, kdf: FAST_KDF });
  const repository = await Repository.open(store);
  const backup = await repository.openOrCreateBackup('Files', { kind: 'folder-backup', kdf: FAST_KDF, ...(password ? { password } : {}) });
  const points: PointManifest[] = [];
  const digests = new Map<string, Record<string, string>>();
  for (let p = 0; p < count; p++) {
    await rm(path.join(source, 'own'), { recursive: true, force: true });
    await mkdir(path.join(source, 'own'));
    for (let i = 0; i < 4; i++) await writeFile(path.join(source, 'own', `p${p}-${i}.bin`), pseudoRandom(18 * KiB + i * 4001, p * 10 + i));
    const writer = backup.writer({ packTarget: SMALL_PACKS });
    const { point } = await backupWorkload({ backup, writer, workload: { name: 'files', folders: [source] }, ...(points.length ? { previous: points.at(-1)! } : {}) });
    await writer.close();
    points.push(point);
    digests.set(point.id, await digestTree(source));
  }
  return { store, backup, password, points, digests };
}

/**
 * A new empty folder store; `inMemory`: on a tmpfs where there is one (Linux's /dev/shm),
 * where thousands of small writes do not wait for a disk's flushes.
 */
export async function folderStore(t: TestContext, options: { inMemory?: boolean } = {}): Promise<LocalFolderStore> {
  const base = options.inMemory && existsSync('/dev/shm') ? await mkdtemp('/dev/shm/ferry-test-') : await tempDir(t);
  if (base.startsWith('/dev/shm/')) t.after(() => rm(base, { recursive: true, force: true }));
  const folder = path.join(base, 'repo');
  await mkdir(folder);
  return new LocalFolderStore(folder);
}

/** Forgets points as retention does: their manifests go. */
export async function forget(backup: BackupStore, points: readonly PointManifest[]): Promise<void> {
  for (const point of points) await backup.store.delete(keys.point(backup.folder, point.id));
}

/** Opens the backup again from what is stored (what the next reader sees). */
export async function reopen(store: ObjectStore, password: string | undefined): Promise<BackupStore> {
  return (await Repository.open(store)).openBackup('Files', password);
}

/** Restores the point into a fresh folder: byte-identical to its source when it was backed up. */
export async function assertRestores(t: TestContext, backup: BackupStore, point: PointManifest, digest: Record<string, string>): Promise<void> {
  const into = await tempDir(t, 'ferry-restore-');
  const result = await restorePoint({ backup, point, target: into });
  assert.deepEqual(result.problems, [], `point ${point.id} restores without problems`);
  assert.deepEqual(await digestTree(path.join(into, point.source.roots[0]!.name)), digest, `point ${point.id} restores byte-identical`);
}

/** Every blob the points need, found by walking their trees here (not by the code under test). */
export async function neededBlobs(backup: BackupStore, points: readonly PointManifest[]): Promise<Set<string>> {
  const reader = new TreeReader(backup);
  const needed = new Set<string>();
  const walk = async (tree: string): Promise<void> => {
    if (needed.has(tree)) return;
    needed.add(tree);
    for (const node of (await reader.read(tree)).nodes) {
      if (node.type === 'file') for (const id of node.content) needed.add(id);
      else if (node.type === 'dir') await walk(node.subtree);
    }
  };
  for (const point of points) await walk(point.tree);
  return needed;
}

/** The stored packs by their headers: size, and the blobs each holds (id → stored length). */
export async function packContents(backup: BackupStore): Promise<Map<string, { size: number; blobs: Map<string, number> }>> {
  const packs = new Map<string, { size: number; blobs: Map<string, number> }>();
  for (const [pack, size] of await storedPacks(backup)) {
    const header = await packHeader(backup, pack, size);
    packs.set(pack, { size, blobs: new Map(header.map((entry) => [idToHex(entry.id), entry.storedLength])) });
  }
  return packs;
}

export class InjectedFault extends Error {}

/**
 * A store in front of another whose mutating calls (put, delete) are counted, and one of
 * them fails: the `failAt`-th, before it is done (a crash just before it) or after (done,
 * but the reply lost); or every delete whose key matches `failDeletes` (an S3 DELETE refused).
 */
export class FaultyStore extends InstrumentedStore {
  ops = 0;
  private readonly failAt: number | undefined;
  private readonly when: 'before' | 'after';
  private readonly failDeletes: RegExp | undefined;

  constructor(inner: ObjectStore, options: { failAt?: number; when?: 'before' | 'after'; failDeletes?: RegExp }) {
    super(inner);
    this.failAt = options.failAt;
    this.when = options.when ?? 'before';
    this.failDeletes = options.failDeletes;
  }

  private async mutate(key: string, work: () => Promise<void>): Promise<void> {
    const op = ++this.ops;
    if (op === this.failAt && this.when === 'before') throw new InjectedFault(`injected failure before operation ${op} (${key})`);
    await work();
    if (op === this.failAt) throw new InjectedFault(`injected failure after operation ${op} (${key})`);
  }

  override put(key: string, data: Uint8Array): Promise<void> {
    return this.mutate(key, () => super.put(key, data));
  }

  override delete(key: string): Promise<void> {
    if (this.failDeletes?.test(key)) return Promise.reject(new InjectedFault(`DELETE ${key} refused`));
    return this.mutate(key, () => super.delete(key));
  }
}

/**
 * After anything (a fault, a kill): the backup as the next reader opens it has every kept
 * point whole (verify finds no damage) and each restores byte-identical.
 */
export async function assertKeptIntact(
  t: TestContext,
  store: ObjectStore,
  password: string | undefined,
  kept: readonly PointManifest[],
  digests: Map<string, Record<string, string>>,
  options: { restore?: boolean } = {},
): Promise<BackupStore> {
  const backup = await reopen(store, password);
  const verified = await verifyBackup({ backup });
  assert.deepEqual(verified.damage, []);
  assert.deepEqual(verified.damagedFiles, []);
  assert.deepEqual((await backup.listPoints()).points.map((point) => point.id), kept.map((point) => point.id));
  if (options.restore ?? true) for (const point of kept) await assertRestores(t, backup, point, digests.get(point.id)!);
  return backup;
}

/** Stored bytes of the packs, and the stored bytes of the blobs the points need (each once). */
export async function storedAndNeeded(backup: BackupStore, points: readonly PointManifest[]): Promise<{ stored: number; needed: number; uselessPacks: string[] }> {
  const needed = await neededBlobs(backup, points);
  const counted = new Set<string>();
  let stored = 0;
  let neededBytes = 0;
  const uselessPacks: string[] = [];
  for (const [pack, { size, blobs }] of await packContents(backup)) {
    stored += size;
    const useful = [...blobs.keys()].filter((id) => needed.has(id));
    if (useful.length === 0) uselessPacks.push(pack);
    for (const id of useful.filter((id) => !counted.has(id))) {
      counted.add(id);
      neededBytes += blobs.get(id)!;
    }
  }
  assert.equal(counted.size, needed.size, 'every needed blob is stored');
  return { stored, needed: neededBytes, uselessPacks };
}
