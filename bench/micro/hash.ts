// Hash throughput of what node:crypto offers: `node bench/micro/hash.ts`. Plain script.
// Chooses the blob id hash: SHA-256 (SHA-NI) vs BLAKE2b vs SHA-512/256.
import { createHash, hash, randomFillSync } from 'node:crypto';

const chunk = randomFillSync(Buffer.alloc(1024 * 1024));
const total = 512 * 1024 * 1024;

function measure(label: string, run: () => void): void {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let done = 0; done < total; done += chunk.length) run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${label.padEnd(34)} ${(total / 1e6 / best).toFixed(0).padStart(6)} MB/s`);
}

console.log('1 MiB buffers, 512 MiB per round, best of 5');
measure('sha256 (crypto.hash one-shot)', () => hash('sha256', chunk, 'buffer'));
for (const algorithm of ['sha256', 'sha512-256', 'sha512', 'blake2b512', 'blake2s256', 'sha3-256']) {
  measure(`${algorithm} (createHash)`, () => createHash(algorithm).update(chunk).digest());
}

// blobIdAsync (WebCrypto on the libuv pool): with several in flight it uses the other cores.
const { blobIdAsync } = await import('../../app/format/hash.ts');
for (const inFlight of [1, 2, 4]) {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    let done = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (done < total) {
          done += chunk.length;
          await blobIdAsync(chunk);
        }
      }),
    );
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${`blobIdAsync, ${inFlight} in flight`.padEnd(34)} ${(total / 1e6 / best).toFixed(0).padStart(6)} MB/s`);
}
