// Codec throughput: `node bench/micro/codec.ts`. Plain script.
// Shows what the sample saves on incompressible data and what it costs on text.
import { readFileSync } from 'node:fs';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { decodeBlob, encodeBlob } from '../../app/format/codec.ts';
import { pseudoRandom, textLike } from '../../test/format/helpers.ts';

const CHUNK = 1024 * 1024;
const COUNT = 128;

function measure(label: string, chunks: Buffer[], run: (chunk: Buffer) => unknown): void {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    for (const chunk of chunks) run(chunk);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  console.log(`${label.padEnd(46)} ${((CHUNK * COUNT) / 1e6 / best).toFixed(0).padStart(6)} MB/s`);
}

const random = Array.from({ length: COUNT }, (_, k) => pseudoRandom(CHUNK, k));
// Real text: TypeScript's compiler source (~9 MB of JavaScript), cut in 1 MiB chunks.
const source = readFileSync(new URL('../../node_modules/typescript/lib/typescript.js', import.meta.url));
const text = Array.from({ length: Math.floor(source.length / CHUNK) }, (_, k) => source.subarray(k * CHUNK, (k + 1) * CHUNK));
const texts = Array.from({ length: COUNT }, (_, k) => text[k % text.length]!);
// Random words: text with little redundancy beyond its alphabet (zstd's worst text case).
const words = Array.from({ length: COUNT }, (_, k) => textLike(CHUNK, k % 16));
console.log(`${COUNT} × 1 MiB chunks, best of 3`);
measure('random: encodeBlob (sample, then raw)', random, (c) => encodeBlob(c));
measure('random: always zstd -3', random, (c) => zstdCompressSync(c));
measure('text: encodeBlob (sample + zstd -3)', texts, (c) => encodeBlob(c));
measure('text: always zstd -3', texts, (c) => zstdCompressSync(c));
measure('text: encodeBlob level 1', texts, (c) => encodeBlob(c, { level: 1 }));
measure('random words: encodeBlob', words, (c) => encodeBlob(c));
const encoded = texts.map((c) => encodeBlob(c).data);
let k = 0;
measure('text: decodeBlob (zstd)', encoded, (c) => decodeBlob('zstd', c, texts[k++ % COUNT]!.length));
measure('text: raw zstdDecompressSync', encoded, (c) => zstdDecompressSync(c));
const ratio = encoded.reduce((sum, c) => sum + c.length, 0) / (CHUNK * COUNT);
console.log(`text compresses to ${(ratio * 100).toFixed(1)}% at level 3`);
