import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type ObjectInfo, type ObjectStore, StoreError, checkKey } from './object-store.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { type Clock, MAX_TIMER_MS } from '../util/clock.ts';
import { S3_RETRY_SECONDS } from '../../shared/domain/repository.ts';
import { type S3Where, s3StoreError } from './s3-errors.ts';
import { DEFAULT_RETRY_FOR_MS, RetriesExhausted, type RetryPolicy, withRetries } from './s3-retry.ts';
import { normalisePrefix } from './s3-location.ts';
import { MAX_PART_SIZE, MIN_PART_SIZE, putMultipart } from './s3-multipart.ts';
import { checkPrefix, checkRange, isValidKey, shortObjectError } from './store-checks.ts';

export { parseS3Url } from './s3-location.ts';

export type S3Config = {
  /** For S3-compatible servers (MinIO, Ceph RGW…); AWS when absent. */
  endpoint?: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
};

export type S3Tuning = {
  /** Objects above this size are uploaded in parts of this size. Default 16 MiB, at least 5 MiB. */
  partSize?: number;
  /**
   * How long a request that fails in a way that may pass (no connection, a timeout, 5xx,
   * 429/SlowDown) is retried in a run (withStoreContext), with exponential back-off and
   * jitter, before the call fails. Default 2 minutes: a short outage does not fail a
   * workload. Outside a run (the console waiting for an answer) at most 5 s.
   */
  retryForMs?: number;
  /** At most this many attempts per request, the first included; default: as many as retryForMs allows. */
  maxAttempts?: number;
  /** Tests: the clock the retry waits use. */
  clock?: Clock;
  /**
   * A request fails when its connection makes no progress for this long (default 60 s);
   * connecting gets at most 10 s of it. An idle timeout, not a total one, so large parts
   * on slow links are not cut off while bytes still flow.
   */
  requestTimeoutMs?: number;
};

const MiB = 1024 * 1024;
const PART_CONCURRENCY = 4;

/** Objects in an S3-compatible bucket, under a prefix. */
export class S3Store implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #endpoint: string;
  readonly #partSize: number;
  readonly #retry: RetryPolicy;

  constructor(config: S3Config, tuning: S3Tuning = {}) {
    this.#bucket = config.bucket;
    this.#prefix = normalisePrefix(config.prefix);
    this.#endpoint = config.endpoint ?? `https://s3.${config.region}.amazonaws.com`;
    this.location = `s3://${this.#bucket}/${this.#prefix}`;
    this.#partSize = tuning.partSize ?? 16 * MiB;
    if (!(this.#partSize >= MIN_PART_SIZE && this.#partSize <= MAX_PART_SIZE)) {
      throw new RangeError(`partSize must be from ${MIN_PART_SIZE} to ${MAX_PART_SIZE} bytes (what S3 allows), not ${this.#partSize}.`);
    }
    this.#retry = { retryForMs: tuning.retryForMs ?? DEFAULT_RETRY_FOR_MS, maxAttempts: tuning.maxAttempts, clock: tuning.clock };
    if (!(this.#retry.retryForMs >= 0 && this.#retry.retryForMs <= S3_RETRY_SECONDS.max * 1000)) {
      throw new RangeError(`retryForMs must be from 0 to ${S3_RETRY_SECONDS.max * 1000}, not ${this.#retry.retryForMs}.`);
    }
    if (tuning.maxAttempts !== undefined && !(Number.isSafeInteger(tuning.maxAttempts) && tuning.maxAttempts >= 1)) {
      throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${tuning.maxAttempts}.`);
    }
    const idleMs = tuning.requestTimeoutMs ?? 60_000;
    // The SDK's timers would fire at once past setTimeout's limit.
    if (!(idleMs >= 1 && idleMs <= MAX_TIMER_MS)) throw new RangeError(`requestTimeoutMs must be from 1 to ${MAX_TIMER_MS}, not ${idleMs}.`);
    this.#client = new S3Client({
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Retries are this store's (withRetries): for a time rather than a count, logged, and stopped with the run.
      maxAttempts: 1,
      // Shorthand for the SDK's NodeHttpHandler options: no direct dependency on @smithy/*.
      requestHandler: { connectionTimeout: Math.min(idleMs, 10_000), socketTimeout: idleMs },
    });
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const Key = this.#objectKey(key);
    const where = this.#where(key);
    try {
      if (data.length <= this.#partSize) {
        await withRetries(() => this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key, Body: data })), this.#retry, `S3 PUT ${where.target}`);
      } else {
        const retrying = <T>(what: string, work: () => Promise<T>) => withRetries(work, this.#retry, `S3 ${what} of ${where.target}`);
        await putMultipart(this.#client, retrying, { bucket: this.#bucket, key: Key }, data, this.#partSize, PART_CONCURRENCY);
      }
    } catch (error) {
      throw failure(error, where);
    }
  }

  async get(key: string): Promise<Buffer> {
    return this.#read(key, undefined);
  }

  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    if (length === 0) {
      // S3 has no empty range; still report an absent object.
      if (!(await this.stat(key))) throw new StoreError('not_found', `${this.#where(key).target} does not exist.`, key);
      return Buffer.alloc(0);
    }
    return this.#read(key, { offset, length });
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const Key = this.#objectKey(key);
    const where = this.#where(key);
    try {
      const head = await withRetries(() => this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key })), this.#retry, `S3 HEAD ${where.target}`);
      return { key, size: head.ContentLength ?? 0 };
    } catch (error) {
      const final = failure(error, where);
      if (final instanceof StoreError && final.kind === 'not_found') return undefined;
      throw final;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for await (const { page, Prefix } of this.#pages(prefix)) {
      for (const object of page.Contents ?? []) {
        const key = object.Key?.startsWith(Prefix) ? object.Key.slice(this.#prefix.length) : undefined;
        // Skip what cannot be a key: folder markers made by consoles ("a/"), foreign names.
        if (key !== undefined && isValidKey(key)) yield { key, size: object.Size ?? 0 };
      }
    }
  }

  async folders(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const { page, Prefix } of this.#pages(prefix, '/')) {
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.startsWith(Prefix) && common.Prefix.endsWith('/') ? common.Prefix.slice(Prefix.length, -1) : undefined;
        if (name !== undefined && isValidKey(name)) names.push(name);
      }
    }
    return names;
  }

  /** The listing pages under `prefix`: every object below it, or with a delimiter, its direct objects and folders. */
  async *#pages(prefix: string, Delimiter?: '/') {
    checkPrefix(prefix);
    const Prefix = this.#prefix + prefix;
    let ContinuationToken: string | undefined;
    do {
      let page;
      const target = `s3://${this.#bucket}/${Prefix}`;
      const input = { Bucket: this.#bucket, Prefix, ...(Delimiter ? { Delimiter } : {}), ...(ContinuationToken ? { ContinuationToken } : {}) };
      try {
        // A new command each try: the SDK does not support sending one command twice.
        page = await withRetries(() => this.#client.send(new ListObjectsV2Command(input)), this.#retry, `S3 LIST ${target}`);
      } catch (error) {
        throw failure(error, { ...this.#where(undefined), target });
      }
      yield { page, Prefix };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async delete(key: string): Promise<void> {
    const Key = this.#objectKey(key);
    const where = this.#where(key);
    try {
      await withRetries(() => this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key })), this.#retry, `S3 DELETE ${where.target}`);
    } catch (error) {
      const final = failure(error, where);
      if (!(final instanceof StoreError && final.kind === 'not_found')) throw final;
    }
  }

  async space(): Promise<undefined> {
    return undefined;
  }

  /**
   * Checks that the bucket is reachable and writable with these credentials: writes,
   * reads back and deletes a small probe object under the prefix. Throws the StoreError
   * the console shows.
   */
  async testConnection(): Promise<void> {
    const key = `ferry-connection-test-${randomBytes(8).toString('hex')}`;
    const probe = Buffer.from(`Ferry connection test ${new Date().toISOString()}`);
    await this.put(key, probe);
    try {
      const back = await this.get(key);
      if (!back.equals(probe)) {
        throw new StoreError('io', `${this.#where(key).target} read back differently than written: the S3 endpoint ${this.#endpoint} does not store data faithfully.`, key);
      }
    } finally {
      await this.delete(key);
    }
  }

  /** Releases the HTTP connections. */
  close(): void {
    this.#client.destroy();
  }

  /**
   * GetObject, whole or ranged. A connection lost while the body streams is retried like
   * one lost before the answer: the whole request is one attempt.
   */
  async #read(key: string, range: { offset: number; length: number } | undefined): Promise<Buffer> {
    const Key = this.#objectKey(key);
    const where = this.#where(key);
    const attempt = async () => {
      const response = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key,
          ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
        }),
      );
      const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array(0);
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (!range) return body;
      // A server may answer a range with more than asked (s3rver treats `bytes=0-0` as
      // the whole object) or, in principle, ignore it: cut from where the body starts.
      const start = Number(/^bytes (\d+)-/.exec(response.ContentRange ?? '')?.[1] ?? 0);
      const slice = body.subarray(range.offset - start, range.offset - start + range.length);
      if (range.offset < start || slice.length < range.length) throw shortObjectError(where.target, key, range.offset, range.length);
      return slice;
    };
    try {
      return await withRetries(attempt, this.#retry, `S3 GET ${where.target}`);
    } catch (error) {
      if (error instanceof RetriesExhausted && (error.cause as { name?: string }).name === 'InvalidRange') {
        throw shortObjectError(where.target, key, range?.offset ?? 0, range?.length ?? 0);
      }
      throw failure(error, where);
    }
  }

  #objectKey(key: string): string {
    checkKey(key);
    return this.#prefix + key;
  }

  #where(key: string | undefined): S3Where {
    return {
      endpoint: this.#endpoint,
      bucket: this.#bucket,
      target: key === undefined ? this.location : `s3://${this.#bucket}/${this.#prefix}${key}`,
      key,
    };
  }
}

/** The StoreError a failed call reports; a stop (cancelled) or a store's own error as it is. */
function failure(error: unknown, where: S3Where): FerryError {
  if (error instanceof RetriesExhausted) {
    if (error.cause instanceof FerryError) return error.cause;
    return s3StoreError(error.cause, where, { attempts: error.attempts, elapsedMs: error.elapsedMs });
  }
  if (error instanceof FerryError) return error;
  return s3StoreError(error, where);
}
