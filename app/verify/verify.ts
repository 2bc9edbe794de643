import { FerryError } from '../../shared/rpc/errors.ts';
import type { BackupStore, DamagedItem } from '../repository/backup-store.ts';
import { readBlobs } from '../repository/blob-reader.ts';
import type { TreeNode } from '../repository/bulk-documents.ts';
import type { PointManifest } from '../repository/schemas.ts';
import { Listings } from '../repository/listings.ts';
import { beyondClaim, beyondClaimError } from '../repository/point-shape.ts';
import { NeededBlobs } from '../repository/needed-blobs.ts';
import { TreeReader } from '../repository/trees.ts';
import { checkPackHeaders } from './pack-headers.ts';

export interface Damage {
  point: string;
  workload: string;
  /** The file or folder that needs the damaged blob ('<root>/sub/file'). */
  path: string;
  blobId: string;
  message: string;
}

export interface DamagedBlob {
  id: string;
  /** Absent when no index file describes the blob. */
  pack?: string | undefined;
  message: string;
}

export interface VerifyResult {
  points: number;
  blobsChecked: number;
  bytesChecked: number;
  packsChecked: number;
  /** Packs no index file describes (see PackHeaderCheck): not damage, but `--repair` indexes them. */
  unindexedPacks: string[];
  /** What the points lose: each damaged blob by point and file (a file's first). */
  damage: Damage[];
  /** Every blob the points need that could not be read or failed its check, with the pack the index placed it in. */
  damagedBlobs: DamagedBlob[];
  /** Damaged files of the backup itself (point files, index files, packs), each named by its key. */
  damagedFiles: DamagedItem[];
}

export interface VerifyOptions {
  backup: BackupStore;
  /** Only these points (all when absent). */
  points?: PointManifest[];
  signal?: AbortSignal;
  /** Throws to stop, as the signal does. */
  checkCancelled?: () => void;
  onProgress?: (progress: { blobsChecked: number; blobsTotal: number; bytesChecked: number }) => void;
}

/**
 * Reads every blob the points need, pack by pack (readBlobs), checks each
 * (authentication, decompression, SHA-256 = id), then walks the points' trees to say
 * which point, file and blob each damage hits, and checks every pack's header against
 * the index. Damage never stops it: damaged point and index files are reported and the
 * rest is verified. A point whose trees hold more than its manifest claims (folders
 * that share subtrees) is damage of the whole point.
 */
export async function verifyBackup(options: VerifyOptions): Promise<VerifyResult> {
  const { backup, signal } = options;
  const checkCancelled = () => {
    options.checkCancelled?.();
    if (signal?.aborted) throw new FerryError('cancelled', 'The verification was stopped.');
  };
  // The index as it is now, read under the caller's lock (a backup opened for its points has none yet).
  await backup.refreshIndex();
  const damagedFiles = [...backup.damagedIndexes];
  let points = options.points;
  if (!points) {
    const listing = await backup.listPoints();
    points = listing.points;
    damagedFiles.push(...listing.damaged);
  }
  const bad = new Map<string, string>();
  const missingPack = (id: string) => `pack ${backup.entry(id)?.pack} is missing`;
  const listings = new Listings(new TreeReader(backup));
  const result: VerifyResult = { points: points.length, blobsChecked: 0, bytesChecked: 0, packsChecked: 0, unindexedPacks: [], damage: [], damagedBlobs: [], damagedFiles };

  // Trees first: a damaged tree hides the blobs below it, which is itself the damage.
  const treeOf = async (id: string): Promise<TreeNode[] | undefined> => {
    try {
      return await listings.nodes(id);
    } catch (error) {
      if (!(error instanceof FerryError) || (error.code !== 'corrupt_data' && error.code !== 'not_found')) throw error;
      bad.set(id, error.code === 'not_found' ? missingPack(id) : error.message);
      return undefined;
    }
  };
  const walk = new NeededBlobs(treeOf, (id) => backup.entry(id)?.plain ?? 0);
  const needed = walk.ids;
  /** Points whose trees hold more than they claim: reported as a whole, their paths never walked. */
  const beyond = new Set<string>();
  for (const point of points) {
    const reason = beyondClaim(point, await walk.walk(point.tree));
    if (!reason) continue;
    beyond.add(point.id);
    const error = beyondClaimError(point, backup.where, reason);
    result.damage.push({ point: point.id, workload: point.workload, path: '/', blobId: point.tree, message: error.message });
  }

  const total = needed.size;
  const checked = (id: string) => {
    result.blobsChecked++;
    result.bytesChecked += backup.entry(id)?.plain ?? 0;
    options.onProgress?.({ blobsChecked: result.blobsChecked, blobsTotal: total, bytesChecked: result.bytesChecked });
  };
  await readBlobs(backup, needed, {
    checkCancelled,
    onBlob: checked,
    onFailure: (id, error) => {
      if (!(error instanceof FerryError) || (error.code !== 'not_found' && error.code !== 'corrupt_data')) throw error;
      // A tree found damaged above keeps its first report.
      if (!bad.has(id)) bad.set(id, error.code === 'not_found' ? missingPack(id) : error.message);
      if (backup.has(id)) checked(id);
    },
  });
  for (const [id, message] of bad) result.damagedBlobs.push({ id, pack: backup.entry(id)?.pack, message });
  if (bad.size > 0) result.damage.push(...(await locate(points.filter((point) => !beyond.has(point.id)), bad, treeOf)));
  const packs = await checkPackHeaders(backup, checkCancelled);
  result.packsChecked = packs.packsChecked;
  result.unindexedPacks = packs.unindexed;
  result.damagedFiles.push(...packs.damaged);
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
