import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Config } from '../../app/storage/s3-store.ts';

/** s3rver's built-in account: it accepts only this access key id (and, for SigV4, any secret). */
export const S3RVER_KEY = 'S3RVER';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-child.ts');

export type S3TestServer = {
  endpoint: string;
  bucket: string;
  /** A store config for this server; the prefix defaults to a fresh one per call. */
  config(prefix?: string): S3Config;
  /** Kills the server (SIGKILL): open connections are cut, the port is closed. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  restart(): Promise<void>;
};

let prefixes = 0;

/** Where cleanup is registered: a node:test TestContext, or a script's own list. */
export type CleanupScope = { after(fn: () => Promise<void>): void };

/**
 * s3rver on 127.0.0.1, an OS-chosen port, a temporary folder and one bucket; killed and
 * removed when the test ends. It runs in a child process because s3rver makes
 * ListObjectsV2 continuation tokens with DES, which Node 17+ (OpenSSL 3) offers only
 * with --openssl-legacy-provider: in-process, every listing of more than 1,000 keys
 * fails with InternalError. A process also makes stop() a real crash.
 */
export async function startS3Server(t: CleanupScope, bucket = 'ferry-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'ferry-s3rver-'));
  let running: ChildProcess | undefined;
  let port = 0;

  const start = (withBucket: boolean) =>
    new Promise<void>((resolve, reject) => {
      const args = [directory, String(port), ...(withBucket ? [bucket] : [])];
      const proc = fork(child, args, { execArgv: ['--openssl-legacy-provider'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      proc.stderr?.on('data', (chunk) => (stderr += chunk));
      proc.once('message', (message: { port: number }) => {
        port = message.port;
        running = proc;
        resolve();
      });
      proc.once('exit', (code, signal) => reject(new Error(`s3rver exited (${signal ?? code}) before listening: ${stderr}`)));
    });
  const stop = async () => {
    const proc = running;
    running = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };

  await start(true);
  t.after(async () => {
    await stop();
    await rm(directory, { recursive: true, force: true });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    config: (prefix = `t${++prefixes}/`) => ({
      endpoint,
      region: 'us-east-1',
      bucket,
      prefix,
      forcePathStyle: true,
      accessKeyId: S3RVER_KEY,
      secretAccessKey: S3RVER_KEY,
    }),
    stop,
    async restart() {
      await stop();
      await start(false);
    },
  };
}
