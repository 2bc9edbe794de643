import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { forEachBounded } from './bounded.ts';

/** S3 accepts at most 10,000 parts of at most 5 GiB; parts other than the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;

/** The part size actually used: the configured one, grown when the object would need too many parts. */
export function partSizeFor(length: number, partSize: number): number {
  return Math.max(partSize, Math.ceil(length / MAX_PARTS));
}

/**
 * Uploads `data` as one multipart upload, `concurrency` parts in flight, each request
 * retried on its own (`retrying`). The object
 * appears only when CompleteMultipartUpload succeeds, so a failure leaves the old object
 * (or none). On failure the upload is aborted, best effort: the original error is what
 * the caller needs, and a bucket lifecycle rule cleans up what an abort could not.
 */
export async function putMultipart(
  client: S3Client,
  retrying: <T>(what: string, work: () => Promise<T>) => Promise<T>,
  target: { bucket: string; key: string },
  data: Uint8Array,
  partSize: number,
  concurrency: number,
): Promise<void> {
  const Bucket = target.bucket;
  const Key = target.key;
  // CRC32 per part, declared at creation: S3 checks every part, then the whole.
  const created = await retrying('CreateMultipartUpload', () => client.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' })));
  const UploadId = created.UploadId;
  if (!UploadId) throw new Error('CreateMultipartUpload returned no upload id.');

  const size = partSizeFor(data.length, partSize);
  const offsets = Array.from({ length: Math.ceil(data.length / size) }, (_, i) => i * size);
  const parts: CompletedPart[] = new Array<CompletedPart>(offsets.length);
  try {
    await forEachBounded(offsets, concurrency, async (offset, index) => {
      const PartNumber = index + 1;
      const uploaded = await retrying(`UploadPart ${PartNumber}`, () =>
        client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: data.subarray(offset, offset + size), ChecksumAlgorithm: 'CRC32' })),
      );
      parts[index] = { PartNumber, ETag: uploaded.ETag, ...(uploaded.ChecksumCRC32 ? { ChecksumCRC32: uploaded.ChecksumCRC32 } : {}) };
    });
    await retrying('CompleteMultipartUpload', () => client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } })));
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw error;
  }
}
