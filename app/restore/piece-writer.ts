import { closeSync, constants, fchmodSync, futimesSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';

// Never write through a link planted at the destination (O_NOFOLLOW where the OS has it).
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NO_FOLLOW;
// Reopening must keep what earlier pieces wrote.
const REOPEN_FLAGS = constants.O_WRONLY | NO_FOLLOW;

/**
 * Creates (or truncates) the file at `at`. A link there (left in the target folder) is
 * replaced, never written through: O_NOFOLLOW fails on it (ELOOP), and removing a link
 * leaves what it points to alone.
 */
function createFile(at: string): number {
  try {
    return openSync(at, CREATE_FLAGS, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP' || !lstatSync(at).isSymbolicLink()) throw error;
    unlinkSync(at);
    return openSync(at, CREATE_FLAGS | constants.O_EXCL, 0o600);
  }
}

/** What a thread writing a file's pieces needs to know of it. */
export interface FileSpec {
  at: string;
  mode: number;
  mtimeMs: number;
}

// FileStates' creation states.
const NOT_CREATED = 0;
const CREATING = 1;
const CREATED = 2;
const NOT_CREATABLE = 3;

/**
 * The state of the files of a restore, shared by the threads that write their pieces
 * (a SharedArrayBuffer): per file, the pieces not written yet, whether it was created
 * (the first writer creates and truncates it, the others wait for that) and whether it
 * failed. Pieces of one file arrive on any thread in any order: the thread whose piece
 * was the last sets the mode and times.
 */
export class FileStates {
  readonly buffer: SharedArrayBuffer;
  private readonly remaining: Int32Array;
  private readonly created: Int32Array;
  private readonly failed: Int32Array;

  constructor(files: number | SharedArrayBuffer) {
    this.buffer = typeof files === 'number' ? new SharedArrayBuffer(Math.max(1, files) * 12) : files;
    const count = this.buffer.byteLength / 12;
    this.remaining = new Int32Array(this.buffer, 0, count);
    this.created = new Int32Array(this.buffer, count * 4, count);
    this.failed = new Int32Array(this.buffer, count * 8, count);
  }

  setPieces(file: number, pieces: number): void {
    Atomics.store(this.remaining, file, pieces);
  }

  /** Marks the file failed; true the first time (so it is reported once). */
  fail(file: number): boolean {
    return Atomics.exchange(this.failed, file, 1) === 0;
  }

  hasFailed(file: number): boolean {
    return Atomics.load(this.failed, file) === 1;
  }

  /** Whether the file is missing pieces or failed: not a file to keep. */
  incomplete(file: number): boolean {
    return this.hasFailed(file) || Atomics.load(this.remaining, file) > 0;
  }

  /** Whether this restore created the file (and so may remove it). */
  wasCreated(file: number): boolean {
    return Atomics.load(this.created, file) === CREATED;
  }

  /** A descriptor open for writing: the first caller creates the file, the others wait for that. */
  open(file: number, at: string): number {
    const state = Atomics.compareExchange(this.created, file, NOT_CREATED, CREATING);
    if (state === NOT_CREATED) {
      try {
        const fd = createFile(at);
        Atomics.store(this.created, file, CREATED);
        return fd;
      } catch (error) {
        Atomics.store(this.created, file, NOT_CREATABLE);
        throw error;
      } finally {
        Atomics.notify(this.created, file);
      }
    }
    while (Atomics.load(this.created, file) === CREATING) Atomics.wait(this.created, file, CREATING);
    if (Atomics.load(this.created, file) === NOT_CREATABLE) throw new Error(`${at} could not be created`);
    return openSync(at, REOPEN_FLAGS);
  }

  /** Counts a written piece; true when it was the file's last. */
  pieceWritten(file: number): boolean {
    return Atomics.sub(this.remaining, file, 1) === 1;
  }
}

/** What became of a piece: written (and maybe completing its file), or why not. */
export type PieceOutcome =
  | { written: true; completed: boolean; stampError?: string }
  | { written: false; error?: string };

/**
 * Writes one piece of a file (none for an empty one) at its offset with plain system
 * calls: this runs on a restore thread, where blocking is what the thread is for. The
 * piece that completes the file sets its mode and times; when only that fails the
 * content is whole and stays (some file systems refuse modes), and `stampError` says why.
 */
export function writePiece(states: FileStates, index: number, file: FileSpec, data?: Uint8Array, offset = 0): PieceOutcome {
  if (states.hasFailed(index)) return { written: false };
  let fd: number | undefined;
  try {
    fd = states.open(index, file.at);
    for (let done = 0; data && done < data.length; ) done += writeSync(fd, data, done, data.length - done, offset + done);
    const completed = data ? states.pieceWritten(index) : true;
    if (!completed) return { written: true, completed };
    try {
      fchmodSync(fd, file.mode & 0o7777);
      futimesSync(fd, file.mtimeMs / 1000, file.mtimeMs / 1000);
    } catch (error) {
      return { written: true, completed, stampError: (error as Error).message };
    }
    return { written: true, completed };
  } catch (error) {
    return states.fail(index) ? { written: false, error: (error as Error).message } : { written: false };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
