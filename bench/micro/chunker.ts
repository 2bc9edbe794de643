// Chunker throughput: `node bench/micro/chunker.ts [MiB]`. Plain script, not a test.
import { createCipheriv } from 'node:crypto';
import { Chunker, CHUNKER_PARAMS, type ChunkerParams } from '../../app/format/chunker.ts';

const mib = Number(process.argv[2] ?? 512);
const size = mib * 1024 * 1024;
// Deterministic pseudo-random bytes: AES-256-CTR over zeros.
const data = createCipheriv('aes-256-ctr', Buffer.alloc(32), Buffer.alloc(16)).update(Buffer.alloc(size));

function run(label: string, params: ChunkerParams, piece: number): void {
  let best = Infinity;
  let count = 0;
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const chunker = new Chunker(params);
    const started = process.hrtime.bigint();
    count = 0;
    total = 0;
    for (let offset = 0; offset < size; offset += piece) {
      for (const chunk of chunker.push(data.subarray(offset, offset + piece))) {
        count++;
        total += chunk.length;
      }
    }
    const last = chunker.finish();
    if (last) {
      count++;
      total += last.length;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  if (total !== size) throw new Error('lost bytes');
  const mbs = size / 1e6 / best;
  console.log(`${label.padEnd(44)} ${mbs.toFixed(0).padStart(6)} MB/s  ${count} chunks, mean ${(size / count / 1048576).toFixed(2)} MiB`);
}

console.log(`${mib} MiB of random data, best of 5`);
run('FastCDC params, one push', CHUNKER_PARAMS, size);
run('FastCDC params, 64 KiB pushes', CHUNKER_PARAMS, 64 * 1024);
run('FastCDC params, 1 MiB pushes', CHUNKER_PARAMS, 1024 * 1024);
// Every byte hashed and tested (no skipping): the raw speed of the gear loop.
const huge = 2 ** 31;
run('gear loop on every byte (no skip, no cuts)', { min: 32, normal: huge, max: huge, maskS: -1, maskL: -1 }, size);
