import type { CheckedLocationInput, RepositoryLocation } from '../../shared/domain/repository.ts';
import { LocalFolderStore } from '../storage/local-store.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/**
 * Opens the object store of a location; an S3 location needs its secret key. The S3
 * store is loaded only then: the AWS SDK costs ~30 MiB of memory and start-up time that
 * local repositories should not pay.
 */
export async function openStore(location: RepositoryLocation, secretAccessKey: string | undefined): Promise<ObjectStore> {
  switch (location.kind) {
    case 'local':
      return new LocalFolderStore(location.path);
    case 's3': {
      const [{ S3Store }, { retryForMsFromEnv }] = await Promise.all([import('../storage/s3-store.ts'), import('../storage/s3-retry.ts')]);
      const retryForMs = location.retrySeconds === undefined ? retryForMsFromEnv() : location.retrySeconds * 1000;
      return new S3Store({
        ...(location.endpoint ? { endpoint: location.endpoint } : {}),
        region: location.region,
        bucket: location.bucket,
        prefix: location.prefix,
        forcePathStyle: location.forcePathStyle,
        accessKeyId: location.accessKeyId,
        secretAccessKey: secretAccessKey ?? '',
      }, retryForMs === undefined ? {} : { retryForMs });
    }
  }
}

/** The stored location (never the secret) and the secret, from what the admin typed. */
export function splitLocationInput(input: CheckedLocationInput): { location: RepositoryLocation; secret: string | undefined } {
  if (input.kind === 'local') return { location: input, secret: undefined };
  const { secretAccessKey, ...location } = input;
  return { location, secret: secretAccessKey };
}

export const s3SecretName = (repositoryId: string) => `repository/${repositoryId}/s3-secret-access-key`;
