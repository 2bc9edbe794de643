/**
 * Normalises a bucket prefix: no leading '/', one trailing '/' when not empty, no empty,
 * '.' or '..' segments (S3 would store them literally and other tools would trip on them).
 */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (trimmed.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`"${prefix}" is not a usable prefix: remove empty, "." and ".." parts.`);
  }
  return `${trimmed}/`;
}

/** Bucket naming rules of S3 (3–63 characters of a-z, 0-9, '.', '-'), loosened for S3-compatible servers that allow '_'. */
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/** `s3://bucket/some/prefix` → { bucket: 'bucket', prefix: 'some/prefix/' }. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(url.trim());
  const bucket = match?.[1];
  if (!bucket || !BUCKET.test(bucket)) {
    throw new Error(`"${url}" is not an S3 location: write it as s3://bucket or s3://bucket/prefix.`);
  }
  return { bucket, prefix: normalisePrefix(match?.[2] ?? '') };
}
