import assert from 'node:assert/strict';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { copyOnce, newRepository } from '../copy/fixtures.ts';
import { runFerry as cli, tempDir } from '../helpers.ts';
import { mountTmpfs, remountTmpfs } from '../storage/tmpfs.ts';

/** A repository with one backup on its own small tmpfs; the point and the source folder. */
async function repositoryOnTmpfs(t: TestContext) {
  const mounted = await mountTmpfs(t, 'size=4m');
  if ('skip' in mounted) return mounted;
  const source = path.join(await tempDir(t), 'src');
  await mkdir(source);
  await writeFile(path.join(source, 'a.txt'), 'alpha');
  const repo = path.join(mounted.dir, 'repo');
  await mkdir(repo);
  const store = new LocalFolderStore(repo);
  await Repository.init(store);
  const { tasks } = await runBackup({ store, jobName: 'Docs', workloads: [{ name: 'docs', folders: [source] }] });
  return { mount: mounted.dir, repo, store, point: tasks[0]!.point!.id };
}

/** Fills the file system holding `dir` until it takes no byte more. */
async function fill(dir: string): Promise<void> {
  const handle = await open(path.join(dir, 'filler'), 'w');
  try {
    const block = Buffer.alloc(64 * 1024, 1);
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
}

/** restore and verify of `repo` succeed, each saying on stderr that it took no lock. */
async function readsWithoutLock(t: TestContext, repo: string, point: string, why: RegExp): Promise<void> {
  const out = path.join(await tempDir(t), 'out');
  const restore = await cli(['restore', repo, point, out]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.equal(await readFile(path.join(out, 'src', 'a.txt'), 'utf8'), 'alpha');
  assert.match(restore.stderr, /No lock could be taken on the backup "Docs"/);
  assert.match(restore.stderr, why);
  const verify = await cli(['verify', repo]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /No damage found/);
  assert.match(verify.stderr, /No lock could be taken on the backup "Docs"/);
}

describe('reading a repository that takes no writes', () => {
  it('restores and verifies from a read-only file system, saying no lock was taken', async (t) => {
    const made = await repositoryOnTmpfs(t);
    if ('skip' in made) return t.skip(made.skip);
    await remountTmpfs(made.mount, 'ro');
    await readsWithoutLock(t, made.repo, made.point, /read-only file system/);
  });

  it('restores and verifies from a full disk, saying no lock was taken', async (t) => {
    const made = await repositoryOnTmpfs(t);
    if ('skip' in made) return t.skip(made.skip);
    await fill(made.mount);
    await readsWithoutLock(t, made.repo, made.point, /is full/);
  });

  it('copies from a source on a read-only file system', async (t) => {
    const made = await repositoryOnTmpfs(t);
    if ('skip' in made) return t.skip(made.skip);
    await remountTmpfs(made.mount, 'ro');
    const target = await newRepository(await tempDir(t), 'target');
    const run = await copyOnce({ from: await Repository.open(made.store), to: target.repository });
    assert.deepEqual(run.tasks.map((task) => [task.workload, task.result, task.reason]), [['docs', 'success', undefined]]);
  });
});
