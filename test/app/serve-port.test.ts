import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { Engine } from '../../app/engine.ts';
import { startServe } from '../../app/host/serve.ts';
import { consolePorts, DEFAULT_CONSOLE_PORT, listenOnConsolePort } from '../../app/host/serve-port.ts';
import { ferryBin, runFerry, tempDir } from '../helpers.ts';
import { startServeProcess, stopProcess } from '../serve-process.ts';

/** A port nothing listens on now, and a server holding it when `hold`. */
async function freePort(hold = false): Promise<{ port: number; server?: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  if (hold) return { port, server };
  await new Promise((resolve) => server.close(resolve));
  return { port };
}

async function engineWithConsole(t: TestContext) {
  const root = await tempDir(t);
  const rendererDir = path.join(root, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Ferry</title>');
  const engine = await Engine.start({ dataDir: path.join(root, 'data'), host: 'serve' });
  t.after(() => engine.close());
  const notes: string[] = [];
  const listen = async (asked: number | undefined, defaultPort: number) => {
    const served = await listenOnConsolePort({ catalog: engine.catalog, asked, defaultPort, note: (note) => notes.push(note), start: (port) => startServe({ engine, rendererDir, port }) });
    return { port: served.port, close: () => served.close() };
  };
  return { listen, notes };
}

describe('the console keeps its port', () => {
  it('tries the port asked for alone, else the remembered one, the default, then any', () => {
    assert.deepEqual(consolePorts(8080, 9000), [8080]);
    assert.deepEqual(consolePorts(0, 9000), [0]);
    assert.deepEqual(consolePorts(undefined, undefined), [DEFAULT_CONSOLE_PORT, 0]);
    assert.deepEqual(consolePorts(undefined, 9000), [9000, DEFAULT_CONSOLE_PORT, 0]);
  });

  it('listens on the default port, then on the port it used last; a taken port gives way to a free one, remembered', async (t) => {
    const { listen, notes } = await engineWithConsole(t);
    const { port: stable } = await freePort();
    const first = await listen(undefined, stable);
    assert.equal(first.port, stable, 'the default');
    await first.close();

    const blocker = (await freePort(true)).server!;
    const taken = (blocker.address() as { port: number }).port;
    const pinned = await listen(taken, stable).catch((error: unknown) => error as Error);
    assert.ok(pinned instanceof Error);
    assert.equal(pinned.message, `Port ${taken} is in use by another program: choose another with --port, or stop that program.`);
    await new Promise((resolve) => blocker.close(resolve));

    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(stable, '127.0.0.1', resolve));
    const moved = await listen(undefined, stable);
    assert.notEqual(moved.port, stable);
    assert.match(notes.at(-1)!, new RegExp(`port ${stable} is in use by another program: the console listens on port ${moved.port}`));
    await moved.close();
    await new Promise((resolve) => holder.close(resolve));

    const back = await listen(undefined, stable);
    assert.equal(back.port, moved.port, 'the port it used last, though the default is free again');
    await back.close();
    const once = await listen(0, stable);
    await once.close();
    const again = await listen(undefined, stable);
    assert.equal(again.port, moved.port, 'a port 0 asked for is not remembered');
    await again.close();
  });

  // Needs the built console (npm run build), as test/app/serve-cli.test.ts.
  it('ferry serve started twice on a data folder prints the same address', async (t) => {
    const dir = await tempDir(t);
    const ports: string[] = [];
    for (let start = 0; start < 2; start++) {
      const { child, url } = await startServeProcess([ferryBin, 'serve', '--data-dir', dir]);
      ports.push(url.port);
      await stopProcess(child);
    }
    assert.equal(ports[1], ports[0]);
    assert.match((await runFerry(['--help'])).stdout, new RegExp(`else ${DEFAULT_CONSOLE_PORT} \\(another if taken\\)`));
  });
});
