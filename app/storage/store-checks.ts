import { StoreError, checkKey } from './object-store.ts';

/** Whether a name found in the store (a file, an S3 key) can be a key; foreign and temporary names cannot. */
export function isValidKey(key: string): boolean {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
  }
}

/** A list prefix is '' or a valid key followed by '/'. */
export function checkPrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/') || !isValidKey(prefix.slice(0, -1))) {
    throw new StoreError('invalid_key', `"${prefix.slice(0, 200)}" is not a valid list prefix: use '' or a key followed by '/'.`, prefix);
  }
}

/** Offsets and lengths come from indexes we wrote; a bad one is a bug, not a storage failure. */
export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`Invalid byte range: offset ${offset}, length ${length}.`);
  }
}

/**
 * A range that runs past the end of the object. Both backends report it the same way
 * rather than return fewer bytes: a short read would otherwise pass for data.
 */
export function shortObjectError(where: string, key: string, offset: number, length: number): StoreError {
  return new StoreError(
    'io',
    `${where} is shorter than expected: bytes ${offset}–${offset + length - 1} were asked for. The object may be truncated or damaged.`,
    key,
  );
}
