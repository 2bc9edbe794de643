import type { Dirent } from 'node:fs';
import { open, readdir, readFile, rmdir, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders } from '../repositories/local-folder.ts';
import { isDeadTemporary, type WriteHooks, writeFileAtomically } from './atomic-write.ts';
import { type ObjectInfo, type ObjectStore, StoreError, checkKey } from './object-store.ts';
import { checkPrefix, checkRange, isValidKey, shortObjectError } from './store-checks.ts';

/** A checked list prefix ('' or 'a/b/') as folder names. */
function segmentsOf(prefix: string): string[] {
  return prefix === '' ? [] : prefix.slice(0, -1).split('/');
}

export type LocalStoreOptions = {
  /** Only for tests: lets a test stop a write between the temporary file and the rename. */
  testHooks?: WriteHooks;
};

type Action = 'write' | 'read' | 'list' | 'delete' | 'check';

const errno = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? '';

/** A missing file or a path through a file/folder that is not what the key needs. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * Objects as files under a root folder (local disk, NAS mount, removable drive); a key's
 * '/' separated segments are folders. The root must exist (the repository registry creates
 * it): the store never recreates it, so an unplugged drive is reported, not written around.
 */
export class LocalFolderStore implements ObjectStore {
  readonly location: string;
  readonly #root: string;
  readonly #hooks: WriteHooks | undefined;

  constructor(root: string, options: LocalStoreOptions = {}) {
    this.#root = path.resolve(root);
    this.location = this.#root;
    this.#hooks = options.testHooks;
  }

  /** The file that holds `key`. */
  pathOf(key: string): string {
    checkKey(key);
    return path.join(this.#root, ...key.split('/'));
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    try {
      await writeFileAtomically(file, data, this.#hooks);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw await this.#failure(error, 'write', file, key);
      // The key's folders do not exist yet; create them, but never the root itself.
      try {
        await this.#requireRoot();
        await makeFolders(path.dirname(file));
        await writeFileAtomically(file, data, this.#hooks);
      } catch (retryError) {
        throw await this.#failure(retryError, 'write', file, key);
      }
    }
  }

  async get(key: string): Promise<Buffer> {
    const file = this.pathOf(key);
    try {
      return await readFile(file);
    } catch (error) {
      throw await this.#failure(error, 'read', file, key);
    }
  }

  async getRange(key: string, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    const file = this.pathOf(key);
    checkRange(offset, length);
    let data: Buffer;
    try {
      const handle = await open(file, 'r');
      try {
        data = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(data, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled < length) throw shortObjectError(file, key, offset, length);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw await this.#failure(error, 'read', file, key);
    }
    return data;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      return info.isFile() ? { key, size: info.size } : undefined;
    } catch (error) {
      const failure = await this.#failure(error, 'read', file, key);
      if (failure.kind === 'not_found') return undefined;
      throw failure;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    checkPrefix(prefix);
    await this.#requireRoot();
    yield* this.#walk(segmentsOf(prefix));
  }

  async folders(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    await this.#requireRoot();
    const entries = await this.#entries(segmentsOf(prefix));
    return entries.filter((entry) => entry.isDirectory() && isValidKey(entry.name)).map((entry) => entry.name);
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await unlink(file);
    } catch (error) {
      const failure = await this.#failure(error, 'delete', file, key);
      if (failure.kind !== 'not_found') throw failure;
    }
  }

  async removeEmptyFolders(prefix: string): Promise<void> {
    checkPrefix(prefix);
    const visit = async (segments: string[]): Promise<void> => {
      for (const entry of await this.#entries(segments)) if (entry.isDirectory()) await visit([...segments, entry.name]);
      // A folder something was written to meanwhile is not empty: it stays (ENOTEMPTY, EEXIST on some systems).
      await rmdir(path.join(this.#root, ...segments)).catch((error: unknown) => {
        if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errno(error))) throw error;
      });
    };
    if (prefix !== '') await visit(segmentsOf(prefix));
  }

  async removeDeadTemporaries(prefix: string): Promise<number> {
    checkPrefix(prefix);
    let removed = 0;
    const visit = async (segments: string[]): Promise<void> => {
      for (const entry of await this.#entries(segments)) {
        if (entry.isDirectory() && isValidKey(entry.name)) await visit([...segments, entry.name]);
        else if (entry.isFile() && isDeadTemporary(entry.name)) {
          const file = path.join(this.#root, ...segments, entry.name);
          try {
            await unlink(file);
            removed++;
          } catch (error) {
            const failure = await this.#failure(error, 'delete', file, undefined);
            if (failure.kind !== 'not_found') throw failure;
          }
        }
      }
    };
    await visit(segmentsOf(prefix));
    return removed;
  }

  async space(): Promise<{ freeBytes: number; totalBytes: number }> {
    try {
      const fs = await statfs(this.#root);
      return { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
    } catch (error) {
      throw await this.#failure(error, 'check', this.#root, undefined);
    }
  }

  /** Depth-first: objects of one folder, then its subfolders. Entries that are not keys (temp files, foreign names) are skipped. */
  async *#walk(segments: string[]): AsyncGenerator<ObjectInfo> {
    const dir = path.join(this.#root, ...segments);
    const entries = await this.#entries(segments);
    const folders: string[] = [];
    const files: string[] = [];
    for (const entry of entries) {
      if (!isValidKey(entry.name)) continue;
      if (entry.isDirectory()) folders.push(entry.name);
      else if (entry.isFile() || entry.isSymbolicLink()) files.push(entry.name);
    }
    // stat in parallel: a folder of packs holds hundreds of files, often on a NAS.
    const infos = await Promise.all(
      files.map(async (name) => {
        const key = [...segments, name].join('/');
        const file = path.join(dir, name);
        try {
          const info = await stat(file);
          return info.isFile() ? { key, size: info.size } : undefined;
        } catch (error) {
          const failure = await this.#failure(error, 'list', file, key);
          if (failure.kind === 'not_found') return undefined; // deleted while listing
          throw failure;
        }
      }),
    );
    for (const info of infos) if (info) yield info;
    for (const folder of folders) yield* this.#walk([...segments, folder]);
  }

  /** A folder's entries; none when it does not exist. */
  async #entries(segments: string[]): Promise<Dirent[]> {
    const dir = path.join(this.#root, ...segments);
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const failure = await this.#failure(error, 'list', dir, undefined);
      if (failure.kind === 'not_found') return [];
      throw failure;
    }
  }

  /** Undefined when the root is a folder; else why it cannot serve as one. */
  async #rootProblem(cause?: unknown): Promise<StoreError | undefined> {
    const info = await stat(this.#root).catch(() => undefined);
    if (info?.isDirectory()) return undefined;
    // A path to a file is a mistake to name, not a drive to reconnect.
    const message = info
      ? `${this.#root} is a file, not a folder: a repository is a folder (the one holding ferry-repository.json).`
      : `${this.#root} is not reachable. Is the drive or network share connected?`;
    return new StoreError('unavailable', message, undefined, { cause });
  }

  async #requireRoot(): Promise<void> {
    const problem = await this.#rootProblem();
    if (problem) throw problem;
  }

  /** Turns a file system error into a StoreError that names the path and says what to do. */
  async #failure(error: unknown, action: Action, file: string, key: string | undefined): Promise<StoreError> {
    if (error instanceof StoreError) return error;
    const code = errno(error);
    const options = { cause: error };
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new StoreError('no_space', `The drive holding ${file} is full: free space or choose another repository.`, key, options);
    }
    // Whatever the error, a missing root means the drive or share is gone (or the path names a file).
    const rootProblem = await this.#rootProblem(error);
    if (rootProblem) return rootProblem;
    if (ABSENT.has(code) && action !== 'write') return new StoreError('not_found', `${file} does not exist.`, key, options);
    if (code === 'EACCES' || code === 'EPERM') {
      return new StoreError(
        'permission',
        `Ferry is not allowed to ${action} ${file}: give the engine's user access to ${this.#root} or choose another repository.`,
        key,
        options,
      );
    }
    if (code === 'EROFS') {
      return new StoreError('permission', `${file} is on a read-only file system: make the drive writable or choose another repository.`, key, options);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreError('io', `Cannot ${action} ${file}: ${reason}`, key, options);
  }
}
