/**
 * Runs async tasks one at a time, in call order. Used where a check and the write
 * that depends on it must not interleave with another caller's.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
