import type { BackupCopyJob, JobDefinition, SessionProgress } from '../../shared/domain/job.ts';
import type { CopyProgress } from '../copy/copy-point.ts';
import { type CopyTask, runCopy, type UnavailableSource } from '../copy/run-copy.ts';
import type { BackupStore } from '../repository/backup-store.ts';
import { prepareCopyTarget } from '../copy/target.ts';
import { TokenBucket, unthrottled } from '../copy/throttle.ts';
import type { TrafficRules } from '../copy/traffic.ts';
import { TransferGate, windowTimes } from '../copy/transfer-window.ts';
import type { Clock } from '../util/clock.ts';
import type { PasswordLookup } from '../repositories/inventory.ts';
import type { RepositoryRegistry } from '../repositories/registry.ts';
import { resolveSources } from './copy-sources.ts';

export interface CopyJobRun {
  jobId: string;
  definition: BackupCopyJob;
  /** The password of the job's own (target) backup, when it is encrypted. */
  password: string | undefined;
  registry: RepositoryRegistry;
  traffic: TrafficRules;
  /** The time the job's transfer window is read at (and its pauses wait on). */
  clock: Clock;
  /** The engine's time zone: GFS periods are its local weeks, months and years. */
  timeZone: string;
  job(id: string): JobDefinition | undefined;
  passwordFor: PasswordLookup;
  signal: AbortSignal;
  /** Only points created at or after this ISO time (a periodic job that looks forward). */
  notBefore?: string;
  log(level: 'info' | 'warning' | 'error', message: string): void;
  /** The run paused for its transfer window (true), or resumed (false). */
  onWindowPause(paused: boolean): void;
  onProgress(progress: Omit<SessionProgress, 'sessionId' | 'jobId'>): void;
}

const PLAINTEXT_HOW_TO_ALLOW = 'Make the copy job encrypted, or turn on its allowPlaintext option to store it unencrypted.';

/** Rate and time left from what a workload has read since it started. */
export function withRate(progress: CopyProgress, elapsedMs: number): NonNullable<SessionProgress['copy']> {
  const rate = elapsedMs > 0 ? (progress.bytesRead * 1000) / elapsedMs : 0;
  const left = Math.max(0, progress.bytesTotal - progress.bytesRead);
  return {
    phase: progress.phase,
    bytesTransferred: progress.bytesTransferred,
    chunksDone: progress.chunksDone,
    chunksTotal: progress.chunksTotal,
    bytesTotal: progress.bytesTotal,
    rateBytesPerSecond: rate,
    etaSeconds: progress.phase === 'copying' && rate > 0 ? left / rate : null,
  };
}

/**
 * A catalog copy job's run: its sources resolved now, its backup on the target found, or
 * made once there is something to copy (`backup`: none when it has none yet). The points
 * it writes get their GFS flags from the job's retention. `unavailable`: the sources that
 * could not be read.
 */
export async function runCopyJob(run: CopyJobRun): Promise<{ tasks: CopyTask[]; backup: BackupStore | undefined; unavailable: UnavailableSource[] }> {
  const { definition } = run;
  const repository = await run.registry.open(definition.repositoryId);
  const targetOptions = {
    name: definition.name,
    jobId: run.jobId,
    mapping: definition.mapping,
    ownerOf: (jobId: string) => run.job(jobId)?.name,
    password: run.password,
    level: definition.storage.compressionLevel,
  };
  // Both derive keys (scrypt, on the thread pool): at once. As in `ferry copy`, a new
  // target backup is made only once a source has a point to copy.
  const [target, { sources, unavailable }] = await Promise.all([
    prepareCopyTarget(repository, targetOptions),
    resolveSources(definition, {
      registry: run.registry,
      job: run.job,
      passwordFor: run.passwordFor,
      throttleBetween: (from, to) => run.traffic.between(from, to),
    }),
  ]);
  const limit = definition.dataPath.throttleBytesPerSecond;
  const started = new Map<string, number>();
  const { target: backup, tasks } = await runCopy({
    target,
    sources,
    unavailable,
    exclusions: definition.exclusions,
    ...(run.notBefore === undefined ? {} : { notBefore: run.notBefore }),
    mode: definition.schedule.mode === 'immediate' ? 'catch-up' : 'newest',
    parallelWorkloads: definition.dataPath.parallelWorkloads,
    plaintext: { allowed: definition.allowPlaintext, howToAllow: PLAINTEXT_HOW_TO_ALLOW },
    throttle: limit === null ? unthrottled : new TokenBucket(() => limit),
    window:
      definition.window &&
      new TransferGate({
        times: windowTimes(definition.window),
        clock: run.clock,
        terminate: definition.terminateOnWindowClose,
        log: run.log,
        onPause: run.onWindowPause,
      }),
    purpose: `copy job "${definition.name}"`,
    gfs: { spec: definition.retention.gfs, timeZone: run.timeZone },
    clock: run.clock,
    signal: run.signal,
    log: run.log,
    onProgress: (workload, progress) => {
      if (!started.has(workload)) started.set(workload, Date.now());
      run.onProgress({
        workload,
        files: 0,
        bytesRead: progress.bytesRead,
        bytesNew: progress.bytesTransferred,
        currentPath: progress.currentPath,
        copy: withRate(progress, Date.now() - started.get(workload)!),
      });
    },
  });
  return { tasks, backup, unavailable };
}
