import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { compactWithLock, REPACK_THRESHOLD } from '../../app/maintenance/compact.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { ferryBin, tempDir } from '../helpers.ts';
import { assertKeptIntact, folderStore, forget, pointsBackup, reopen, storedAndNeeded } from './fixtures.ts';

const KILLS = 20;

/**
 * Runs `ferry gc <repo>`; once it says it is compacting, kills it (SIGKILL) after
 * `killAfterMs`, or lets it end when undefined. How long it ran from that line on.
 */
async function ferryGc(repo: string, killAfterMs: number | undefined): Promise<{ ms: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [ferryBin, 'gc', repo], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let started = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (started || !stderr.includes('Compacting')) return;
    started = performance.now();
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.ok(started, `ferry gc said it was compacting: ${stderr}`);
  return { ms: performance.now() - started, code, stderr };
}

it(`ferry gc killed (SIGKILL) at ${KILLS} moments of a compaction: every kept point verifies and restores, the next compaction finishes`, { timeout: 180_000 }, async (t) => {
  const template = await folderStore(t);
  const made = await pointsBackup(t, template, { count: 5 });
  await forget(made.backup, made.points.slice(0, 3));
  const kept = made.points.slice(3);
  const fresh = async () => {
    const copy = path.join(await tempDir(t), 'repo');
    await cp(template.location, copy, { recursive: true });
    return copy;
  };
  // How long a whole compaction takes here, from its first line to the end: the shortest
  // seen, since a loaded machine (other tests at once) makes some runs much slower.
  const whole = await ferryGc(await fresh(), undefined);
  assert.equal(whole.code, 0, whole.stderr);
  let wholeMs = whole.ms;

  let killedMidway = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const repo = await fresh();
    // Spread over the whole compaction, a little past its end.
    const run = await ferryGc(repo, ((kill + Math.random()) / KILLS) * wholeMs * 1.1);
    if (run.code === null) killedMidway++;
    else wholeMs = Math.min(wholeMs, run.ms);
    const store = new LocalFolderStore(repo);
    await assertKeptIntact(t, store, undefined, kept, made.digests);
    // The killed run's lock is stale (its process is gone): the next compaction takes over.
    await compactWithLock(await reopen(store, undefined), { purpose: 'compaction after a kill' });
    const after = await assertKeptIntact(t, store, undefined, kept, made.digests, { restore: false });
    const { stored, needed, uselessPacks } = await storedAndNeeded(after, kept);
    assert.deepEqual(uselessPacks, [], `after kill ${kill}`);
    assert.ok(stored <= (1.05 * needed) / (1 - REPACK_THRESHOLD), `after kill ${kill}: stored ${stored}, needed ${needed}`);
  }
  assert.ok(killedMidway >= KILLS / 2, `${killedMidway} of ${KILLS} kills landed before the end`);
});
