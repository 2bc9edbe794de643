import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chunkBuffers, fileChunks } from '../../app/backup/file-chunks.ts';
import { Chunker, CHUNK_MAX } from '../../app/format/chunker.ts';
import { blobId } from '../../app/format/hash.ts';
import { pseudoRandom, textLike } from '../format/helpers.ts';
import { tempDir } from '../helpers.ts';

const MiB = 1024 * 1024;

/** The chunks of `data` as the reference chunker cuts them. */
function reference(data: Buffer): string[] {
  const chunker = new Chunker();
  const chunks = [...chunker.push(data)];
  const last = chunker.finish();
  if (last) chunks.push(last);
  return chunks.map((chunk) => blobId(chunk).toString('hex'));
}

/** Reads the file and hashes each chunk, releasing it at once so its buffer is reused by the next. */
async function read(file: string, expectedSize: number, buffers = chunkBuffers()): Promise<string[]> {
  const ids: string[] = [];
  for await (const chunk of fileChunks(file, expectedSize, buffers)) {
    ids.push(blobId(chunk.data).toString('hex'));
    chunk.release();
  }
  return ids;
}

describe('fileChunks', () => {
  it('cuts files as the chunker does, reusing buffers, whatever their size', async (t) => {
    const dir = await tempDir(t);
    const buffers = chunkBuffers();
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['tiny', Buffer.from('abc')],
      ['one read', textLike(MiB, 1)],
      ['random', pseudoRandom(9 * MiB + 123, 2)],
      ['text', textLike(7 * MiB, 3)],
      // No cut point: chunks of CHUNK_MAX, longer than a chunk buffer.
      ['constant', Buffer.alloc(2 * CHUNK_MAX + 5, 7)],
    ];
    for (const [name, data] of cases) {
      const file = path.join(dir, name);
      await writeFile(file, data);
      assert.deepEqual(await read(file, data.length, buffers), reference(data), name);
    }
  });

  it('reads what the file holds when it changed size since lstat', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'f');
    const data = pseudoRandom(3 * MiB, 4);
    await writeFile(file, data.subarray(0, MiB));
    await appendFile(file, data.subarray(MiB));
    assert.deepEqual(await read(file, MiB), reference(data), 'grew');
    assert.deepEqual(await read(file, 5 * MiB), reference(data), 'shrank');
    assert.deepEqual(await read(file, 0), reference(data), 'was empty');
  });

  it('keeps a chunk intact until it is released', async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'f');
    const data = textLike(6 * MiB, 5);
    await writeFile(file, data);
    const buffers = chunkBuffers();
    const held = [];
    for await (const chunk of fileChunks(file, data.length, buffers)) held.push(chunk);
    assert.deepEqual(held.map((chunk) => blobId(chunk.data).toString('hex')), reference(data));
    assert.ok(Buffer.concat(held.map((chunk) => chunk.data)).equals(data));
  });
});
