import { StoreError } from './object-store.ts';

/** What the SDK throws: service errors carry a name and $metadata; network errors a Node error code. */
type SdkFailure = Error & { code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };

export type S3Where = {
  endpoint: string;
  bucket: string;
  /** The object (`s3://bucket/prefix/key`) or the store location. */
  target: string;
  key?: string | undefined;
};

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound']);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'AccountProblem', 'InvalidToken', 'ExpiredToken']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTDOWN', 'ENETDOWN',
]);

/** A failure of the connection itself (no HTTP answer): refused, reset, timed out, name not resolved. */
export function isNetworkFailure(error: unknown): boolean {
  const e = error as SdkFailure | undefined;
  if (!e || e.$metadata?.httpStatusCode !== undefined) return false;
  return NETWORK_CODES.has(e.code ?? '') || e.name === 'TimeoutError' || (e.cause !== undefined && isNetworkFailure(e.cause));
}

/** How hard a request was tried before it failed. */
export type Tried = { attempts: number; elapsedMs: number };

const attemptsOf = (e: SdkFailure, tried: Tried | undefined): string => {
  const n = tried?.attempts ?? e.$metadata?.attempts ?? 1;
  const over = tried && tried.elapsedMs >= 1000 ? ` over ${Math.round(tried.elapsedMs / 1000)} s` : '';
  return `${n} attempt${n === 1 ? '' : 's'}${over}`;
};

/** Maps an SDK failure to a StoreError that names the endpoint/bucket/object and says what to do. */
export function s3StoreError(error: unknown, where: S3Where, tried?: Tried): StoreError {
  if (error instanceof StoreError) return error;
  const e = error as SdkFailure;
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const options = { cause: error };
  const reason = e?.message || name;

  if (name === 'NoSuchBucket') {
    return new StoreError(
      'unavailable',
      `The bucket ${where.bucket} does not exist at ${where.endpoint}: check the bucket name, the endpoint and the region.`,
      where.key,
      options,
    );
  }
  if (NOT_FOUND.has(name) || status === 404) {
    return new StoreError('not_found', `${where.target} does not exist.`, where.key, options);
  }
  if (DENIED.has(name) || status === 403) {
    return new StoreError(
      'permission',
      `Access to the bucket ${where.bucket} was refused (${name}): check the access key and secret, and that they may read and write ${where.target}.`,
      where.key,
      options,
    );
  }
  if (isNetworkFailure(error)) {
    return new StoreError(
      'unavailable',
      `Cannot reach the S3 endpoint ${where.endpoint} (bucket ${where.bucket}) after ${attemptsOf(e, tried)}: ${reason}`,
      where.key,
      options,
    );
  }
  if (status === 429 || (status !== undefined && status >= 500) || name === 'SlowDown') {
    return new StoreError(
      'unavailable',
      `The S3 endpoint ${where.endpoint} (bucket ${where.bucket}) kept failing after ${attemptsOf(e, tried)}: ${name} (HTTP ${status ?? '?'}). Try again later.`,
      where.key,
      options,
    );
  }
  if (name === 'RequestTimeTooSkewed') {
    return new StoreError('io', `The S3 endpoint ${where.endpoint} refused the request because this computer's clock is off: set the clock right.`, where.key, options);
  }
  return new StoreError('io', `S3 request for ${where.target} failed: ${name}${status ? ` (HTTP ${status})` : ''}: ${reason}`, where.key, options);
}
