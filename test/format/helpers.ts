import { createCipheriv, createHash } from 'node:crypto';

/** Deterministic pseudo-random bytes (AES-256-CTR keystream of a seed), fast at any size. */
export function pseudoRandom(size: number, seed = 0): Buffer {
  const key = createHash('sha256').update(`ferry-test-${seed}`).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** Text-like, compressible bytes. */
export function textLike(size: number, seed = 0): Buffer {
  const words = ['backup', 'copy', 'restore', 'point', 'chunk', 'pack', 'index', 'ferry', 'job', 'window', '\n'];
  const noise = pseudoRandom(size, seed);
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const word = words[noise[i % size]! % words.length]!;
    parts.push(word, ' ');
    length += word.length + 1;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

/** Flips one bit of a copy. */
export function flipBit(data: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(data);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}
