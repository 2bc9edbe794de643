import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CleanupScope } from './s3-server.ts';

export type TcpProxy = {
  /** http://127.0.0.1:<port> of the proxy. */
  endpoint: string;
  /** An outage: open connections are cut and new ones refused (the port is closed). */
  off(): Promise<void>;
  /** Listens again on the same port. */
  on(): Promise<void>;
};

/**
 * A TCP proxy on 127.0.0.1 in front of a server (s3rver): switched off and on to make
 * an outage of a given length while the server itself keeps its data and its port.
 */
export async function startTcpProxy(t: CleanupScope, target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(Number(targetPort), hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });
  const off = async () => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen();
  t.after(off);
  return { endpoint: `http://127.0.0.1:${port}`, off, on: () => (server ? Promise.resolve() : listen()) };
}
