import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { compactWithLock } from '../../app/maintenance/compact.ts';
import { acquireLock } from '../../app/repository/locks.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { FerryError } from '../../shared/rpc/errors.ts';
import { copyOnce, digestTree, InstrumentedStore, listKeys, newRepository, writeRandomFiles } from '../copy/fixtures.ts';
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

it('compaction waits up to waitMs for a run using the backup, then fails naming it; a stop ends the wait at once', async (t) => {
  const store = await folderStore(t);
  const made = await pointsBackup(t, store, { count: 2 });
  const reader = await acquireLock(store, 'Files', 'read', { purpose: 'restore of point X' });
  const started = Date.now();
  const lines: string[] = [];
  await assert.rejects(compactWithLock(made.backup, { purpose: 'compaction (test)', waitMs: 1_500, log: (line) => lines.push(line) }), (error: FerryError) => {
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /The backup "Files" is in use: restore of point X \(read lock\) on .*, process \d+/);
    return true;
  });
  assert.ok(Date.now() - started >= 1_500, 'it waited');
  assert.ok(lines.some((line) => /^Waiting for restore of point X \(read lock\)/.test(line)));

  const stop = new AbortController();
  const stopping = compactWithLock(made.backup, { purpose: 'compaction (test)', waitMs: 60_000, signal: stop.signal });
  setTimeout(() => stop.abort(), 700);
  const waitedFrom = Date.now();
  await assert.rejects(stopping);
  assert.ok(Date.now() - waitedFrom < 5_000, 'the stop ended the wait');
  await reader.release();
  assert.deepEqual(await listKeys(store, 'Files/locks/'), [], 'no lock left behind');
});
