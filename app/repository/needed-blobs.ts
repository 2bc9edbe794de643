import type { TreeNode } from './bulk-documents.ts';
import { addBelow, addNode, emptyShape, type Shape } from './point-shape.ts';

/**
 * The blobs restore points need (their trees and the chunks of their files), found by
 * walking their trees, each distinct tree once, with what each tree holds path by path
 * (see beyondClaim): folders that share subtrees cost their few trees. Verify checks
 * what it finds; compaction keeps it.
 */
export class NeededBlobs {
  readonly ids = new Set<string>();
  private readonly shapes = new Map<string, Shape>();
  /** A tree's nodes; undefined for one that cannot be read (the caller has noted it). */
  private readonly nodesOf: (treeId: string) => Promise<TreeNode[] | undefined>;
  /** A chunk's plaintext length (0 when unknown). */
  private readonly plainOf: (id: string) => number;

  constructor(nodesOf: (treeId: string) => Promise<TreeNode[] | undefined>, plainOf: (id: string) => number) {
    this.nodesOf = nodesOf;
    this.plainOf = plainOf;
  }

  /** Adds what the tree and everything below it need; what it holds, path by path. */
  async walk(treeId: string): Promise<Shape> {
    const known = this.shapes.get(treeId);
    if (known) return known;
    this.ids.add(treeId);
    const shape = emptyShape();
    for (const node of (await this.nodesOf(treeId)) ?? []) {
      addNode(shape, node, this.plainOf);
      if (node.type === 'file') for (const id of node.content) this.ids.add(id);
      else if (node.type === 'dir') addBelow(shape, await this.walk(node.subtree));
    }
    this.shapes.set(treeId, shape);
    return shape;
  }
}
