// Stands in for Electron's utility process: gives the entry a `process.parentPort`
// built on Node's MessageChannel, shaped like Electron's MessagePortMain events.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { nodeMessagePortChannel } from '../../shared/rpc/transports/message-port.ts';

const [, , entry, ...args] = process.argv;
process.argv = [process.argv[0]!, entry!, ...args];

function asMainPort(port: MessagePort) {
  return {
    postMessage: (message: unknown) => port.postMessage(message),
    on(type: string, listener: (event: { data: unknown }) => void) {
      if (type === 'message') port.on('message', (data: unknown) => listener({ data }));
      if (type === 'close') port.on('close', () => (listener as () => void)());
    },
    start: () => port.start(),
    close: () => port.close(),
  };
}

const toEngine = new Set<(event: { data: unknown; ports: unknown[] }) => void>();
(process as unknown as { parentPort: unknown }).parentPort = {
  on: (_type: 'message', listener: (event: { data: unknown; ports: unknown[] }) => void) => toEngine.add(listener),
  postMessage(message: { type: string; message?: string }) {
    if (message.type === 'fatal') {
      console.log(`fatal: ${message.message}`);
      return;
    }
    console.log(message.type);
    void connect();
  },
};

/** Main's side of one window connection: a client on port1, port2 to the engine. */
function connectWindow(windowId: number): { client: RpcClient<typeof engineContract>; closed: Promise<void> } {
  const { port1, port2 } = new MessageChannel();
  const closed = new Promise<void>((resolve) => port1.once('close', () => resolve()));
  for (const listener of toEngine) listener({ data: { type: 'connect', windowId }, ports: [asMainPort(port2)] });
  return { client: new RpcClient(engineContract, nodeMessagePortChannel(asMainPort(port1))), closed };
}

async function connect(): Promise<void> {
  const first = connectWindow(7);
  const repos = await first.client.call('repos.list', {});
  console.log(`repos: ${repos.map((r) => r.name).join(', ')}`);
  // The page reloads: a new port for the same window closes the previous one.
  const second = connectWindow(7);
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('previous port still open'), 5_000).unref());
  console.log(await Promise.race([first.closed.then(() => 'previous port closed'), timeout]));
  const again = await second.client.call('repos.list', {});
  console.log(`repos again: ${again.map((r) => r.name).join(', ')}`);
  process.on('exit', (code) => console.log(code === 0 ? 'closed cleanly' : `exit ${code}`));
  for (const listener of toEngine) listener({ data: { type: 'shutdown' }, ports: [] });
}

await import(entry!);
