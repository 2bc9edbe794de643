import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname, networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { serveChannel } from '../../shared/rpc/server.ts';
import { CONSOLE_CSP_HEADER } from '../../shared/security/csp.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import type { Engine } from '../engine.ts';
import { accessPage, accessText, wantsHtml } from './access-page.ts';
import { readStaticFile } from './static-files.ts';

export interface ServeOptions {
  engine: Engine;
  rendererDir: string;
  /** Interface to bind; loopback unless the admin asks otherwise. */
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  /** A certificate and its key (PEM): the console is then served over HTTPS only. */
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** Further names (DNS names or addresses) the console may be reached by: a reverse proxy's, the machine's own. */
  allowedHosts?: readonly string[];
}

export interface ServeHandle {
  /** The URL to open, with the access token. */
  readonly url: string;
  origin: string;
  port: number;
  readonly token: string;
  /** The session cookie (name=value) a browser gets for the token. */
  readonly cookie: string;
  /** What the admin must know about how this console is exposed (printed at start). */
  warnings: string[];
  /**
   * A new token and session secret: every open console is disconnected, the old link
   * and cookie are refused, and the new link (returned) lets a console in again.
   */
  rotate(): string;
  close(): Promise<void>;
}


const SECURITY_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP_HEADER,
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

/** Where an older Ferry kept the session secret, readable by anyone who could read the catalog. */
const LEGACY_SECRET_SETTING = 'serve.session_secret';

/** The close code an open console gets when access was rotated under it. */
export const ACCESS_ROTATED = 4001;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `host` as it appears in a URL or Host header (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function httpsServer(tls: NonNullable<ServeOptions['tls']>, onRequest: (request: IncomingMessage, response: ServerResponse) => void) {
  try {
    return createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest);
  } catch (error) {
    throw new Error(`The TLS certificate and key cannot be used together (${(error as Error).message}): give a PEM certificate and its own private key.`, { cause: error });
  }
}

/** The names a wildcard bind answers to by itself: the machine's name and addresses. */
function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((info) => info.address));
  return [hostname(), ...addresses];
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
 * bearer token. Token and session secret live only in this process's memory, new at
 * each start and on `rotate()`: an open console is then refused and asks for the new
 * link. Requests must name this server in Host (DNS rebinding) and, when they carry an
 * Origin, come from this server's own origin (cross-site WebSocket hijacking).
 */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const { engine, rendererDir } = options;
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The console is not built (no ${path.join(rendererDir, 'index.html')}). Run: npm run build`);
  }
  engine.catalog.deleteSetting(LEGACY_SECRET_SETTING);
  let token = options.token ?? randomBytes(24).toString('base64url');
  let sessionSecret = randomBytes(32).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  const scheme = options.tls ? 'https' : 'http';
  let port = 0;
  // Cookies ignore ports: one name per data folder keeps two hosts on one machine apart.
  const cookieName = `ferry_${createHash('sha256').update(engine.dataDir).digest('hex').slice(0, 12)}`;
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
  const extraHosts = new Set((options.allowedHosts ?? []).map((name) => urlHost(name).toLowerCase()));
  const ownHosts = () => {
    const names = new Set([bindHost, '127.0.0.1', 'localhost', '::1', ...(wildcard ? machineNames() : [])]);
    return new Set([...names].map((name) => `${urlHost(name).toLowerCase()}:${port}`));
  };

  const authorised = (request: IncomingMessage) =>
    sameSecret(readCookie(request, cookieName), sessionSecret) ||
    sameSecret(request.headers.authorization?.replace(/^Bearer /, ''), token);

  // The machine's own names at this port, or a name the admin allowed at any port (a
  // reverse proxy forwards its own); any other name is a DNS rebinding attempt.
  // Worked out once; again only for a name not known (the machine's addresses may have changed since).
  let known: Set<string> | undefined;
  const trustedHost = (request: IncomingMessage) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (known?.has(host) || extraHosts.has(host.replace(/:\d+$/, ''))) return true;
    known = ownHosts();
    return known.has(host);
  };
  // Behind a TLS proxy the page's origin is https although this server speaks http.
  const ownOrigin = (request: IncomingMessage, origin: string) =>
    origin === `${scheme}://${request.headers.host}` || (!options.tls && origin === `https://${request.headers.host}`);

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    void handleHttp(request, response).catch((error: unknown) => {
      engine.log(`http: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
      response.end();
    });
  };
  const server = options.tls ? httpsServer(options.tls, onRequest) : createServer(onRequest);

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!trustedHost(request)) {
      response.writeHead(421, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`This Ferry console does not answer to the name "${request.headers.host ?? ''}". If it is right, start ferry serve with --allowed-host ${(request.headers.host ?? '').replace(/:\d+$/, '')}.`);
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
      if (!sameSecret(offered, token)) {
        return refuse(request, response, 'The access token in this link is not valid for this console: it was started again since, or its access was renewed.');
      }
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName}=${sessionSecret}; HttpOnly; SameSite=Strict; Path=/${options.tls ? '; Secure' : ''}`,
        Location: url.pathname,
      });
      response.end();
      return;
    }
    if (!authorised(request)) return refuse(request, response, 'This address has no access token: open the link that `ferry serve` printed, which carries it.');
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  function refuse(request: IncomingMessage, response: ServerResponse, reason: string): void {
    const html = wantsHtml(request.headers.accept);
    response.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8' });
    response.end(html ? accessPage(reason) : accessText(reason));
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
    if (origin !== undefined && !ownOrigin(request, origin)) return reject('403 Forbidden');
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
  // After the start, a failure of the listening socket (EMFILE on accept) is logged; it must not end the engine.
  server.on('error', (error) => engine.log(`console server: ${error.message}`));
  port = (server.address() as AddressInfo).port;
  const shownHost = wildcard ? (options.allowedHosts?.[0] ?? '127.0.0.1') : bindHost;
  const origin = `${scheme}://${urlHost(shownHost)}:${port}`;

  const warnings: string[] = [];
  if (!isLoopback(bindHost) && !options.tls) {
    warnings.push(
      `The console listens on ${bindHost} over plain HTTP: its access link and session cookie cross the network unencrypted, and whoever sees them controls this engine and every file it can back up or restore. Give ferry serve --tls-cert and --tls-key, or keep the default 127.0.0.1 behind a TLS reverse proxy (see the README).`,
    );
  }
  if (wildcard && extraHosts.size === 0) {
    warnings.push(
      `The console answers on every interface, by this machine's name and addresses only; name any other (a DNS name, a proxy's) with --allowed-host.`,
    );
  }

  return {
    get url() {
      return `${origin}/?token=${token}`;
    },
    origin,
    port,
    get token() {
      return token;
    },
    get cookie() {
      return `${cookieName}=${sessionSecret}`;
    },
    warnings,
    rotate() {
      token = randomBytes(24).toString('base64url');
      sessionSecret = randomBytes(32).toString('base64url');
      for (const client of sockets.clients) client.close(ACCESS_ROTATED, 'access rotated');
      return `${origin}/?token=${token}`;
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
