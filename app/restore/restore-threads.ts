import { Worker } from 'node:worker_threads';
import { FerryError } from '../../shared/rpc/errors.ts';
import { threadScript } from '../util/thread-script.ts';
import type { JobResult, RestoreThreadData, WriteJob } from './write-job.ts';

const script = threadScript(new URL('./restore-worker.ts', import.meta.url), 'restore-worker');

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** Jobs sent, in order: a thread answers them in the order they came. */
  pending: Pending[];
}

/**
 * Threads that decode and write a restore's files (restore-worker.ts). Each job goes to
 * the thread with the fewest waiting, and its bytes are moved there, not copied. A
 * thread that dies fails its jobs and every later one.
 */
export class RestoreThreads {
  private readonly threads: Thread[];
  private broken: unknown;

  constructor(count: number, data: RestoreThreadData) {
    this.threads = Array.from({ length: count }, () => {
      const thread: Thread = { worker: new Worker(script, { workerData: data }), pending: [] };
      thread.worker.on('message', (result: JobResult) => thread.pending.shift()?.resolve(result));
      thread.worker.on('error', (error) => this.fail(thread, error));
      thread.worker.on('exit', (code) => this.fail(thread, new FerryError('internal', `A restore thread ended (exit code ${code}).`)));
      return thread;
    });
  }

  run(job: WriteJob): Promise<JobResult> {
    if (this.broken) return Promise.reject(this.broken);
    const thread = this.threads.reduce((a, b) => (b.pending.length < a.pending.length ? b : a));
    return new Promise<JobResult>((resolve, reject) => {
      thread.pending.push({ resolve, reject });
      thread.worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private fail(thread: Thread, error: unknown): void {
    this.broken ??= error;
    for (const pending of thread.pending.splice(0)) pending.reject(error);
  }
}
