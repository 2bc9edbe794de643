import { z } from 'zod';
import { displayName } from './names.ts';

export const repositoryName = displayName('Enter a name.');

export const localLocation = z.object({
  kind: z.literal('local'),
  path: z.string().trim().min(1, 'Enter a folder path.').max(4096, 'The path is too long.'),
});

/** How long a failing S3 request may be retried (seconds), wherever it is set: a repository, FERRY_S3_RETRY_SECONDS, --s3-retry. */
export const S3_RETRY_SECONDS = { min: 0, max: 3600 } as const;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An S3-compatible bucket. The secret key is never part of it: it lives in the host's secret store. */
export const s3Location = z.object({
  kind: z.literal('s3'),
  /** Empty for AWS; the server's URL for MinIO, Ceph RGW and the like. */
  endpoint: z
    .string()
    .trim()
    .max(2048)
    .refine((value) => value === '' || /^https?:\/\/[^/\s]+/.test(value), 'Enter a URL such as https://s3.example.com:9000, or leave it empty for AWS.')
    .default(''),
  region: z.string().trim().min(1, 'Enter a region (us-east-1 if the server does not care).').max(64).default('us-east-1'),
  bucket: z.string().trim().regex(BUCKET, 'Bucket names are 3–63 lowercase letters, digits, dots and hyphens.'),
  prefix: z
    .string()
    .trim()
    .max(512)
    .refine((value) => !value.split('/').some((part) => part === '..' || part === '.'), 'The prefix cannot contain "." or ".." parts.')
    .default(''),
  forcePathStyle: z.boolean().default(true),
  accessKeyId: z.string().trim().min(1, 'Enter the access key.').max(256),
  /** How long a failing request is retried before a workload fails; absent: FERRY_S3_RETRY_SECONDS, else 2 minutes. */
  retrySeconds: z
    .number()
    .int()
    .min(S3_RETRY_SECONDS.min)
    .max(S3_RETRY_SECONDS.max, `Retry for at most ${S3_RETRY_SECONDS.max} seconds.`)
    .optional(),
});
export type S3Location = z.infer<typeof s3Location>;

/** Where a repository lives. */
export const repositoryLocation = z.discriminatedUnion('kind', [localLocation, s3Location]);
export type RepositoryLocation = z.infer<typeof repositoryLocation>;

/** What the admin types to reach a location: an S3 location also needs its secret key. */
export const locationInput = z.discriminatedUnion('kind', [
  localLocation,
  s3Location.extend({ secretAccessKey: z.string().min(1, 'Enter the secret key.').max(1024) }),
]);
export type LocationInput = z.input<typeof locationInput>;
export type CheckedLocationInput = z.output<typeof locationInput>;

export const storageSpace = z.object({
  totalBytes: z.number().nonnegative(),
  freeBytes: z.number().nonnegative(),
});
export type StorageSpace = z.infer<typeof storageSpace>;

export const repository = z.object({
  id: z.string(),
  name: z.string(),
  location: repositoryLocation,
  isDefault: z.boolean(),
  createdAt: z.string(),
  /** Reachability when the list was made: an unplugged drive is listed as unavailable. */
  status: z.enum(['available', 'unavailable']),
  statusMessage: z.string().optional(),
  /** Free and total space where the storage tells (folders; not S3). */
  space: storageSpace.optional(),
  /** Bytes Ferry's backups take in it, as of the last scan (absent before the first). */
  usedBytes: z.number().nonnegative().optional(),
  backupCount: z.number().int().nonnegative().optional(),
});
export type Repository = z.infer<typeof repository>;

/** A job that uses a repository: as its target, or as a copy job's source. */
export const repositoryUser = z.object({ id: z.string(), name: z.string(), use: z.enum(['target', 'source']) });
export type RepositoryUser = z.infer<typeof repositoryUser>;

/** The longest history `repos.usage` returns, in days (the catalog keeps no more). */
export const USAGE_HISTORY_DAYS = 400;

/** A repository's size at one moment: what its backups store, and the space of the storage where it tells (folders; not S3). */
export const usageSample = z.object({
  at: z.string(),
  storedBytes: z.number().nonnegative(),
  freeBytes: z.number().nonnegative().nullable(),
  totalBytes: z.number().nonnegative().nullable(),
});
export type UsageSample = z.infer<typeof usageSample>;

export const addRepositoryInput = z.object({
  name: repositoryName,
  location: locationInput,
});
export type AddRepositoryInput = z.input<typeof addRepositoryInput>;

/** A human-readable description of where a repository is. */
export function describeLocation(location: RepositoryLocation): string {
  switch (location.kind) {
    case 'local':
      return location.path;
    case 's3': {
      const prefix = location.prefix.replace(/^\/+|\/+$/g, '');
      const where = `s3://${location.bucket}${prefix ? `/${prefix}` : ''}`;
      return location.endpoint ? `${where} at ${location.endpoint}` : where;
    }
  }
}
