import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { CONSOLE_CSP_DIRECTIVES, contentSecurityPolicy, HEADER_ONLY_CSP_DIRECTIVES } from '../../shared/security/csp.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import type { Engine } from '../engine.ts';
import { readStaticFile } from './static-files.ts';

export interface ServeOptions {
  engine: Engine;
  rendererDir: string;
  /** Interface to bind; loopback unless the admin asks otherwise. */
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
}

export interface ServeHandle {
  /** The URL to open, with the access token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** The session cookie (name=value) a browser gets for the token. */
  cookie: string;
  close(): Promise<void>;
}

const CSP = contentSecurityPolicy([...CONSOLE_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES]);

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sessionSecretOf(engine: Engine): string {
  const existing = engine.catalog.getSetting('serve.session_secret');
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  engine.catalog.setSetting('serve.session_secret', secret);
  return secret;
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The headless host: serves the built console and the engine's contract over a
 * WebSocket. Access needs the token printed at start: the page exchanges it for an
 * HttpOnly session cookie (so it leaves the address bar), scripts may send it as a
 * bearer token. The session secret is kept in the catalog, so an open console
 * reconnects after the host restarts on the same port. Requests must name this server in Host (DNS rebinding) and, when they carry
 * an Origin, come from this server's own origin (cross-site WebSocket hijacking).
 */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const { engine, rendererDir } = options;
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The console is not built (no ${path.join(rendererDir, 'index.html')}). Run: npm run build`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  let port = 0;
  const sessionSecret = sessionSecretOf(engine);
  // Cookies ignore ports: one name per data folder keeps two hosts on one machine apart.
  const cookieName = `ferry_${createHash('sha256').update(engine.dataDir).digest('hex').slice(0, 12)}`;
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
  const allowedHosts = () => {
    const names = new Set([bindHost, '127.0.0.1', 'localhost', '[::1]']);
    return new Set([...names].map((name) => `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`));
  };

  const authorised = (request: IncomingMessage) =>
    sameSecret(readCookie(request, cookieName), sessionSecret) ||
    sameSecret(request.headers.authorization?.replace(/^Bearer /, ''), token);

  // On a wildcard bind the admin chose to be reached by any name; the token still guards.
  const trustedHost = (request: IncomingMessage) => wildcard || allowedHosts().has(request.headers.host ?? '');

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      engine.log(`http: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!trustedHost(request)) {
      response.writeHead(421, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('This Ferry console does not answer to that host name.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const offered = url.searchParams.get('token') ?? undefined;
    if (offered !== undefined) {
      if (!sameSecret(offered, token)) return refuse(response, 'The access token in this link is not valid for this console.');
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName}=${sessionSecret}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      response.end();
      return;
    }
    if (!authorised(request)) return refuse(response, 'Open the link that `ferry serve` printed: it carries the access token.');
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  function refuse(response: ServerResponse, message: string): void {
    response.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${message}\n`);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    // Node's HTTP server lets go of an upgraded socket's errors: a client resetting the
    // connection, before or after the handshake, must cost only that connection.
    socket.on('error', (error) => engine.log(`console connection: ${error.message}`));
    const url = new URL(request.url ?? '/', 'http://localhost');
    const origin = request.headers.origin;
    const reject = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/rpc') return reject('404 Not Found');
    if (!trustedHost(request)) return reject('421 Misdirected Request');
    if (origin !== undefined && origin !== `http://${request.headers.host}`) return reject('403 Forbidden');
    if (!authorised(request)) return reject('401 Unauthorized');
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // A frame that breaks the protocol (bad UTF-8, reserved bits, an oversized length)
      // is an 'error' of this WebSocket; ws closes it, and nothing else may end.
      ws.on('error', (error) => engine.log(`console connection closed: ${error.message}`));
      const channel = webSocketChannel(ws);
      serveChannel(channel, engineContract, engine.handlers, engine.events, { log: engine.log });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const displayHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost;
  const origin = `http://${displayHost}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    cookie: `${cookieName}=${sessionSecret}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
