// Not a test: put/get throughput of each backend, 64 objects of 16 MiB.
// Run: node test/storage/throughput.bench.ts [concurrency]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachBounded } from '../../app/storage/bounded.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { startS3Server } from './s3-server.ts';

const COUNT = 64;
const SIZE = 16 * 1024 * 1024;
const concurrency = Number(process.argv[2] ?? 1);
const data = randomBytes(SIZE);
const keys = Array.from({ length: COUNT }, (_, i) => `bench/packs/${String(i).padStart(2, '0')}`);

async function measure(name: string, store: ObjectStore): Promise<void> {
  const mibps = (ms: number) => ((COUNT * SIZE) / 1024 / 1024 / (ms / 1000)).toFixed(0);
  let started = performance.now();
  await forEachBounded(keys, concurrency, (key) => store.put(key, data));
  const put = performance.now() - started;
  started = performance.now();
  await forEachBounded(keys, concurrency, async (key) => {
    if ((await store.get(key)).length !== SIZE) throw new Error('short read');
  });
  const get = performance.now() - started;
  console.log(`${name} (concurrency ${concurrency}): put ${mibps(put)} MiB/s (${(put / 1000).toFixed(1)} s), get ${mibps(get)} MiB/s (${(get / 1000).toFixed(1)} s)`);
}

const cleanups: (() => Promise<void>)[] = [];
try {
  const dir = await mkdtemp(path.join(tmpdir(), 'ferry-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await measure('LocalFolderStore', new LocalFolderStore(dir));

  const server = await startS3Server({ after: (fn) => void cleanups.push(fn) });
  const s3 = new S3Store(server.config());
  await measure('S3Store → s3rver (127.0.0.1)', s3);
  s3.close();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
