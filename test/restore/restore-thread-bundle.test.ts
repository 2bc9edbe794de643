/**
 * The engine bundle's restore thread (dist/engine/restore-worker.cjs, started by the
 * engine's restores from beside utility.cjs) on its own: it runs a write job on the
 * shared file state and writes, stamps and reports a file. Skips when not built.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FileStates } from '../../app/restore/piece-writer.ts';
import type { JobResult, WriteJob } from '../../app/restore/write-job.ts';
import { tempDir } from '../helpers.ts';

const bundle = fileURLToPath(new URL('../../dist/engine/restore-worker.cjs', import.meta.url));

describe('engine bundle: restore thread', { skip: existsSync(bundle) ? false : 'not built: dist/engine/restore-worker.cjs (npm run build)' }, () => {
  it('decodes, writes and stamps the pieces it is sent, and hands the bytes back', async (t) => {
    const dir = await tempDir(t);
    const states = new FileStates(1);
    states.setPieces(0, 2);
    const worker = new Worker(bundle, { workerData: { states: states.buffer, key: undefined } });
    t.after(() => worker.terminate());
    const first = Buffer.from('first piece, ');
    const second = Buffer.from('second piece');
    const id = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    const bytes = new Uint8Array(Buffer.concat([first, second]));
    const at = path.join(dir, 'file.txt');
    const job: WriteJob = {
      bytes,
      blobs: [
        { id: id(second), codec: 'raw', plain: second.length, start: first.length, length: second.length, pieces: [0, first.length] },
        { id: id(first), codec: 'raw', plain: first.length, start: 0, length: first.length, pieces: [0, 0] },
      ],
      files: [[0, { at, mode: 0o640, mtimeMs: 1_600_000_000_000 }]],
    };
    const reply = new Promise<JobResult>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    worker.postMessage(job, [bytes.buffer]);
    const result = await reply;
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.completed, [0]);
    assert.equal(result.written, first.length + second.length);
    assert.equal(result.bytes.byteLength, first.length + second.length, 'the job bytes came back');
    assert.equal(await readFile(at, 'utf8'), 'first piece, second piece');
    const info = await stat(at);
    assert.equal(info.mode & 0o777, 0o640);
    assert.equal(info.mtimeMs, 1_600_000_000_000);
    assert.equal(states.incomplete(0), false);
  });
});
