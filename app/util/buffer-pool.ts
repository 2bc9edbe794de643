/**
 * Buffers of one size, reused: a fresh large buffer per read or per blob costs a page
 * fault per 4 KiB and garbage-collector runs (a fifth to a third of a backup's or a
 * copy's CPU). Buffers of another size (grown for a large blob) are let go.
 */
export class BufferPool {
  readonly size: number;
  private readonly allocate: (size: number) => Buffer;
  private readonly spare: Buffer[] = [];

  /** `allocate`: Buffer.allocUnsafeSlow for buffers whose pages should be touched only as far as they are used. */
  constructor(size: number, allocate: (size: number) => Buffer = Buffer.allocUnsafe) {
    this.size = size;
    this.allocate = allocate;
  }

  take(): Buffer {
    return this.spare.pop() ?? this.allocate(this.size);
  }

  /** Call once nothing reads the buffer (or a view of it) any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size) this.spare.push(buffer);
  }

  /** Runs `task` with a buffer of the pool, given back when it settles. */
  async use<T>(task: (buffer: Buffer) => Promise<T>): Promise<T> {
    const buffer = this.take();
    try {
      return await task(buffer);
    } finally {
      this.give(buffer);
    }
  }
}
