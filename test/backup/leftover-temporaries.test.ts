import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { Repository } from '../../app/repository/repository.ts';
import { tempPathFor } from '../../app/storage/atomic-write.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { copyOnce, newRepository, writeRandomFiles } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';
import { crashDuringPut } from '../storage/crash.ts';

/** The temporary files (names starting with '.') under `dir`, relative. */
async function temporaries(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.startsWith('.')).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/**
 * In `folder` of the repository: the temporary file of a put killed on this host, and two
 * that must stay: one of a live process of this host (the test runner), one of another host.
 */
async function leaveTemporaries(repo: string, folder: string): Promise<{ dead: string; kept: string[] }> {
  assert.equal(await crashDuringPut(repo, `${folder}/packs/3f/killed`, 4096), 'SIGKILL');
  const [dead] = await temporaries(path.join(repo, folder));
  const packs = path.join(repo, folder, 'packs', 'ab');
  await mkdir(packs, { recursive: true });
  const ours = path.basename(tempPathFor(path.join(packs, 'live')));
  const live = ours.replace(`-${process.pid}-`, `-${process.ppid}-`);
  const otherHost = ours.replace(/~[0-9a-f]{8}-/, '~00000000-').replace(`-${process.pid}-`, '-4194000-');
  for (const name of [live, otherHost]) await writeFile(path.join(packs, name), 'x');
  return { dead: dead!, kept: [path.join('packs', 'ab', live), path.join('packs', 'ab', otherHost)].sort() };
}

describe('temporary files of killed runs', () => {
  it('a backup run removes those its job\'s killed runs left, never a live run\'s or another host\'s', async (t) => {
    const dir = await tempDir(t);
    await writeRandomFiles(path.join(dir, 'Data'), 2, 3_000);
    const repo = path.join(dir, 'repo');
    await mkdir(repo);
    const store = new LocalFolderStore(repo);
    await Repository.init(store);
    const run = (log?: (m: string) => void) => runBackup({ store, jobName: 'Nightly', workloads: [{ name: 'files', folders: [path.join(dir, 'Data')] }], ...(log ? { log } : {}) });
    await run();
    const { dead, kept } = await leaveTemporaries(repo, 'Nightly');
    assert.ok((await temporaries(path.join(repo, 'Nightly'))).includes(dead));
    const logs: string[] = [];
    const { tasks } = await run((m) => logs.push(m));
    assert.equal(tasks[0]?.result, 'success');
    assert.deepEqual(await temporaries(path.join(repo, 'Nightly')), kept);
    assert.ok(logs.some((m) => /Removed 1 temporary file that killed runs left/.test(m)), logs.join('\n'));
  });

  it('a copy run removes those left in its target backup', async (t) => {
    const dir = await tempDir(t);
    await writeRandomFiles(path.join(dir, 'Data'), 2, 3_000);
    const source = await newRepository(dir, 'source');
    const target = await newRepository(dir, 'target');
    await runBackup({ store: source.store, jobName: 'Files', workloads: [{ name: 'files', folders: [path.join(dir, 'Data')] }] });
    await copyOnce({ from: source.repository, to: target.repository });
    const { kept } = await leaveTemporaries(target.path, 'Offsite');
    await writeRandomFiles(path.join(dir, 'Data'), 1, 2_000);
    await runBackup({ store: source.store, jobName: 'Files', workloads: [{ name: 'files', folders: [path.join(dir, 'Data')] }] });
    const copied = await copyOnce({ from: source.repository, to: target.repository });
    assert.equal(copied.task('files')?.result, 'success');
    assert.deepEqual(await temporaries(path.join(target.path, 'Offsite')), kept);
  });
});
