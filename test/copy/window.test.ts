import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { CopyProgress } from '../../app/copy/copy-point.ts';
import { runCopy } from '../../app/copy/run-copy.ts';
import { prepareCopyTarget } from '../../app/copy/target.ts';
import { unthrottled } from '../../app/copy/throttle.ts';
import { TransferGate, type WindowTimes } from '../../app/copy/transfer-window.ts';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { VirtualClock } from '../../app/util/virtual-clock.ts';
import { tempDir } from '../helpers.ts';
import { assertRestoresLike, assertVerifies, backupFolders, FAST_KDF, InstrumentedStore, newRepository, sourcesOf, writeRandomFiles } from './fixtures.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOUR = 3_600_000;
/** The window closes at T1 and opens again at T2 (a night without transfer). */
const T0 = Date.UTC(2026, 5, 1, 4, 0);
const T1 = T0 + 2 * HOUR;
const T2 = T1 + 14 * HOUR;

/** Open before T1 and from T2 on: what windowOpenAt / nextWindowChange answer for such a grid. */
const night: WindowTimes = {
  openAt: (at) => at.getTime() < T1 || at.getTime() >= T2,
  nextChange: (at) => (at.getTime() < T1 ? new Date(T1) : at.getTime() < T2 ? new Date(T2) : null),
};

/** A source of two workloads: alpha (20 MiB, several pack ranges and more than a target pack), beta (1 MiB). */
async function setup(t: TestContext) {
  const root = await tempDir(t, 'ferry-window-');
  const alpha = path.join(root, 'alpha');
  const beta = path.join(root, 'beta');
  await writeRandomFiles(alpha, 40, 512 * KiB);
  await writeRandomFiles(beta, 4, 256 * KiB);
  const source = await newRepository(root, 'source');
  await backupFolders(source.store, 'Primary', { alpha, beta });
  const sourceStore = new InstrumentedStore(new LocalFolderStore(source.path));
  const target = await newRepository(root, 'target');
  const targetStore = new InstrumentedStore(target.store);
  return {
    folders: { alpha, beta },
    sourceStore,
    targetStore,
    from: await Repository.open(sourceStore),
    to: await Repository.open(targetStore),
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Every read of the source's data (indexes, trees, chunks) and write of the target's, with the clock's time when it began. */
function watch(setup: Setup, clock: VirtualClock) {
  const reads: { key: string; at: number; range?: { offset: number; length: number } }[] = [];
  const writes: { key: string; at: number }[] = [];
  const data = (key: string) => /\/(packs|index|points)\//.test(key);
  setup.sourceStore.beforeRead = (key, range) => {
    if (data(key)) reads.push({ key, at: clock.now(), ...(range ? { range } : {}) });
  };
  setup.targetStore.beforePut = (key) => {
    if (data(key)) writes.push({ key, at: clock.now() });
  };
  const closed = (at: number) => at >= T1 && at < T2;
  return {
    reads,
    writes,
    packReads: () => reads.filter((read) => read.key.includes('/packs/')),
    /** What began while the window was closed (should be nothing). */
    duringClose: () => [...reads, ...writes].filter((op) => closed(op.at)),
  };
}

async function copy(setup: Setup, options: { gate: TransferGate; parallel?: number; signal?: AbortSignal; onProgress?: (workload: string, progress: CopyProgress) => void; log?: string[] }) {
  return runCopy({
    target: await prepareCopyTarget(setup.to, { name: 'Offsite', kdf: FAST_KDF }),
    sources: await sourcesOf(setup.from),
    mode: 'newest',
    parallelWorkloads: options.parallel ?? 2,
    throttle: unthrottled,
    window: options.gate,
    purpose: 'window test',
    signal: options.signal,
    onProgress: options.onProgress,
    log: (level, message) => options.log?.push(`${level}: ${message}`),
  });
}

/** Resolves once `predicate` holds for a progress report (the copy is real I/O: it is awaited, not clocked). */
function progressWhere(predicate: (workload: string, progress: CopyProgress) => boolean) {
  let seen!: () => void;
  const reached = new Promise<void>((resolve) => (seen = resolve));
  return { reached, onProgress: (workload: string, progress: CopyProgress) => predicate(workload, progress) && seen() };
}

describe('the transfer window in a running copy', () => {
  it('pauses at a chunk boundary when the window closes and resumes where it stopped: nothing read or written while closed, restores byte-identical', { timeout: 60_000 }, async (t) => {
    const s = await setup(t);
    const clock = new VirtualClock(T0);
    const seen = watch(s, clock);
    // The window closes once the second chunk range of the source has been asked for.
    const before = s.sourceStore.beforeRead!;
    s.sourceStore.beforeRead = (key, range) => {
      before(key, range);
      if (range && key.includes('/packs/') && seen.packReads().length === 2) clock.setWall(T1);
    };
    const phases: [string, string][] = [];
    const paused = progressWhere((_, p) => p.phase === 'waiting-for-window');
    const log: string[] = [];
    const gate = new TransferGate({ times: night, clock, terminate: false, log: (level, message) => log.push(`${level}: ${message}`) });
    const running = copy(s, {
      gate,
      log,
      onProgress: (workload, p) => {
        phases.push([workload, p.phase]);
        paused.onProgress(workload, p);
      },
    });
    await Promise.race([paused.reached, running.then(() => assert.fail('the copy never paused'))]);
    // A whole night passes (the copy wakes each minute to look): it stays paused.
    await clock.advance(T2 - clock.now() - 60_000);
    const readsWhilePaused = seen.reads.length;
    const writesWhilePaused = seen.writes.length;
    await clock.advance(30_000);
    assert.equal(seen.reads.length, readsWhilePaused, 'no read while the window is closed');
    assert.equal(seen.writes.length, writesWhilePaused, 'no write while the window is closed');
    assert.ok(!phases.some(([, phase]) => phase === 'done'), 'no point completed while paused');
    await clock.advance(2 * 60_000);
    const run = await running;

    assert.deepEqual(
      run.tasks.map((task) => [task.workload, task.result, task.reason]),
      [
        ['alpha', 'success', undefined],
        ['beta', 'success', undefined],
      ],
    );
    assert.deepEqual(seen.duringClose(), [], 'nothing began between the closing and the opening');
    assert.ok(seen.reads.some((read) => read.at >= T2) && seen.writes.some((write) => write.at >= T2), 'the copy went on after the window opened');
    const ranges = seen.packReads().map((read) => `${read.key}@${read.range?.offset}`);
    assert.equal(new Set(ranges).size, ranges.length, 'no chunk range read twice: it resumed where it stopped');
    assert.ok(phases.some(([workload, phase]) => workload === 'alpha' && phase === 'waiting-for-window'));
    assert.equal(phases.findLast(([workload]) => workload === 'alpha')?.[1], 'done');
    assert.ok(log.some((line) => /transfer window is closed .*: the copy pauses until it opens/.test(line)), log.join('\n'));
    assert.ok(log.some((line) => /transfer window opened .*: the copy resumes where it paused/.test(line)), log.join('\n'));
    for (const task of run.tasks) await assertRestoresLike(t, run.target!, task.points[0]!, s.folders[task.workload as 'alpha' | 'beta']);
    await assertVerifies(run.target!, 2);
  });

  it('terminate when the window closes: the unfinished workloads end as warnings naming the window, what was sent is kept, and the next run continues', { timeout: 60_000 }, async (t) => {
    const s = await setup(t);
    const clock = new VirtualClock(T0);
    const seen = watch(s, clock);
    // The window closes as the first full pack (16 MiB of alpha) goes to the target.
    const before = s.targetStore.beforePut!;
    s.targetStore.beforePut = (key, data) => {
      before(key, data);
      if (key.includes('/packs/') && clock.now() < T1) clock.setWall(T1);
    };
    const log: string[] = [];
    const gate = new TransferGate({ times: night, clock, terminate: true, log: (level, message) => log.push(`${level}: ${message}`) });
    const first = await copy(s, { gate, parallel: 1, log });

    assert.deepEqual(
      first.tasks.map((task) => [task.workload, task.result, task.points.length]),
      [
        ['alpha', 'warning', 0],
        ['beta', 'warning', 0],
      ],
    );
    for (const task of first.tasks) assert.match(task.reason ?? '', /the transfer window closed \(.*\) before its copy was complete; the next run continues it/);
    assert.ok(log.includes('warning: Not copied because of the transfer window: alpha, beta.'), log.join('\n'));
    assert.ok(log.some((line) => /^warning: The transfer window closed .*: the run ends here/.test(line)), log.join('\n'));
    assert.deepEqual(
      seen.reads.filter((read) => read.at >= T1).map((read) => read.key),
      [],
      'no read began after the window closed',
    );
    const backup = first.target!;
    assert.deepEqual((await backup.listPoints()).points, [], 'no partial point');
    await backup.refreshIndex();
    const kept = [...backup.indexEntries()].reduce((sum, [, entry]) => sum + entry.length, 0);
    assert.ok(kept >= 16 * MiB, `the pack sent before the closing is indexed for the next run (${kept} bytes)`);

    // The next run, in the window, copies only what the first did not send.
    clock.setWall(T2 + HOUR);
    const second = await copy(s, { gate: new TransferGate({ times: night, clock, terminate: true }) });
    assert.deepEqual(
      second.tasks.map((task) => [task.workload, task.result]),
      [
        ['alpha', 'success'],
        ['beta', 'success'],
      ],
    );
    const alpha = second.tasks.find((task) => task.workload === 'alpha')!;
    assert.ok(alpha.bytesRead < 20 * MiB - 15 * MiB, `alpha read ${alpha.bytesRead} bytes: only what the first run did not send`);
    for (const task of second.tasks) await assertRestoresLike(t, second.target!, task.points[0]!, s.folders[task.workload as 'alpha' | 'beta']);
    await assertVerifies(second.target!, 2);
  });

  it('a run started outside the window reads no data and says it waits; a stop while it waits ends it at once', { timeout: 60_000 }, async (t) => {
    const s = await setup(t);
    const clock = new VirtualClock(T1 + HOUR);
    const seen = watch(s, clock);
    const controller = new AbortController();
    const waiting = new Set<string>();
    const both = progressWhere((workload, p) => p.phase === 'waiting-for-window' && waiting.add(workload).size === 2);
    const running = copy(s, { gate: new TransferGate({ times: night, clock, terminate: false }), signal: controller.signal, onProgress: both.onProgress });
    await Promise.race([both.reached, running.then(() => assert.fail('the copy did not wait for the window'))]);
    await clock.advance(HOUR);
    assert.deepEqual(seen.reads.filter((read) => !read.key.includes('/points/')), [], 'no index, tree or chunk read');
    assert.deepEqual(seen.writes, []);
    controller.abort();
    const run = await running;
    assert.deepEqual(
      run.tasks.map((task) => [task.workload, task.result]),
      [
        ['alpha', 'stopped'],
        ['beta', 'stopped'],
      ],
    );
    for (const task of run.tasks) assert.match(task.reason ?? '', /^stopped/);
  });

  it('a window that never opens fails the workloads, saying so', async (t) => {
    const s = await setup(t);
    const clock = new VirtualClock(T0);
    const never: WindowTimes = { openAt: () => false, nextChange: () => null };
    const run = await copy(s, { gate: new TransferGate({ times: never, clock, terminate: false }) });
    assert.deepEqual(
      run.tasks.map((task) => [task.workload, task.result, task.reason]),
      [
        ['alpha', 'failed', "not copied: the job's transfer window allows no hour of the week"],
        ['beta', 'failed', "not copied: the job's transfer window allows no hour of the week"],
      ],
    );
  });
});
