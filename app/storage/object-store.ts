import { type ErrorCode, FerryError } from '../../shared/rpc/errors.ts';

/**
 * Where a repository's bytes live: a local folder (also NAS mounts and removable drives)
 * or an S3-compatible bucket under a prefix. Everything above this interface is
 * identical on both; the repository format relies only on what is promised here.
 *
 * Keys are relative, '/'-separated, made of [A-Za-z0-9._-] segments that never start
 * with '.' (hidden files, AppleDouble files, storage servers' own metadata) and are never empty: e.g. `backups/Nightly/packs/3f/3fa2…`.
 */
export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectStore {
  /** For messages: the folder path or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * Writes the whole object atomically: a reader sees the old object, or the new one
   * complete, never a part. Overwrites. Does not rely on conditional writes.
   */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The whole object. Throws StoreError('not_found') when absent. */
  get(key: string): Promise<Buffer>;
  /**
   * `length` bytes from `offset`. Throws StoreError('not_found') when absent. A store may
   * read into `into` (at least `length` bytes) and return a view of it, so a reader that
   * reuses its buffers allocates nothing per read; use the returned buffer either way.
   */
  getRange(key: string, offset: number, length: number, into?: Buffer): Promise<Buffer>;
  /** Size of the object, or undefined when absent. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix` (a folder-like prefix ending in '/', or ''), in no particular order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * The names of the folders directly under `prefix` ('' or ending in '/') that hold an
   * object of their own, in no particular order: one directory read or listing, however
   * many objects lie deeper (finding a repository's backups must not walk their packs).
   * Stores may name more: a local one names empty folders too, S3 folders with deeper
   * objects only (s3rver leaves those out).
   */
  folders(prefix: string): Promise<string[]>;
  /** Removes the object; removing an absent object is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes the temporary files under `prefix` that runs killed on this host left (a
   * store that writes through temporary files, the local one); never a live run's. The
   * number removed.
   */
  removeDeadTemporaries?(prefix: string): Promise<number>;
  /**
   * Removes the folders under `prefix` (ending in '/') left empty, and the prefix's own
   * folder when empty: a store of folders (the local one), once a backup's objects are
   * deleted. Never removes an object nor a folder that holds one.
   */
  removeEmptyFolders?(prefix: string): Promise<void>;
  /** Free/total bytes where the store can tell (local folders), else undefined. */
  space(): Promise<{ freeBytes: number; totalBytes: number } | undefined>;
  /** Releases what the store keeps open (an S3 client's sockets); absent when it keeps nothing. */
  close?(): void;
}

export type StoreErrorKind = 'not_found' | 'unavailable' | 'no_space' | 'permission' | 'invalid_key' | 'io';

const WIRE_CODE: Record<StoreErrorKind, ErrorCode> = {
  not_found: 'not_found',
  unavailable: 'repo_unavailable',
  no_space: 'repo_unavailable',
  permission: 'repo_unavailable',
  invalid_key: 'invalid_input',
  io: 'repo_unavailable',
};

/**
 * A storage failure, with a message that names the location and says what to do. It is
 * a FerryError, so it reaches the console and the CLI with its code and message intact.
 */
export class StoreError extends FerryError {
  readonly kind: StoreErrorKind;
  readonly key: string | undefined;

  constructor(kind: StoreErrorKind, message: string, key?: string, options?: { cause?: unknown }) {
    super(WIRE_CODE[kind], message, { storage: kind, ...(key === undefined ? {} : { key }) });
    this.name = 'StoreError';
    this.kind = kind;
    this.key = key;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

// No leading '.': such names are hidden or reserved on many systems (s3rver drops them).
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Refuses keys that could leave the store's root or mean different things on different systems. */
export function checkKey(key: string): void {
  const segments = key.split('/');
  const bad = key.length === 0 || key.length > 1024 || segments.some((s) => !SEGMENT.test(s));
  if (bad) throw new StoreError('invalid_key', `"${key.slice(0, 200)}" is not a valid object key.`, key);
}
