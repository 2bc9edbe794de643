import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Engine } from '../../app/engine.ts';
import { VirtualClock } from '../../app/util/virtual-clock.ts';
import { engineContract } from '../../shared/contract/engine.ts';
import type { JobDefinitionInput } from '../../shared/domain/job.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { createMemoryChannelPair } from '../../shared/rpc/transports/memory.ts';
import { tempDir } from '../helpers.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What the scheduler started: job, virtual time of the start, session. */
export interface Launch {
  jobId: string;
  at: number;
  sessionId: string;
}

/**
 * A real engine (catalog, repositories, runs) whose scheduler runs on a virtual clock, with
 * an in-process client; every run the scheduler or a client starts is recorded with its
 * virtual start time.
 */
export async function scheduledEngine(t: TestContext, start: Date, options: { dataDir?: string; clock?: VirtualClock } = {}) {
  const root = await tempDir(t);
  const dataDir = options.dataDir ?? path.join(root, 'data');
  const clock = options.clock ?? new VirtualClock(start);
  const engine = await Engine.start({ dataDir, host: 'serve', schedule: true, clock });
  const [clientEnd, engineEnd] = createMemoryChannelPair();
  serveChannel(engineEnd, engineContract, engine.handlers, engine.events);
  const client = new RpcClient(engineContract, clientEnd);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    client.close();
    await engine.close();
  };
  t.after(close);
  const launches: Launch[] = [];
  const launch = engine.jobs.launch.bind(engine.jobs);
  engine.jobs.launch = (id, request) => {
    const started = launch(id, request);
    launches.push({ jobId: id, at: clock.now(), sessionId: started.sessionId });
    return started;
  };
  const scheduler = engine.scheduler;
  assert.ok(scheduler, 'the engine schedules');
  /** Lets virtual time pass; every run it starts ends before time moves on. */
  const advance = (ms: number) => clock.advance(ms, () => scheduler.settled());
  const [repo] = await client.call('repos.list', {});
  return { engine, client, clock, scheduler, advance, launches, root, dataDir, repositoryId: repo!.id, close };
}

/** A folder of a few small files. */
export async function dataFolder(root: string, name: string): Promise<string> {
  const folder = path.join(root, 'sources', name);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.txt'), `${name}\n`.repeat(200));
  return folder;
}

export function folderJob(name: string, repositoryId: string, folders: Record<string, string>, more: Partial<Extract<JobDefinitionInput, { kind: 'folder-backup' }>> = {}): JobDefinitionInput {
  return { kind: 'folder-backup', name, repositoryId, workloads: Object.entries(folders).map(([w, f]) => ({ name: w, folders: [f] })), ...more };
}

/** A 7×24 window open from `from` to `to` o'clock every day (wrapping midnight when from > to). */
export function dailyWindow(from: number, to: number): number[] {
  let mask = 0;
  for (let hour = 0; hour < 24; hour++) if (from < to ? hour >= from && hour < to : hour >= from || hour < to) mask |= 1 << hour;
  return Array.from({ length: 7 }, () => mask);
}
