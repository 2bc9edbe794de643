/** What a file system error means, in words: never an errno code ("ENOENT") in a message a person reads. */
const WORDS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'part of its path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'its symbolic links go round in a loop',
  ENAMETOOLONG: 'its path is too long',
  EBUSY: 'it is in use',
  EIO: 'the disk reported a read or write error',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  ENOSPC: 'the disk is full',
  EROFS: 'the disk is read-only',
  ETIMEDOUT: 'it did not answer in time',
  ESTALE: 'the network share lost it (stale handle)',
};

export function errnoWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && code in WORDS) return WORDS[code]!;
  // Node's own text begins with the code ("EXDEV: cross-device link not permitted, rename …"): the rest says it.
  return ((error as Error | undefined)?.message ?? String(error)).replace(/^E[A-Z]+: /, '');
}
