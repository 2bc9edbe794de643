/**
 * What Read, New data and Stored mean for a kind of session, in words under each figure.
 * A copy reads the source's stored chunks (compressed) and counts new data uncompressed,
 * so its New data can be larger than its Read.
 */
export function byteWords(kind: string): { read: string; new: string; stored: string } {
  if (kind === 'backup-copy') {
    return {
      read: 'Stored chunks read from the source',
      new: 'Those the target lacked, uncompressed',
      stored: 'Written to the target',
    };
  }
  return { read: 'File data read', new: 'Not in the backup before', stored: 'Written, after compression' };
}

/** Why a copy's New data exceeds its Read, when it does; null otherwise. */
export function newExceedsRead(kind: string, read: number, added: number): string | null {
  if (added <= read) return null;
  return kind === 'backup-copy'
    ? 'New data is larger than Read because a copy reads the chunks as the source stores them (compressed) and counts new data uncompressed: nothing was read twice.'
    : 'New data is larger than Read because new data is counted before compression.';
}
