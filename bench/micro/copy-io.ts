// The I/O floor of a local copy: `node bench/micro/copy-io.ts <source repository> [rounds]`.
// Plain script. Reads every pack file of the repository's backups in ranges of a copy's
// size, as many at once as a copy does, with LocalFolderStore.getRange into reused
// buffers; gathers them into packs of a backup's size and stores each with
// LocalFolderStore.put (temporary file, fsync, rename, directory fsync), two and then
// three at a time, into a scratch repository folder. No decryption, sealing or hashing:
// what is left is what any durable copy through the page cache pays on this machine. The
// page cache is dropped before each round when permitted (root).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_RANGE, RANGES_IN_FLIGHT } from '../../app/copy/copy-point.ts';
import { PACK_TARGET } from '../../app/repository/backup-store.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { dropCaches } from '../lib/measure.ts';

const source = process.argv[2];
if (!source) throw new Error('usage: node bench/micro/copy-io.ts <source repository> [rounds]');
const rounds = Number(process.argv[3] ?? 3);

const from = new LocalFolderStore(source);
const ranges: { key: string; offset: number; length: number }[] = [];
for await (const { key, size } of from.list('')) {
  if (key.split('/')[1] !== 'packs') continue;
  for (let offset = 0; offset < size; offset += MAX_RANGE) ranges.push({ key, offset, length: Math.min(MAX_RANGE, size - offset) });
}
const total = ranges.reduce((sum, r) => sum + r.length, 0);
console.log(`${source}: ${(total / 2 ** 20).toFixed(1)} MiB in ${ranges.length} reads; page cache ${dropCaches() ? 'dropped' : 'NOT dropped (not root)'} before each round`);

async function copy(writers: number): Promise<{ seconds: number; slotWait: number; packs: number }> {
  const root = await mkdtemp(path.join(tmpdir(), 'ferry-copy-io-'));
  const store = new LocalFolderStore(root);
  const spare = Array.from({ length: writers + 1 }, () => Buffer.allocUnsafeSlow(PACK_TARGET + MAX_RANGE));
  let pack = spare.pop()!;
  let filled = 0;
  let packs = 0;
  let slotWait = 0;
  const uploads = new Set<Promise<void>>();
  let sending = Promise.resolve();
  const flush = async () => {
    const waited = performance.now();
    while (uploads.size >= writers) await Promise.race(uploads);
    slotWait += performance.now() - waited;
    const full = pack;
    const length = filled;
    pack = spare.pop()!;
    filled = 0;
    const upload = store.put(`copy/packs/${String(packs++).padStart(4, '0')}`, full.subarray(0, length)).then(() => void spare.push(full));
    uploads.add(upload);
    void upload.finally(() => uploads.delete(upload));
  };
  dropCaches();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: RANGES_IN_FLIGHT }, async () => {
      const buffer = Buffer.allocUnsafeSlow(MAX_RANGE);
      while (next < ranges.length) {
        const { key, offset, length } = ranges[next++]!;
        const bytes = await from.getRange(key, offset, length, buffer);
        while (filled >= PACK_TARGET) await sending;
        bytes.copy(pack, filled);
        filled += length;
        if (filled >= PACK_TARGET) {
          sending = flush();
          await sending;
        }
      }
    }),
  );
  if (filled > 0) await flush();
  await Promise.all(uploads);
  const seconds = (performance.now() - started) / 1000;
  await rm(root, { recursive: true, force: true });
  return { seconds, slotWait: slotWait / 1000, packs };
}

for (const writers of [2, 3]) {
  const results: Awaited<ReturnType<typeof copy>>[] = [];
  for (let round = 0; round < rounds; round++) results.push(await copy(writers));
  const best = results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  console.log(
    `${writers} packs stored at once: best ${best.seconds.toFixed(2)} s (${(total / 1e6 / best.seconds).toFixed(0)} MB/s), ` +
      `rounds ${results.map((r) => r.seconds.toFixed(2)).join(' / ')} s, ${best.packs} packs, waited ${best.slotWait.toFixed(2)} s for a slot`,
  );
}
