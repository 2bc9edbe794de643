// Memory of a backup's in-memory index: `node --expose-gc bench/micro/index-memory.ts [blobs]`.
// Plain script. Loads index files of 1,000,000 blobs (a ~1 TB backup: ~1 MiB a chunk),
// 100 packs' worth per file as a backup writes them, once into BlobIndex (what
// BackupStore keeps) and once into a Map of entry objects keyed by hex id (what it kept
// before), each in a fresh process so neither inherits the other's heap, and prints the
// memory each holds per blob, the time to load, and the time of a lookup.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BlobIndex, type IndexEntry } from '../../app/repository/blob-index.ts';
import type { IndexFile } from '../../app/repository/bulk-documents.ts';

const [kind, count] = process.argv[2] === '--run' ? [process.argv[3], Number(process.argv[4])] : [undefined, Number(process.argv[2] ?? 1_000_000)];

if (!kind) {
  console.log(`${count.toLocaleString('en')} blobs in 5,000-blob index files`);
  for (const which of ['BlobIndex', 'Map']) {
    process.stdout.write(execFileSync(process.execPath, ['--expose-gc', ...process.execArgv, import.meta.filename, '--run', which, String(count)], { encoding: 'utf8' }));
  }
} else {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Index files as a backup reads them: text parsed at once (ids are strings of their own).
  function* indexFiles(): Generator<string> {
    for (let done = 0; done < count; ) {
      const packs: IndexFile['packs'] = [];
      for (let p = 0; p < 100 && done < count; p++) {
        const blobs = [];
        for (let b = 0; b < 50 && done < count; b++, done++) blobs.push({ id: randomBytes(32).toString('hex'), type: 'data' as const, codec: 'zstd' as const, offset: b * 700_000, length: 700_000, plain: 1_048_576 });
        packs.push({ id: randomBytes(32).toString('hex'), blobs });
      }
      yield JSON.stringify({ format: 'ferry-index', version: 1, packs });
    }
  }
  const used = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  let loaded = 0;
  const ids: string[] = [];
  let lookup: (id: string) => IndexEntry | undefined;
  let held: unknown;
  const timed = (load: (file: IndexFile) => void) => {
    for (const text of indexFiles()) {
      const started = performance.now();
      const file = JSON.parse(text) as IndexFile;
      load(file);
      loaded += performance.now() - started;
      if (ids.length < 100_000) ids.push(file.packs[0]!.blobs[0]!.id);
    }
  };
  if (kind === 'BlobIndex') {
    const index = new BlobIndex();
    timed((file) => {
      index.reserve(index.size + file.packs.reduce((sum, pack) => sum + pack.blobs.length, 0));
      for (const pack of file.packs) for (const blob of pack.blobs) index.set(blob.id, { pack: pack.id, ...blob });
    });
    lookup = (id) => index.get(id);
    held = index;
  } else {
    const index = new Map<string, IndexEntry>();
    timed((file) => {
      for (const pack of file.packs) for (const blob of pack.blobs) index.set(blob.id, { pack: pack.id, type: blob.type, codec: blob.codec, offset: blob.offset, length: blob.length, plain: blob.plain });
    });
    lookup = (id) => index.get(id);
    held = index;
  }
  // The sample of ids looked up is not the index's memory.
  const bytes = used() - before - ids.length * 96;
  const t = performance.now();
  let found = 0;
  for (let round = 0; round < 100; round++) for (const id of ids) if (lookup(id)) found++;
  const perLookup = ((performance.now() - t) * 1e6) / (100 * ids.length);
  if (found !== 100 * ids.length || !held) throw new Error('a loaded blob was not found');
  console.log(`${kind!.padEnd(10)} ${(bytes / count).toFixed(0).padStart(4)} bytes a blob (${(bytes / 2 ** 20).toFixed(0)} MiB), loaded in ${(loaded / 1000).toFixed(2)} s, ${perLookup.toFixed(0)} ns a lookup`);
}
