import { dateWords } from '../../app/util/date-words.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { keys } from '../../app/repository/layout.ts';
import { tempDir } from '../helpers.ts';
import { backupFolders, chunkOf, copyOnce, newRepository, writeRandomFiles } from './fixtures.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('copies around damage', () => {
  it('a damaged point file of the source is a warning naming it; the other workloads are copied', async (t) => {
    const root = await tempDir(t);
    const [alpha, beta] = [path.join(root, 'alpha'), path.join(root, 'beta')];
    await writeRandomFiles(alpha, 2, 10 * KiB);
    await writeRandomFiles(beta, 2, 10 * KiB);
    const source = await newRepository(root, 'source', 'pw');
    const { backup, points } = await backupFolders(source.store, 'Files', { alpha, beta }, 'pw');
    const pointFile = keys.point(backup.folder, points['beta']!.id);
    await writeFile(path.join(source.path, pointFile), Buffer.alloc(0));
    const target = await newRepository(root, 'target');

    const run = await copyOnce({ from: source.repository, fromPassword: 'pw', to: target.repository, allowPlaintext: true });
    assert.equal(run.task('alpha')?.result, 'success', run.task('alpha')?.reason);
    const warned = run.task(pointFile);
    assert.equal(warned?.result, 'warning');
    assert.match(warned?.reason ?? '', /^the point file cannot be read, so its point is not copied: Restore point [0-9a-f]{32} of .* is truncated/);
    assert.deepEqual((await run.target.listPoints()).points.map((p) => p.workload), ['alpha']);
  });

  it('a pack gone from the source fails its workload naming the point, the file, the chunk and the pack', async (t) => {
    const root = await tempDir(t);
    const data = path.join(root, 'data');
    await mkdir(data);
    // Larger than a pack: the first pack holds data chunks only, the trees come later.
    await writeFile(path.join(data, 'big.bin'), randomBytes(20 * MiB));
    const source = await newRepository(root, 'source');
    const { backup, points } = await backupFolders(source.store, 'Files', { data });
    await backup.refreshIndex();
    const chunk = await chunkOf(backup, points['data']!, 'data/big.bin');
    await rm(chunk.packFile);
    const target = await newRepository(root, 'target');

    const run = await copyOnce({ from: source.repository, to: target.repository });
    const failed = run.task('data');
    assert.equal(failed?.result, 'failed');
    const reason = failed?.reason ?? '';
    for (const part of [`The point of ${dateWords(points['data']!.created)} of workload "data"`, '"data/big.bin"', `its pack ${path.basename(chunk.packFile)} is missing`]) {
      assert.ok(reason.includes(part), `${part} in: ${reason}`);
    }
    const named = /chunk ([0-9a-f]{64})/.exec(reason)?.[1];
    assert.equal(backup.entry(named ?? '')?.pack, path.basename(chunk.packFile), `a chunk of big.bin in the missing pack: ${reason}`);
  });

  it('a damaged index file of the source fails only the point that needs its blobs, naming the index file; the others are copied', async (t) => {
    const root = await tempDir(t);
    const [alpha, beta] = [path.join(root, 'alpha'), path.join(root, 'beta')];
    await writeRandomFiles(alpha, 2, 10 * KiB);
    const source = await newRepository(root, 'source', 'pw');
    const indexFiles = async () => (await readdir(path.join(source.path, 'Files', 'index'))).sort();
    await backupFolders(source.store, 'Files', { alpha }, 'pw');
    const before = await indexFiles();
    await writeRandomFiles(beta, 2, 10 * KiB);
    const { points } = await backupFolders(source.store, 'Files', { beta }, 'pw');
    const damaged = keys.index('Files', (await indexFiles()).find((id) => !before.includes(id))!);
    const bytes = await readFile(path.join(source.path, damaged));
    bytes[bytes.length >> 1]! ^= 0x10;
    await writeFile(path.join(source.path, damaged), bytes);
    const target = await newRepository(root, 'target');

    const run = await copyOnce({ from: source.repository, fromPassword: 'pw', to: target.repository, allowPlaintext: true });
    assert.equal(run.task('alpha')?.result, 'success', run.task('alpha')?.reason);
    assert.equal(run.task('beta')?.result, 'failed');
    assert.ok(run.task('beta')?.reason?.includes(`The point of ${dateWords(points['beta']!.created)} of workload "beta"`), run.task('beta')?.reason);
    assert.ok(run.task('beta')?.reason?.includes(`damaged index file ${damaged}`), run.task('beta')?.reason);
  });
});
