import { parseArgs } from 'node:util';
import { engineContract } from '../../shared/contract/engine.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { type NodeMessagePortLike, nodeMessagePortChannel } from '../../shared/rpc/transports/message-port.ts';
import type { Channel } from '../../shared/rpc/channel.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import { Engine } from '../engine.ts';
import { SealedFileSecretStore, type SecretKey } from '../secrets/secret-store.ts';
import { parseHexKey, SECRETS_FILE } from '../../shared/security/secret-files.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import path from 'node:path';

/**
 * Entry of the engine inside Electron's utility process. Electron gives the process a
 * `parentPort`; the engine never imports electron, so its shape is declared here.
 *
 * Protocol with main: main sends `{ type: 'connect', windowId }` with a MessagePort for
 * each window connection, and `{ type: 'connect' }` (no windowId) with its own, once
 * per start, for the tray and notifications; after ready `{ type: 'secret-key', key, source }` (the key of
 * its secrets file, see main/engine-key.ts) or `{ type: 'secret-key', key: null,
 * reason }`; and `{ type: 'shutdown' }` before quitting. The engine posts `{ type: 'ready' }` once
 * started, or `{ type: 'fatal', message }` when it cannot start.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(type: 'message', listener: (event: { data: unknown; ports: NodeMessagePortLike[] }) => void): void;
}

type SecretKeyMessage = { type: 'secret-key'; key: string | null; source?: string; reason?: string };
type HostMessage = { type: 'connect'; windowId?: unknown } | { type: 'shutdown' } | SecretKeyMessage;

function isHostMessage(data: unknown): data is HostMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return type === 'connect' || type === 'shutdown' || type === 'secret-key';
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

// The key of the secrets file comes from main (main/engine-key.ts) after ready; when main
// has none, its reason is what every use of a secret reports.
let deliverKey: (message: SecretKeyMessage) => void = () => undefined;
const keyFromMain = new Promise<SecretKeyMessage>((resolve) => (deliverKey = resolve));
const secretKey = async (): Promise<SecretKey> => {
  const message = await keyFromMain;
  const key = message.key === null ? undefined : parseHexKey(message.key);
  if (!key) throw new FerryError('internal', `Secrets (S3 keys, job passwords) cannot be used: ${message.reason ?? 'main sent no valid key'}`);
  return { key: Buffer.from(key), source: message.source ?? 'the desktop app' };
};

// Listen before starting, so a shutdown or connect sent during start-up is not lost.
const starting = Engine.start({
  dataDir,
  host: 'electron',
  schedule: true,
  log,
  secrets: new SealedFileSecretStore(path.join(dataDir, SECRETS_FILE), secretKey),
});
// One live port per window: a new connection of a window closes its previous one (the
// page's old end closes with it), so a port the page gave up cannot keep talking.
const windowChannels = new Map<number, Channel>();
function connectWindow(engine: Engine, windowId: unknown, port: NodeMessagePortLike): void {
  const channel = nodeMessagePortChannel(port);
  if (typeof windowId === 'number') {
    windowChannels.get(windowId)?.close();
    windowChannels.set(windowId, channel);
    channel.onClose(() => {
      if (windowChannels.get(windowId) === channel) windowChannels.delete(windowId);
    });
  }
  serveChannel(channel, engineContract, engine.handlers, engine.events, { log });
}

parentPort.on('message', (event) => {
  const message = event.data;
  if (!isHostMessage(message)) return;
  if (message.type === 'secret-key') return deliverKey(message);
  const windowPort = event.ports[0];
  void starting.then(
    (engine) => {
      if (message.type === 'shutdown') return void shutdown(engine);
      if (windowPort) connectWindow(engine, message.windowId, windowPort);
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
