import type { BackupStore } from './backup-store.ts';
import { type Tree, tree, type TreeNode } from './schemas.ts';
import { FerryError } from '../../shared/rpc/errors.ts';

/** Trees are JSON with nodes sorted by name, so equal folders give equal blobs (and dedup). */
export function encodeTree(value: Tree): Buffer {
  const nodes = [...value.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Buffer.from(JSON.stringify({ nodes }), 'utf8');
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
    const bytes = await this.backup.readBlob(id);
    let parsed: Tree;
    try {
      parsed = tree.parse(JSON.parse(bytes.toString('utf8')));
    } catch {
      throw new FerryError('corrupt_data', `Tree ${id} of ${this.backup.where} is not a valid folder listing.`, { blobId: id });
    }
    if (this.cache.size > 1024) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, parsed);
    return parsed;
  }

  async nodesByName(id: string): Promise<Map<string, TreeNode>> {
    return new Map((await this.read(id)).nodes.map((node) => [node.name, node]));
  }
}
