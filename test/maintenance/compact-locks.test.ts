import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { compactWithLock } from '../../app/maintenance/compact.ts';
import { Repository } from '../../app/repository/repository.ts';
import { copyOnce, digestTree, InstrumentedStore, newRepository, writeRandomFiles } from '../copy/fixtures.ts';
import { runFerry, tempDir } from '../helpers.ts';
import { assertKeptIntact, folderStore, forget, pointsBackup, reopen, SMALL_PACKS } from './fixtures.ts';

it('a restore of, a copy from and a backup into a backup being compacted: refused or made to wait, naming the compaction; nothing corrupt', async (t) => {
  const store = await folderStore(t);
  const made = await pointsBackup(t, store, { count: 5 });
  await forget(made.backup, made.points.slice(0, 3));
  const kept = made.points.slice(3);

  // The compaction holds its lock and stops at its first new pack until let go.
  let blocked!: () => void;
  const isBlocked = new Promise<void>((resolve) => (blocked = resolve));
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  const gated = new InstrumentedStore(store);
  gated.beforePut = async (key) => {
    if (!key.includes('/packs/')) return;
    blocked();
    await gate;
  };
  const compaction = compactWithLock(await reopen(gated, undefined), { purpose: 'compaction (test)', packTarget: SMALL_PACKS, repackThreshold: 0 });
  await isBlocked;

  const restore = await runFerry(['restore', store.location, kept[0]!.id, path.join(await tempDir(t), 'out')]);
  assert.equal(restore.code, 1);
  assert.match(restore.stderr, /The backup "Files" is in use: compaction \(test\) \(exclusive lock\) on .*, process \d+/);

  const target = await newRepository(await tempDir(t), 'target');
  await assert.rejects(copyOnce({ from: await Repository.open(store), to: target.repository }), /The backup "Files" is in use: compaction \(test\) \(exclusive lock\)/);

  const source = path.join(await tempDir(t), 'more');
  await mkdir(source);
  await writeRandomFiles(source, 3, 20_000);
  const lines: string[] = [];
  const backup = runBackup({ store, jobName: 'Files', workloads: [{ name: 'files', folders: [source] }], lockWaitMs: 60_000, log: (line) => lines.push(line) });
  while (!lines.some((line) => /^Waiting for compaction \(test\) \(exclusive lock\)/.test(line))) await sleep(20);
  letGo();
  await compaction;
  const { tasks } = await backup;
  assert.equal(tasks[0]!.result, 'success', tasks[0]!.reason);

  const digests = new Map([...made.digests, [tasks[0]!.point!.id, await digestTree(source)]]);
  await assertKeptIntact(t, store, undefined, [...kept, tasks[0]!.point!], digests);
});
