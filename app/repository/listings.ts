import type { TreeNode } from './bulk-documents.ts';
import type { TreeReader } from './trees.ts';

/** Listings read ahead and not taken yet, at most: bounds the memory of a walk of a huge tree. */
const MAX_AHEAD = 256;

/**
 * Folder listings for a walk of a point's trees, read ahead: once a folder's listing is
 * read, its subfolders' listings are requested too, and so on down, because read one
 * at a time each would wait for the disk (or a round trip to S3) in turn.
 */
export class Listings {
  private readonly trees: TreeReader;
  private readonly ahead = new Map<string, Promise<TreeNode[]>>();

  constructor(trees: TreeReader) {
    this.trees = trees;
  }

  /** The nodes of tree `id` (rejects as TreeReader.read does). */
  async nodes(id: string): Promise<TreeNode[]> {
    const pending = this.ahead.get(id) ?? this.read(id);
    this.ahead.delete(id);
    const nodes = await pending;
    this.readAhead(nodes);
    return nodes;
  }

  private readAhead(nodes: TreeNode[]): void {
    for (const node of nodes) {
      if (node.type !== 'dir' || this.ahead.has(node.subtree) || this.ahead.size >= MAX_AHEAD) continue;
      const next = this.read(node.subtree);
      // A failure is reported when the walk gets there.
      next.then((children) => this.readAhead(children), () => undefined);
      this.ahead.set(node.subtree, next);
    }
  }

  private async read(id: string): Promise<TreeNode[]> {
    return (await this.trees.read(id)).nodes;
  }
}
