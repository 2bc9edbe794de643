import { z } from 'zod';

/**
 * A name an admin gives (repository, job): shown in lists and messages, compared
 * without case by the catalog, at most 64 characters, no control characters.
 */
export function displayName(emptyMessage: string) {
  return z
    .string()
    .trim()
    .min(1, emptyMessage)
    .max(64, 'Use at most 64 characters.')
    .refine((name) => !/\p{Cc}/u.test(name), 'Control characters are not allowed.');
}
