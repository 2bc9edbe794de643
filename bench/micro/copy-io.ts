// The I/O floor of a local copy: `node bench/micro/copy-io.ts <source repository> [rounds]`.
// Plain script. Reads every pack file of the repository's backups in 8 MiB ranges, three
// at a time (as app/copy does), gathers them into 16 MiB packs and stores each with
// LocalFolderStore.put (temporary file, fsync, rename, directory fsync), two and then
// three at a time, into a scratch repository folder. No decryption, sealing or hashing:
// what is left is what any durable copy through the page cache pays on this machine. The
// page cache is dropped before each round when permitted (root).
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { dropCaches } from '../lib/measure.ts';

const source = process.argv[2];
if (!source) throw new Error('usage: node bench/micro/copy-io.ts <source repository> [rounds]');
const rounds = Number(process.argv[3] ?? 3);
/** As MAX_RANGE in app/copy/copy-point.ts and PACK_TARGET in app/repository/backup-store.ts. */
const RANGE = 8 * 1024 * 1024;
const PACK = 16 * 1024 * 1024;
const READS_IN_FLIGHT = 3;

const ranges: { file: string; offset: number; length: number }[] = [];
for (const backup of await readdir(source, { withFileTypes: true })) {
  if (!backup.isDirectory()) continue;
  const packs = path.join(source, backup.name, 'packs');
  for (const folder of await readdir(packs).catch(() => [])) {
    for (const name of await readdir(path.join(packs, folder))) {
      const file = path.join(packs, folder, name);
      const handle = await open(file);
      const { size } = await handle.stat();
      await handle.close();
      for (let offset = 0; offset < size; offset += RANGE) ranges.push({ file, offset, length: Math.min(RANGE, size - offset) });
    }
  }
}
const total = ranges.reduce((sum, r) => sum + r.length, 0);
console.log(`${source}: ${(total / 2 ** 20).toFixed(1)} MiB in ${ranges.length} reads; page cache ${dropCaches() ? 'dropped' : 'NOT dropped (not root)'} before each round`);

async function copy(writers: number): Promise<{ seconds: number; slotWait: number; packs: number }> {
  const root = await mkdtemp(path.join(tmpdir(), 'ferry-copy-io-'));
  const store = new LocalFolderStore(root);
  const spare = Array.from({ length: writers + 1 }, () => Buffer.allocUnsafeSlow(PACK + RANGE));
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
    Array.from({ length: READS_IN_FLIGHT }, async () => {
      const buffer = Buffer.allocUnsafeSlow(RANGE);
      while (next < ranges.length) {
        const { file, offset, length } = ranges[next++]!;
        const handle = await open(file);
        await handle.read(buffer, 0, length, offset);
        await handle.close();
        while (filled >= PACK) await sending;
        buffer.copy(pack, filled, 0, length);
        filled += length;
        if (filled >= PACK) {
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
