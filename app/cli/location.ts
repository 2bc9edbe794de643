import path from 'node:path';
import { FerryError } from '../../shared/rpc/errors.ts';
import { makeFolders } from '../repositories/local-folder.ts';
import { LocalFolderStore } from '../storage/local-store.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { parseS3Url } from '../storage/s3-location.ts';
import { errnoWords } from '../util/errno-words.ts';

/**
 * A repository named on the command line: a folder path, or s3://bucket/prefix with the
 * endpoint and credentials from the usual variables (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION; FERRY_S3_ENDPOINT or AWS_ENDPOINT_URL for
 * S3-compatible servers; FERRY_S3_VIRTUAL_HOST=1 for virtual-hosted-style addressing;
 * FERRY_S3_RETRY_SECONDS or --s3-retry: how long failing requests are retried).
 */
export async function storeFromArgument(argument: string, options: { create?: boolean } = {}): Promise<ObjectStore> {
  if (/^s3:\/\//i.test(argument)) {
    const { bucket, prefix } = parseS3Url(argument);
    const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
    const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
    if (!accessKeyId || !secretAccessKey) {
      throw new FerryError('invalid_input', 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use an S3 repository.');
    }
    const endpoint = process.env['FERRY_S3_ENDPOINT'] || process.env['AWS_ENDPOINT_URL'];
    // Loaded only for S3: the AWS SDK would cost every command ~30 MiB and start-up time.
    const [{ S3Store }, { retryForMsFromEnv }] = await Promise.all([import('../storage/s3-store.ts'), import('../storage/s3-retry.ts')]);
    const retryForMs = retryForMsFromEnv();
    return new S3Store({
      ...(endpoint ? { endpoint } : {}),
      region: process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1',
      bucket,
      prefix,
      forcePathStyle: process.env['FERRY_S3_VIRTUAL_HOST'] !== '1',
      accessKeyId,
      secretAccessKey,
    }, retryForMs === undefined ? {} : { retryForMs });
  }
  const folder = path.resolve(argument);
  if (options.create) {
    try {
      await makeFolders(folder);
    } catch (error) {
      throw new FerryError('repo_unavailable', `Cannot create ${folder}: ${errnoWords(error)}.`);
    }
  }
  return new LocalFolderStore(folder);
}

/** How a repository named on the command line is shown before its store is made (a folder: its absolute path). */
export function locationName(argument: string): string {
  return /^s3:\/\//i.test(argument) ? argument : path.resolve(argument);
}

/** S3 clients keep sockets open; a CLI run closes them so the process can exit. */
export function closeStore(store: ObjectStore): void {
  store.close?.();
}
