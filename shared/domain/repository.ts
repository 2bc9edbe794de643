import { z } from 'zod';

/** Names are shown in lists and used in messages; they are compared without case. */
export const repositoryName = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(64, 'Use at most 64 characters.')
  .refine((name) => !/\p{Cc}/u.test(name), 'Control characters are not allowed.');

export const localLocation = z.object({
  kind: z.literal('local'),
  path: z.string().trim().min(1, 'Enter a folder path.').max(4096, 'The path is too long.'),
});

/** Where a repository lives. S3-compatible storage joins this union later. */
export const repositoryLocation = z.discriminatedUnion('kind', [localLocation]);
export type RepositoryLocation = z.infer<typeof repositoryLocation>;

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
  space: storageSpace.optional(),
});
export type Repository = z.infer<typeof repository>;

export const addRepositoryInput = z.object({
  name: repositoryName,
  location: repositoryLocation,
});
export type AddRepositoryInput = z.input<typeof addRepositoryInput>;

/** A human-readable description of where a repository is. */
export function describeLocation(location: RepositoryLocation): string {
  switch (location.kind) {
    case 'local':
      return location.path;
  }
}
