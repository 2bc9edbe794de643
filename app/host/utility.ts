import { parseArgs } from 'node:util';
import { engineContract } from '../../shared/contract/engine.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { type NodeMessagePortLike, nodeMessagePortChannel } from '../../shared/rpc/transports/message-port.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { Engine } from '../engine.ts';

/**
 * Entry of the engine inside Electron's utility process. Electron gives the process a
 * `parentPort`; the engine never imports electron, so its shape is declared here.
 *
 * Protocol with main: main sends `{ type: 'connect' }` with a MessagePort for each
 * window and `{ type: 'shutdown' }` before quitting; the engine posts `{ type: 'ready' }`
 * once started, or `{ type: 'fatal', message }` when it cannot start.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(type: 'message', listener: (event: { data: unknown; ports: NodeMessagePortLike[] }) => void): void;
}

type HostMessage = { type: 'connect' } | { type: 'shutdown' };

function isHostMessage(data: unknown): data is HostMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return type === 'connect' || type === 'shutdown';
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('ferry: this entry runs inside the Electron utility process; use `ferry serve` elsewhere.\n');
  process.exit(2);
}

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: false });
const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined);
const log = (message: string) => process.stderr.write(`engine: ${message}\n`);

// A utility process exits once nothing is pending (electron#42978), and main would count
// that as a crash: the engine lives until main asks it to shut down.
const keepAlive = setInterval(() => undefined, 2 ** 30);

async function shutdown(engine: Engine | undefined): Promise<never> {
  clearInterval(keepAlive);
  await engine?.close();
  process.exit(0);
}

// Listen before starting, so a shutdown or connect sent during start-up is not lost.
const starting = Engine.start({ dataDir, host: 'electron', log });
parentPort.on('message', (event) => {
  const message = event.data;
  if (!isHostMessage(message)) return;
  const windowPort = event.ports[0];
  void starting.then(
    (engine) => {
      if (message.type === 'shutdown') return void shutdown(engine);
      if (windowPort) serveChannel(nodeMessagePortChannel(windowPort), engineContract, engine.handlers, engine.events, { log });
    },
    () => (message.type === 'shutdown' ? void shutdown(undefined) : undefined),
  );
});

starting.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (error: unknown) => {
    parentPort.postMessage({ type: 'fatal', message: (error as Error).message });
    clearInterval(keepAlive);
    setTimeout(() => process.exit(1), 100);
  },
);
