import { FerryError } from '../../shared/rpc/errors.ts';
import type { TreeNode } from './bulk-documents.ts';
import type { PointManifest } from './schemas.ts';

/**
 * What a walk of a point's folders meets, counted path by path: a folder listed twice
 * counts twice, as a restore would write it twice.
 */
export interface Shape {
  files: number;
  dirs: number;
  symlinks: number;
  /** The files' sizes as their listings give them. */
  bytes: number;
  /** The plaintext bytes of the files' chunks: what a restore writes. */
  content: number;
  /** Folders from the top to the deepest one. */
  depth: number;
}

/**
 * Deeper folders than a backup can make: every path Ferry backs up is at most PATH_MAX
 * (4096 bytes) long, so at most 2048 folders deep.
 */
export const MAX_DEPTH = 2048;
/**
 * What a point's content may hold beyond the bytes it claims. Points made before Ferry
 * recorded a file's size as read (not as listed) may hold files that grew while they
 * were read; their content is within twice the claim plus this.
 */
const GROWTH_ALLOWANCE = 64 * 1024 * 1024;

export function emptyShape(): Shape {
  return { files: 0, dirs: 0, symlinks: 0, bytes: 0, content: 0, depth: 0 };
}

/** Adds one node (a folder's own entry, not what is below it). `plainOf` gives a chunk's plaintext length (0 when unknown). */
export function addNode(shape: Shape, node: TreeNode, plainOf: (id: string) => number): void {
  if (node.type === 'dir') shape.dirs++;
  else if (node.type === 'symlink') shape.symlinks++;
  else {
    shape.files++;
    shape.bytes += node.size;
    for (const id of node.content) shape.content += plainOf(id);
  }
}

/** Adds the shape of a subfolder's content. */
export function addBelow(shape: Shape, below: Shape): void {
  shape.files += below.files;
  shape.dirs += below.dirs;
  shape.symlinks += below.symlinks;
  shape.bytes += below.bytes;
  shape.content += below.content;
  shape.depth = Math.max(shape.depth, below.depth + 1);
}

/**
 * Why a walk that met `shape` cannot be this point's (undefined when it can). An
 * honest point holds exactly what its manifest claims; trees that share subtrees can
 * claim little and hold 2⁴⁰ paths, which restore and copy would walk without end.
 * Identical folders legitimately share a tree: only exceeding the claim is refused.
 */
export function beyondClaim(point: PointManifest, shape: Shape): string | undefined {
  const { stats } = point;
  // The manifest's folder count leaves out the folders backed up (the top-level entries).
  const dirs = stats.dirs + point.source.roots.length;
  if (shape.depth > MAX_DEPTH) return `its folders go deeper than ${MAX_DEPTH} levels`;
  if (shape.files > stats.files) return `its folders list ${count(shape.files)} files where its manifest claims ${count(stats.files)}`;
  if (shape.dirs > dirs) return `its folders list ${count(shape.dirs)} folders where its manifest claims ${count(dirs)}`;
  if (shape.symlinks > stats.symlinks) return `its folders list ${count(shape.symlinks)} links where its manifest claims ${count(stats.symlinks)}`;
  if (shape.bytes > stats.bytes) return `its files' sizes add up to ${count(shape.bytes)} bytes where its manifest claims ${count(stats.bytes)}`;
  if (shape.content > 2 * stats.bytes + GROWTH_ALLOWANCE) return `its files' content adds up to ${count(shape.content)} bytes where its manifest claims ${count(stats.bytes)}`;
  return undefined;
}

/** The error for a point whose trees hold more than it claims (see beyondClaim). */
export function beyondClaimError(point: PointManifest, where: string, reason: string): FerryError {
  return new FerryError(
    'corrupt_data',
    `Restore point ${point.id} of workload "${point.workload}" (${where}) is damaged or crafted: ${reason}.`,
    { pointId: point.id, blobId: point.tree },
  );
}

/** Throws beyondClaimError when the shape exceeds the point's claim. */
export function checkClaim(point: PointManifest, where: string, shape: Shape): void {
  const reason = beyondClaim(point, shape);
  if (reason) throw beyondClaimError(point, where, reason);
}

function count(value: number): string {
  return Number.isSafeInteger(value) ? value.toLocaleString('en-US') : value.toExponential(2);
}
