import { S3_RETRY_SECONDS } from '../../shared/domain/repository.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { isNetworkFailure } from './s3-errors.ts';
import { storeContext } from './store-context.ts';

/** How long a failing S3 request is retried before its workload fails: long enough to ride out a short outage. */
export const DEFAULT_RETRY_FOR_MS = 120_000;
/** Outside a run (storeContext), someone waits for the answer: a failing request is retried this long at most. */
export const INTERACTIVE_RETRY_FOR_MS = 5_000;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 15_000;

export interface RetryPolicy {
  /** Retries (in a run) stop once the next one would start later than this after the first attempt. */
  retryForMs: number;
  /** At most this many attempts, the first included (tests that must fail fast). */
  maxAttempts?: number | undefined;
  clock?: Clock | undefined;
  /** The jitter's source: [0, 1). */
  random?: (() => number) | undefined;
}

type Failure = Error & { code?: string; $metadata?: { httpStatusCode?: number } };

const RETRYABLE_NAMES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable']);

/**
 * Whether trying again may succeed: the connection failed or timed out, the server
 * failed (5xx) or asked to slow down (429, SlowDown). A refusal (403, 404, 400…) is
 * final: retrying AccessDenied or NoSuchBucket for two minutes helps no one.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as Failure | undefined;
  if (!e || error instanceof FerryError) return false;
  if (isNetworkFailure(error)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500) || RETRYABLE_NAMES.has(e.name);
}

/** The wait before retry `attempt` (1: the first retry): exponential, capped, with full jitter. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A request's final failure, with how hard it was tried. */
export class RetriesExhausted extends Error {
  readonly attempts: number;
  readonly elapsedMs: number;
  constructor(cause: unknown, attempts: number, elapsedMs: number) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retry time is spent (briefly
 * outside a run: INTERACTIVE_RETRY_FOR_MS); each
 * retry is logged to the run's log (storeContext) with its reason and wait. A stop of
 * the run ends the wait at once (`cancelled`). What fails is thrown as RetriesExhausted
 * carrying the last error.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, what: string): Promise<T> {
  const clock = policy.clock ?? systemClock;
  const context = storeContext();
  const { signal, log } = context ?? {};
  const retryForMs = context ? policy.retryForMs : Math.min(policy.retryForMs, INTERACTIVE_RETRY_FOR_MS);
  const started = clock.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = retryDelay(n, policy.random);
      const elapsed = clock.now() - started;
      const spent = elapsed + delay > retryForMs || (policy.maxAttempts !== undefined && n >= policy.maxAttempts);
      if (!isRetryable(error) || spent) throw new RetriesExhausted(error, n, elapsed);
      log?.(`${what} failed (${describe(error)}); retry ${n} in ${(delay / 1000).toFixed(1)} s, for up to ${Math.round(retryForMs / 1000)} s in all.`);
      await clock.sleep(delay, signal);
    }
  }
}

function describe(error: unknown): string {
  const e = error as Failure;
  const status = e.$metadata?.httpStatusCode;
  const code = e.code ?? (e.cause as Failure | undefined)?.code;
  const name = e.name === 'Error' ? undefined : e.name;
  return [name, status && `HTTP ${status}`, code].filter(Boolean).join(', ') || e.message || String(error);
}

/** The retry time FERRY_S3_RETRY_SECONDS sets, in ms; undefined when unset. Throws on a value out of range. */
export function retryForMsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env['FERRY_S3_RETRY_SECONDS'];
  if (text === undefined || text.trim() === '') return undefined;
  return retrySecondsToMs(text, 'FERRY_S3_RETRY_SECONDS');
}

/** Seconds as an admin typed them, checked against the range. */
export function retrySecondsToMs(text: string, name: string): number {
  const seconds = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || seconds < S3_RETRY_SECONDS.min || seconds > S3_RETRY_SECONDS.max) {
    throw new FerryError('invalid_input', `${name} must be a whole number of seconds from ${S3_RETRY_SECONDS.min} to ${S3_RETRY_SECONDS.max}, not "${text}".`);
  }
  return seconds * 1000;
}
