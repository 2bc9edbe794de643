// Runs s3rver in its own process (see s3-server.ts for why) and reports its port to the
// parent over IPC. Usage (forked): s3rver-child.ts <directory> <port> [bucket]
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

const [directory, port, bucket] = process.argv.slice(2);
if (!directory || port === undefined) throw new Error('usage: s3rver-child.ts <directory> <port> [bucket]');
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: bucket ? [{ name: bucket }] : [],
});

/*
 * Three of s3rver's file-store habits differ from S3, and under load they made tests
 * fail that the product would pass on S3. Patched here, the test server behaves as S3:
 * - it answers a PUT (of an object or a part) before the file is flushed, so a GET or
 *   the completion of an upload right after could read it cut short or mixed with the
 *   old object: writes go to a temporary file and are renamed into place once flushed;
 * - it writes over the object in place, so a concurrent GET saw a half-written one: the
 *   rename makes a write whole at once;
 * - it removes a key's emptied folders after a delete, and a PUT into that folder at that
 *   moment lost it between mkdir and open, killing the server with an unhandled stream
 *   error: S3 has no folders and s3rver lists only object files, so deletes leave them.
 */
const store = server.store;

/** `content` written whole to `file`: flushed to a temporary file, then renamed into place. */
async function writeWhole(file: string, content: Buffer | NodeJS.ReadableStream): Promise<{ size: number; md5: string }> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.part`;
  const md5 = createHash('md5');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, measure, createWriteStream(temporary));
  await rename(temporary, file);
  return { size, md5: md5.digest('hex') };
}

store.putObject = async (object) => {
  const written = await writeWhole(store.getResourcePath(object.bucket, object.key, 'object'), object.content);
  await store.putMetadata(object.bucket, object.key, object.metadata, written.md5);
  return written;
};

store.putPart = async (bucket, uploadId, partNumber, content) => {
  const partFile = path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
  const written = await writeWhole(partFile, content);
  await writeWhole(`${partFile}.md5`, Buffer.from(written.md5));
  return written;
};

store.deleteObject = async (bucket, key) => {
  const files = ['object', 'object.md5', 'metadata.json'].map((resource) => store.getResourcePath(bucket, key, resource));
  const removeFile = (file: string) =>
    unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  await Promise.all(files.map(removeFile));
};

const address = await server.run();
process.send?.({ port: address.port });
// The parent ends this process with a signal; losing the parent ends it too.
process.on('disconnect', () => process.exit(0));
