/** A scheduled run waiting for a slot of its repository. */
export interface QueuedRun {
  jobId: string;
  repositoryId: string;
}

/**
 * At most `perRepository` runs write to one repository at once; the others wait in the
 * order they became due. Runs of other repositories never wait behind them.
 */
export class RunQueue<R extends QueuedRun> {
  private readonly waiting: R[] = [];

  has(jobId: string): boolean {
    return this.waiting.some((run) => run.jobId === jobId);
  }

  push(run: R): void {
    if (!this.has(run.jobId)) this.waiting.push(run);
  }

  remove(jobId: string): void {
    const at = this.waiting.findIndex((run) => run.jobId === jobId);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  get size(): number {
    return this.waiting.length;
  }

  /**
   * Takes, in order, the runs that may start now: `busy(repositoryId)` runs already write
   * to their repository, `blocked(run)` ones stay queued (their job runs by hand) without
   * holding back the runs behind them of other jobs.
   */
  take(perRepository: number, busy: (repositoryId: string) => number, blocked: (run: R) => boolean): R[] {
    const started = new Map<string, number>();
    const taken: R[] = [];
    for (const run of [...this.waiting]) {
      const inUse = busy(run.repositoryId) + (started.get(run.repositoryId) ?? 0);
      if (inUse >= perRepository || blocked(run)) continue;
      started.set(run.repositoryId, (started.get(run.repositoryId) ?? 0) + 1);
      taken.push(run);
      this.remove(run.jobId);
    }
    return taken;
  }
}
