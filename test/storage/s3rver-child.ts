// Runs s3rver in its own process (see s3-server.ts for why) and reports its port to the
// parent over IPC. Usage (forked): s3rver-child.ts <directory> <port> [bucket]
import { unlink } from 'node:fs/promises';
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
// s3rver removes a key's emptied folders after a delete; a PUT into that folder at the
// same moment loses it between mkdir and open, and the unhandled stream error kills the
// server (seen with racing lock writes and deletes). S3 has no folders, and s3rver lists
// only object files: a delete here leaves the folders.
server.store.deleteObject = async (bucket, key) => {
  const files = ['object', 'object.md5', 'metadata.json'].map((resource) => server.store.getResourcePath(bucket, key, resource));
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
