// Runs s3rver in its own process (see s3-server.ts for why) and reports its port to the
// parent over IPC. Usage (forked): s3rver-child.ts <directory> <port> [bucket]
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
const address = await server.run();
process.send?.({ port: address.port });
// The parent ends this process with a signal; losing the parent ends it too.
process.on('disconnect', () => process.exit(0));
