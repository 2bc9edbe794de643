import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { createMemoryChannelPair } from '../../shared/rpc/transports/memory.ts';
import type { SessionDetail, SessionProgress } from '../../shared/domain/job.ts';
import { Engine, type EngineOptions } from '../../app/engine.ts';
import { startServe, type ServeHandle } from '../../app/host/serve.ts';
import { tempDir } from '../helpers.ts';

/** A real engine on a temporary data folder, with an in-process client. */
export async function startEngine(t: TestContext, dataDir?: string, options: Partial<EngineOptions> = {}) {
  const dir = dataDir ?? path.join(await tempDir(t), 'data');
  const engine = await Engine.start({ dataDir: dir, host: 'cli', ...options });
  const [clientEnd, engineEnd] = createMemoryChannelPair();
  serveChannel(engineEnd, engineContract, engine.handlers, engine.events);
  const client = new RpcClient(engineContract, clientEnd);
  t.after(async () => {
    client.close();
    await engine.close();
  });
  return { engine, client, dataDir: dir };
}

/** Starts a job, waits for its session to end; the session and the progress it reported. */
export async function runJob({ client, engine }: { client: RpcClient<typeof engineContract>; engine: Engine }, jobId: string, onProgress?: (p: SessionProgress) => void): Promise<{ session: SessionDetail; progress: SessionProgress[] }> {
  const progress: SessionProgress[] = [];
  const offProgress = client.on('session.progress', (p) => {
    if (p.jobId !== jobId) return;
    progress.push(p);
    onProgress?.(p);
  });
  const finished = new Promise<void>((resolve) => {
    const off = client.on('session.finished', (f) => {
      if (f.jobId !== jobId) return;
      off();
      resolve();
    });
  });
  const { sessionId } = await client.call('jobs.start', { id: jobId });
  await finished;
  await engine.jobs.settled(jobId);
  offProgress();
  return { session: await client.call('sessions.get', { id: sessionId }), progress };
}

/** The field messages of a refused call. */
export async function fieldsOf(call: Promise<unknown>): Promise<Record<string, string>> {
  const error = await call.then(
    () => assert.fail('the call was accepted'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof FerryError && error.code === 'invalid_input', String(error));
  return error.details?.fields ?? {};
}

/** The headless host on port 0 with a stand-in page, for tests of the host itself. */
export async function startServeHost(
  t: TestContext,
): Promise<{ handle: ServeHandle; engine: Engine; root: string; rendererDir: string }> {
  const root = await tempDir(t);
  const rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Ferry</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("ferry")');
  await writeFile(path.join(root, 'secret.txt'), 'outside the renderer');
  const engine = await Engine.start({ dataDir: path.join(root, 'data'), host: 'serve' });
  const handle = await startServe({ engine, rendererDir });
  t.after(async () => {
    await handle.close();
    await engine.close();
  });
  return { handle, engine, root, rendererDir };
}
