// The whole write path for one stream, in memory: chunk → id → compress → seal → pack.
// `node bench/micro/pipeline.ts [MiB]`. Plain script. No dedup (every chunk is stored),
// no storage I/O: the CPU cost a backup pays per byte, on one thread and with the
// chunk hashing and compression moved to the thread pool (blobIdAsync, storeBlobAsync;
// up to 6 chunks in flight). Packs are finished as parts (no 32 MiB join).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { storeBlob, storeBlobAsync, type StoredBlob } from '../../app/format/blob-sealer.ts';
import { Chunker } from '../../app/format/chunker.ts';
import { blobId, blobIdAsync } from '../../app/format/hash.ts';
import { packHeaderSealer, packIdOfParts, PackWriter } from '../../app/format/pack.ts';
import { pseudoRandom } from '../../test/format/helpers.ts';

const mib = Number(process.argv[2] ?? 512);
const size = mib * 1024 * 1024;
const PIECE = 1024 * 1024; // what a file read stream would hand over (highWaterMark)
const key = randomBytes(32);

const source = readFileSync(new URL('../../node_modules/typescript/lib/typescript.js', import.meta.url));
let textSeed = 0;
/** The source repeated, one byte in 4096 randomised so that no chunk repeats. */
function text(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; at += source.length) source.copy(out, at, 0, Math.min(source.length, length - at));
  const noise = pseudoRandom(Math.ceil(length / 4096), ++textSeed);
  for (let k = 0; k * 4096 < length; k++) out[k * 4096] = noise[k]!;
  return out;
}
function mixed(length: number): Buffer {
  const segment = 16 * 1024 * 1024;
  const parts: Buffer[] = [];
  for (let at = 0, k = 0; at < length; at += segment, k++) {
    parts.push(k % 2 ? text(Math.min(segment, length - at)) : pseudoRandom(Math.min(segment, length - at), k));
  }
  return Buffer.concat(parts);
}

interface State {
  writer: PackWriter;
  stored: number;
  packs: number;
}

function addTo(state: State, id: Buffer, blob: StoredBlob): void {
  state.writer.add({ id, type: 'data', ...blob });
  if (state.writer.full) flush(state);
}

function flush(state: State): void {
  const { parts, size } = state.writer.finishParts(packHeaderSealer(key));
  packIdOfParts(parts);
  state.stored += size;
  state.packs++;
  state.writer = new PackWriter();
}

async function run(label: string, data: Buffer, mode: 'sync' | 'async'): Promise<void> {
  const state: State = { writer: new PackWriter(), stored: 0, packs: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = process.hrtime.bigint();
  const handle = async (chunk: Buffer): Promise<void> => {
    if (mode === 'sync') {
      const id = blobId(chunk);
      return addTo(state, id, storeBlob(id, chunk, { key }));
    }
    while (inFlight.size >= 6) await Promise.race(inFlight);
    const job = (async () => {
      const id = await blobIdAsync(chunk);
      addTo(state, id, await storeBlobAsync(id, chunk, { key }));
    })().finally(() => inFlight.delete(job));
    inFlight.add(job);
  };
  const chunker = new Chunker();
  for (let at = 0; at < data.length; at += PIECE) {
    for (const chunk of chunker.push(data.subarray(at, at + PIECE))) await handle(chunk);
  }
  const last = chunker.finish();
  if (last) await handle(last);
  await Promise.all(inFlight);
  flush(state);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ratio = ((state.stored / data.length) * 100).toFixed(0);
  console.log(`${label.padEnd(28)} ${mode.padEnd(5)} ${(data.length / 1e6 / seconds).toFixed(0).padStart(5)} MB/s  (stored ${ratio}%, ${state.packs} packs)`);
}

console.log(`${mib} MiB per input, encrypted, ${availableParallelism()} CPUs`);
for (const [label, make] of [
  ['random (incompressible)', (n: number) => pseudoRandom(n, 99)],
  ['text (JS source)', text],
  ['mixed 16 MiB segments', mixed],
] as const) {
  const data = make(size);
  await run(label, data, 'sync');
  await run(label, data, 'async');
}
