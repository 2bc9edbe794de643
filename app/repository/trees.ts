import type { BackupStore } from './backup-store.ts';
import { type Tree, tree, type TreeNode } from './bulk-documents.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { compareCodeUnits } from '../../shared/util/compare.ts';

/** Trees are JSON with nodes sorted by name, so equal folders give equal blobs (and dedup). */
export function encodeTree(value: Tree): Buffer {
  const nodes = [...value.nodes].sort((a, b) => compareCodeUnits(a.name, b.name));
  return Buffer.from(JSON.stringify({ nodes }), 'utf8');
}

/** A tree blob's plaintext as a tree; anything else is reported as corrupt. */
export function parseTree(plaintext: Buffer, id: string, where: string): Tree {
  let json: unknown;
  try {
    json = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new FerryError('corrupt_data', `Tree ${id} of ${where} is not a valid folder listing (not JSON).`, { blobId: id });
  }
  const checked = tree.safeParse(json);
  if (!checked.success) {
    throw new FerryError('corrupt_data', `Tree ${id} of ${where} is not a valid folder listing (${checked.error.issues[0]?.message}).`, { blobId: id });
  }
  return checked.data;
}

/** Reads and validates tree blobs, keeping recent ones (walks revisit parents). */
export class TreeReader {
  private readonly backup: BackupStore;
  private readonly cache = new Map<string, Tree>();

  constructor(backup: BackupStore) {
    this.backup = backup;
  }

  async read(id: string): Promise<Tree> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const parsed = parseTree(await this.backup.readBlob(id), id, this.backup.where);
    if (this.cache.size > 1024) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, parsed);
    return parsed;
  }

  async nodesByName(id: string): Promise<Map<string, TreeNode>> {
    return new Map((await this.read(id)).nodes.map((node) => [node.name, node]));
  }
}
