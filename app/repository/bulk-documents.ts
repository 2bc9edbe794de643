import type { Codec } from '../format/codec.ts';
import { isHexId } from '../format/hash.ts';

/**
 * Index files and trees: the documents of the format read by the thousand (every index
 * entry when a backup opens, every node of every folder a walk visits). Checked by hand,
 * as strictly as the zod schemas check the others: zod spends ~5 µs per entry in a
 * command's first second (its parsers warm up) and a 1 TB repository has ~10⁶ entries.
 * The checked value is rebuilt from the known fields only, as zod's parse would.
 */

export type BlobType = 'data' | 'tree';

export interface IndexBlob {
  id: string;
  type: BlobType;
  codec: Codec;
  offset: number;
  length: number;
  plain: number;
}

/** An index file: which blobs each pack holds, and where. Written after its packs. */
export interface IndexFile {
  format: 'ferry-index';
  version: 1;
  packs: { id: string; blobs: IndexBlob[] }[];
}

interface NodeBase {
  name: string;
  mode: number;
  mtimeMs: number;
}
export interface FileNode extends NodeBase {
  type: 'file';
  size: number;
  /** Identity used to recognise unchanged files without reading them. */
  inode?: string;
  content: string[];
}
export interface DirNode extends NodeBase {
  type: 'dir';
  subtree: string;
}
export interface SymlinkNode extends NodeBase {
  type: 'symlink';
  target: string;
}
/** One entry of a directory listing inside a file tree blob. */
export type TreeNode = FileNode | DirNode | SymlinkNode;
export interface Tree {
  nodes: TreeNode[];
}

/**
 * What a check found wrong, naming the field (e.g. `packs[3].blobs[7].offset`). The path is
 * put together as the problem passes up through the lists, so a valid entry costs no strings.
 */
export class DocumentProblem extends Error {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
  }

  /** The same problem, seen from the item `at` of a list. */
  within(at: string): DocumentProblem {
    return new DocumentProblem(this.path === '' ? at : this.path.startsWith('[') ? `${at}${this.path}` : `${at}.${this.path}`, this.problem);
  }
}

/** The same result shape as zod's safeParse, so decodeDocument takes either. */
export type CheckResult<T> = { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };

type Json = Record<string, unknown>;

function object(value: unknown, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DocumentProblem(at, 'is not an object');
  return value as Json;
}

/** Each item of a list, checked (a loop, not map: map would pass over holes); a problem is named by its item. */
function list<T>(value: unknown, at: string, check: (item: unknown) => T): T[] {
  if (!Array.isArray(value)) throw new DocumentProblem(at, 'is not a list');
  const items = new Array<T>(value.length);
  for (let i = 0; i < value.length; i++) {
    try {
      items[i] = check(value[i]);
    } catch (error) {
      throw error instanceof DocumentProblem ? error.within(`${at}[${i}]`) : error;
    }
  }
  return items;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new DocumentProblem(at, 'is not a string');
  return value;
}

function hex64(value: unknown, at: string): string {
  if (typeof value !== 'string' || !isHexId(value)) throw new DocumentProblem(at, 'is not a 64-digit hex id');
  return value;
}

function integer(value: unknown, at: string): number {
  if (!Number.isSafeInteger(value)) throw new DocumentProblem(at, 'is not a whole number');
  return value as number;
}

function count(value: unknown, at: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new DocumentProblem(at, 'is not a whole number ≥ 0');
  return value as number;
}

function number(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DocumentProblem(at, 'is not a number');
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string): T {
  if (!allowed.includes(value as T)) throw new DocumentProblem(at, `is not one of ${allowed.join(', ')}`);
  return value as T;
}

function safely<T>(check: (json: unknown) => T): (json: unknown) => CheckResult<T> {
  return (json) => {
    try {
      return { success: true, data: check(json) };
    } catch (error) {
      if (error instanceof DocumentProblem) return { success: false, error: { issues: [{ message: error.message }] } };
      throw error;
    }
  };
}

const BLOB_TYPES: readonly BlobType[] = ['data', 'tree'];
const CODECS: readonly Codec[] = ['raw', 'zstd'];

function checkBlob(entry: unknown): IndexBlob {
  const blob = object(entry, '');
  return {
    id: hex64(blob.id, 'id'),
    type: oneOf(blob.type, BLOB_TYPES, 'type'),
    codec: oneOf(blob.codec, CODECS, 'codec'),
    offset: count(blob.offset, 'offset'),
    length: count(blob.length, 'length'),
    plain: count(blob.plain, 'plain'),
  };
}

function checkPack(value: unknown): IndexFile['packs'][number] {
  const pack = object(value, '');
  return { id: hex64(pack.id, 'id'), blobs: list(pack.blobs, 'blobs', checkBlob) };
}

function checkIndexFile(json: unknown): IndexFile {
  const doc = object(json, 'the index');
  if (doc.format !== 'ferry-index') throw new DocumentProblem('format', 'is not "ferry-index"');
  if (doc.version !== 1) throw new DocumentProblem('version', 'is not 1');
  return { format: 'ferry-index', version: 1, packs: list(doc.packs, 'packs', checkPack) };
}

function checkContentId(id: unknown): string {
  return hex64(id, '');
}

function checkNode(value: unknown): TreeNode {
  const node = object(value, '');
  const base = { name: string(node.name, 'name'), mode: integer(node.mode, 'mode'), mtimeMs: number(node.mtimeMs, 'mtimeMs') };
  switch (node.type) {
    case 'file': {
      const content = list(node.content, 'content', checkContentId);
      const size = count(node.size, 'size');
      if (node.inode === undefined) return { type: 'file', ...base, size, content };
      return { type: 'file', ...base, size, inode: string(node.inode, 'inode'), content };
    }
    case 'dir':
      return { type: 'dir', ...base, subtree: hex64(node.subtree, 'subtree') };
    case 'symlink':
      return { type: 'symlink', ...base, target: string(node.target, 'target') };
    default:
      throw new DocumentProblem('type', 'is not one of file, dir, symlink');
  }
}

function checkTree(json: unknown): Tree {
  return { nodes: list(object(json, 'the tree').nodes, 'nodes', checkNode) };
}

export const indexFile = { safeParse: safely(checkIndexFile) };
export const tree = { safeParse: safely(checkTree) };
