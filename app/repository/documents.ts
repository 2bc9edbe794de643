import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { FerryError } from '../../shared/rpc/errors.ts';
import { open, seal } from '../format/crypto.ts';
import type { CheckResult } from './bulk-documents.ts';

/**
 * JSON documents of a backup (index files, point manifests): zstd-compressed and, in
 * encrypted backups, sealed with a label naming what the document is, so one kind can
 * never be passed off as another.
 */
export function encodeDocument(value: unknown, key: Buffer | undefined, label: string): Buffer {
  const packed = zstdCompressSync(Buffer.from(JSON.stringify(value), 'utf8'));
  return key ? seal(key, packed, Buffer.from(label, 'utf8')) : packed;
}

/** A zod schema, or a check by hand of the same shape (bulk-documents.ts). */
export interface DocumentSchema<T> {
  safeParse(json: unknown): CheckResult<T>;
}

export function decodeDocument<T>(bytes: Buffer, key: Buffer | undefined, label: string, schema: DocumentSchema<T>, what: string): T {
  let json: unknown;
  try {
    const packed = key ? open(key, bytes, Buffer.from(label, 'utf8'), what) : bytes;
    json = JSON.parse(zstdDecompressSync(packed).toString('utf8'));
  } catch (error) {
    if (error instanceof FerryError) throw error;
    throw new FerryError('corrupt_data', `${what} is damaged: it cannot be read (${(error as Error).message}).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new FerryError('corrupt_data', `${what} is damaged: ${parsed.error.issues[0]?.message ?? 'unexpected content'}.`);
  return parsed.data;
}
