import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore, IndexEntry } from '../repository/backup-store.ts';
import { keys } from '../repository/layout.ts';
import type { PointManifest, TreeNode } from '../repository/schemas.ts';
import { TreeReader } from '../repository/trees.ts';

export interface Damage {
  point: string;
  workload: string;
  /** The file or folder that needs the damaged blob ('<root>/sub/file'). */
  path: string;
  blobId: string;
  message: string;
}

export interface VerifyResult {
  points: number;
  blobsChecked: number;
  bytesChecked: number;
  damage: Damage[];
}

export interface VerifyOptions {
  backup: BackupStore;
  /** Only these points (all when absent). */
  points?: PointManifest[];
  signal?: AbortSignal;
  onProgress?: (progress: { blobsChecked: number; blobsTotal: number; bytesChecked: number }) => void;
}

/**
 * Reads every blob the points need, pack by pack (one read per pack), checks each
 * (authentication, decompression, SHA-256 = id), then walks the points' trees to say
 * which point, file and blob each damage hits.
 */
export async function verifyBackup(options: VerifyOptions): Promise<VerifyResult> {
  const { backup, signal } = options;
  const points = options.points ?? (await backup.listPoints());
  const bad = new Map<string, string>();
  const trees = new TreeReader(backup);
  const result: VerifyResult = { points: points.length, blobsChecked: 0, bytesChecked: 0, damage: [] };

  // Trees first: a damaged tree hides the blobs below it, which is itself the damage.
  const needed = new Set<string>();
  const treeOf = async (id: string): Promise<TreeNode[] | undefined> => {
    try {
      return (await trees.read(id)).nodes;
    } catch (error) {
      if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
      bad.set(id, error.message);
      return undefined;
    }
  };
  const collect = async (treeId: string): Promise<void> => {
    if (needed.has(treeId)) return;
    needed.add(treeId);
    for (const node of (await treeOf(treeId)) ?? []) {
      if (node.type === 'file') for (const id of node.content) needed.add(id);
      else if (node.type === 'dir') await collect(node.subtree);
    }
  };
  for (const point of points) await collect(point.tree);

  const byPack = new Map<string, { id: string; entry: IndexEntry }[]>();
  for (const id of needed) {
    const entry = backup.entry(id);
    if (!entry) {
      bad.set(id, `blob ${id} is missing from the index`);
      continue;
    }
    const list = byPack.get(entry.pack) ?? [];
    list.push({ id, entry });
    byPack.set(entry.pack, list);
  }
  const total = needed.size;
  for (const [pack, blobs] of byPack) {
    if (signal?.aborted) throw new FerryError('cancelled', 'The verification was stopped.');
    let bytes: Buffer;
    try {
      bytes = await backup.store.get(keys.pack(backup.folder, pack));
    } catch (error) {
      if (error instanceof FerryError && error.code === 'not_found') {
        for (const { id } of blobs) bad.set(id, `pack ${pack} is missing`);
        continue;
      }
      throw error;
    }
    for (const { id, entry } of blobs) {
      result.blobsChecked++;
      result.bytesChecked += entry.plain;
      if (bad.has(id)) continue;
      try {
        const stored = bytes.subarray(entry.offset, entry.offset + entry.length);
        if (stored.length !== entry.length) throw new FerryError('corrupt_data', `pack ${pack} is truncated`);
        backup.decode(id, entry, Buffer.from(stored));
      } catch (error) {
        if (!(error instanceof FerryError) || error.code !== 'corrupt_data') throw error;
        bad.set(id, error.message);
      }
    }
    options.onProgress?.({ blobsChecked: result.blobsChecked, blobsTotal: total, bytesChecked: result.bytesChecked });
  }
  if (bad.size > 0) result.damage = await locate(points, bad, treeOf);
  return result;
}

/** Maps damaged blobs to the points and paths that need them. */
async function locate(
  points: PointManifest[],
  bad: Map<string, string>,
  treeOf: (id: string) => Promise<TreeNode[] | undefined>,
): Promise<Damage[]> {
  const damage: Damage[] = [];
  for (const point of points) {
    const report = (path: string, blobId: string) =>
      damage.push({ point: point.id, workload: point.workload, path, blobId, message: bad.get(blobId)! });
    const walk = async (treeId: string, prefix: string): Promise<void> => {
      if (bad.has(treeId)) {
        report(prefix || '/', treeId);
        return;
      }
      for (const node of (await treeOf(treeId)) ?? []) {
        const path = prefix ? `${prefix}/${node.name}` : node.name;
        if (node.type === 'dir') await walk(node.subtree, path);
        else if (node.type === 'file') {
          const hit = node.content.find((id) => bad.has(id));
          if (hit) report(path, hit);
        }
      }
    };
    await walk(point.tree, '');
  }
  return damage;
}
