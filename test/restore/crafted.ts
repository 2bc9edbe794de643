import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { BackupStore, BlobWriter } from '../../app/repository/backup-store.ts';
import type { DirNode, FileNode, SymlinkNode, TreeNode } from '../../app/repository/bulk-documents.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { PointManifest, PointStats } from '../../app/repository/schemas.ts';
import { encodeTree } from '../../app/repository/trees.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { tempDir } from '../helpers.ts';

/**
 * Crafted repositories: points written with the project's own writer, so every blob,
 * index and manifest is well-formed, but whose trees are what an attacker chose.
 */
export interface Crafted {
  dir: string;
  repo: string;
  store: LocalFolderStore;
  backup: BackupStore;
  writer: BlobWriter;
  /** Stores a tree of these nodes; its id. */
  tree(nodes: TreeNode[]): Promise<string>;
  /** Stores a chunk; its id. */
  chunk(data: Buffer): Promise<string>;
  /** Commits and writes a point of workload "files" whose top tree holds `roots` (each a folder), claiming `stats`. */
  point(roots: DirNode[], stats: Partial<PointStats>): Promise<PointManifest>;
}

const MTIME = 1_600_000_000_000;

export const dir = (name: string, subtree: string, mode = 0o40755): DirNode => ({ type: 'dir', name, mode, mtimeMs: MTIME, subtree });
export const link = (name: string, target: string): SymlinkNode => ({ type: 'symlink', name, mode: 0o120777, mtimeMs: MTIME, target });
export const file = (name: string, content: string[], size: number, mode = 0o100644): FileNode => ({ type: 'file', name, mode, mtimeMs: MTIME, size, content });

export async function craftedRepository(t: TestContext): Promise<Crafted> {
  const dir = await tempDir(t);
  const repo = path.join(dir, 'repo');
  await mkdir(repo);
  const store = new LocalFolderStore(repo);
  return { dir, repo, store, ...(await craftedBackup(store, 'Crafted')) };
}

/** A new unencrypted repository in `store` with one backup `name`: its writer and the means to write points of chosen trees. */
export async function craftedBackup(store: ObjectStore, name: string): Promise<Omit<Crafted, 'dir' | 'repo' | 'store'>> {
  await Repository.init(store, {});
  const backup = await (await Repository.open(store)).openOrCreateBackup(name, { kind: 'folder-backup' });
  const writer = backup.writer();
  return {
    backup,
    writer,
    tree: (nodes) => writer.add('tree', encodeTree({ nodes })),
    chunk: (data) => writer.add('data', data),
    async point(roots, stats) {
      const top = await writer.add('tree', encodeTree({ nodes: roots }));
      await writer.commit();
      const now = new Date().toISOString();
      const point: PointManifest = {
        format: 'ferry-point',
        version: 1,
        id: randomBytes(16).toString('hex'),
        backupId: backup.config.id,
        workload: 'files',
        created: now,
        completed: now,
        lineage: null,
        gfs: { weekly: false, monthly: false, yearly: false },
        source: { host: 'crafted', roots: roots.map((root) => ({ name: root.name, path: `/${root.name}` })) },
        tree: top,
        stats: { files: 0, dirs: 0, symlinks: 0, bytes: 0, bytesRead: 0, bytesNew: 0, bytesStored: 0, blobsNew: 0, ...stats },
      };
      await backup.writePoint(point);
      return point;
    },
  };
}
