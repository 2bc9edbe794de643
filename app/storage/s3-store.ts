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
import { type S3Where, isNetworkFailure, s3StoreError } from './s3-errors.ts';
import { normalisePrefix } from './s3-location.ts';
import { MIN_PART_SIZE, putMultipart } from './s3-multipart.ts';
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
  /** Attempts per request, the first included, with exponential back-off and jitter. Default 6. */
  maxAttempts?: number;
  /**
   * A request fails when its connection makes no progress for this long (default 60 s);
   * connecting gets at most 10 s of it. An idle timeout, not a total one, so large parts
   * on slow links are not cut off while bytes still flow.
   */
  requestTimeoutMs?: number;
};

const MiB = 1024 * 1024;
const PART_CONCURRENCY = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Objects in an S3-compatible bucket, under a prefix. */
export class S3Store implements ObjectStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #endpoint: string;
  readonly #partSize: number;
  readonly #maxAttempts: number;

  constructor(config: S3Config, tuning: S3Tuning = {}) {
    this.#bucket = config.bucket;
    this.#prefix = normalisePrefix(config.prefix);
    this.#endpoint = config.endpoint ?? `https://s3.${config.region}.amazonaws.com`;
    this.location = `s3://${this.#bucket}/${this.#prefix}`;
    this.#partSize = tuning.partSize ?? 16 * MiB;
    if (this.#partSize < MIN_PART_SIZE) throw new RangeError(`partSize must be at least ${MIN_PART_SIZE} bytes (the S3 minimum).`);
    this.#maxAttempts = tuning.maxAttempts ?? 6;
    const idleMs = tuning.requestTimeoutMs ?? 60_000;
    this.#client = new S3Client({
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // The SDK retries throttling (SlowDown, 429), 5xx, timeouts and connection errors
      // with exponential back-off and jitter; adaptive mode also slows down when throttled.
      maxAttempts: this.#maxAttempts,
      retryMode: 'adaptive',
      // Shorthand for the SDK's NodeHttpHandler options: no direct dependency on @smithy/*.
      requestHandler: { connectionTimeout: Math.min(idleMs, 10_000), socketTimeout: idleMs },
    });
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const Key = this.#objectKey(key);
    try {
      if (data.length <= this.#partSize) {
        await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key, Body: data }));
      } else {
        await putMultipart(this.#client, { bucket: this.#bucket, key: Key }, data, this.#partSize, PART_CONCURRENCY);
      }
    } catch (error) {
      throw s3StoreError(error, this.#where(key));
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
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key }));
      return { key, size: head.ContentLength ?? 0 };
    } catch (error) {
      const failure = s3StoreError(error, this.#where(key));
      if (failure.kind === 'not_found') return undefined;
      throw failure;
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
      try {
        page = await this.#client.send(
          new ListObjectsV2Command({ Bucket: this.#bucket, Prefix, ...(Delimiter ? { Delimiter } : {}), ...(ContinuationToken ? { ContinuationToken } : {}) }),
        );
      } catch (error) {
        throw s3StoreError(error, { ...this.#where(undefined), target: `s3://${this.#bucket}/${Prefix}` });
      }
      yield { page, Prefix };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async delete(key: string): Promise<void> {
    const Key = this.#objectKey(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key }));
    } catch (error) {
      const failure = s3StoreError(error, this.#where(key));
      if (failure.kind !== 'not_found') throw failure;
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
   * GetObject, whole or ranged. The SDK retries until response headers arrive; a
   * connection lost while the body streams is retried here, with the same budget.
   */
  async #read(key: string, range: { offset: number; length: number } | undefined): Promise<Buffer> {
    const Key = this.#objectKey(key);
    for (let attempt = 1; ; attempt++) {
      try {
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
        if (range.offset < start || slice.length < range.length) throw shortObjectError(this.#where(key).target, key, range.offset, range.length);
        return slice;
      } catch (error) {
        if ((error as { name?: string }).name === 'InvalidRange') {
          throw shortObjectError(this.#where(key).target, key, range?.offset ?? 0, range?.length ?? 0);
        }
        const streamFailure = isNetworkFailure(error) && (error as { $metadata?: unknown }).$metadata === undefined;
        if (!streamFailure || attempt >= this.#maxAttempts) throw s3StoreError(error, this.#where(key));
        await sleep(Math.random() * 100 * 2 ** attempt);
      }
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
