// AES-256-GCM and scrypt costs: `node bench/micro/crypto.ts`. Plain script.
import { randomBytes } from 'node:crypto';
import { createKeyFile, DEFAULT_KDF, open, openKeyFileWith, passwordKeyFor, seal } from '../../app/format/crypto.ts';

const key = randomBytes(32);
const id = randomBytes(32);
const chunk = randomBytes(1024 * 1024);
const total = 512 * 1024 * 1024;

function measure(label: string, run: () => unknown): void {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    for (let done = 0; done < total; done += chunk.length) run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${label.padEnd(30)} ${(total / 1e6 / best).toFixed(0).padStart(6)} MB/s`);
}

console.log('1 MiB blobs, 512 MiB per round, best of 3');
measure('seal (AES-256-GCM)', () => seal(key, chunk, id));
const sealed = seal(key, chunk, id);
measure('open (AES-256-GCM)', () => open(key, sealed, id));

const started = Date.now();
const { keyFile } = await createKeyFile('password', { kdf: DEFAULT_KDF });
const created = Date.now();
openKeyFileWith(keyFile, await passwordKeyFor(keyFile, 'password'));
console.log(`scrypt N=2^15 r=8 p=1: create ${created - started} ms, open ${Date.now() - created} ms`);
