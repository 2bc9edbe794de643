import { answersPortRequest, ENGINE_PORT_MESSAGE, type FerryBridge } from '../../shared/contract/shell.ts';
import type { Channel } from '../../shared/rpc/channel.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import type { Contract } from '../../shared/rpc/contract.ts';
import { domMessagePortChannel } from '../../shared/rpc/transports/message-port.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';

export interface TransportEvents {
  /** A connection attempt is starting. */
  onAttempt(): void;
  /** An attempt failed or the connection was lost; the next attempt is due at `nextAttemptAt`. */
  onAttemptFailed(nextAttemptAt: number): void;
  /** The host answered but refuses this page's session: only a new link lets it in. */
  onAccessRefused(): void;
}

/** Keeps one RpcClient attached to the engine, reconnecting when the channel goes away. */
export interface Transport {
  start(events: TransportEvents): void;
  /** Skip the current back-off wait. */
  retryNow(): void;
}

/** Exponential back-off: 0.5 s, 1 s, 2 s … capped at 10 s, with a little jitter. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(initialMs = 500, maxMs = 10_000) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base * (0.9 + Math.random() * 0.2));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/**
 * Whether the host that served this page refuses its session cookie (401), as after a
 * restart or a rotation of access; false when it cannot be reached at all.
 */
export async function accessRefused(pageUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/', pageUrl), { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return response.status === 401;
  } catch {
    return false;
  }
}

/**
 * Browser console: a WebSocket to the `serve` host at /rpc. Authentication is the
 * HttpOnly cookie the host set when it served the page; nothing is sent here. A browser
 * does not tell why an upgrade failed: when one fails, the page asks the host over HTTP
 * whether its session is refused, and says so.
 */
export function webSocketTransport<C extends Contract>(client: RpcClient<C>, url: string): Transport {
  const backoff = new Backoff();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;
  let events: TransportEvents | undefined;

  const connect = () => {
    timer = undefined;
    events?.onAttempt();
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      backoff.reset();
      client.attach(webSocketChannel(ws));
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = undefined;
      if (!opened) {
        void accessRefused(window.location.href).then((refused) => {
          if (refused) events?.onAccessRefused();
        });
      }
      // The channel adapter has detached the client (failing pending calls); try again.
      schedule();
    });
  };

  const schedule = () => {
    if (timer !== undefined) return;
    const delay = backoff.next();
    events?.onAttemptFailed(Date.now() + delay);
    timer = setTimeout(connect, delay);
  };

  const retryNow = () => {
    if (socket) return; // already connected or connecting
    if (timer !== undefined) clearTimeout(timer);
    backoff.reset();
    connect();
  };

  return {
    start(listeners) {
      events = listeners;
      // Coming back online or to the window: do not wait out a long back-off.
      window.addEventListener('online', retryNow);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') retryNow();
      });
      connect();
    },
    retryNow,
  };
}

/** A fresh random nonce for one port request: 32 hex digits. */
function portRequestNonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Desktop console: Electron main hands the page a MessagePort to the engine's utility
 * process (posted to the window as ENGINE_PORT_MESSAGE with the nonce of the request).
 * Only the answer to the latest request is taken: a stale or forged post, or a port
 * that arrives without being asked for, is closed. When the port closes (the engine
 * restarted) the page asks for a new one, backing off while none arrives.
 */
export function electronTransport<C extends Contract>(client: RpcClient<C>, bridge: FerryBridge): Transport {
  const backoff = new Backoff(1000, 10_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Channel | undefined;
  let events: TransportEvents | undefined;
  let nonce: string | undefined;

  const request = () => {
    timer = undefined;
    events?.onAttempt();
    nonce = portRequestNonce();
    bridge.requestEnginePort(nonce);
    // If no port arrives, ask again after a back-off.
    schedule();
  };

  const schedule = () => {
    if (timer !== undefined) return;
    const delay = backoff.next();
    timer = setTimeout(() => {
      timer = undefined;
      if (!client.connected) {
        events?.onAttemptFailed(Date.now());
        request();
      }
    }, delay);
  };

  const cancelRetry = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null;
    if (event.source !== window || data?.type !== ENGINE_PORT_MESSAGE) return;
    const port = answersPortRequest(data, nonce) ? event.ports[0] : undefined;
    if (!port) {
      // A stale answer, or a post by anything but main: not a port to keep.
      for (const other of event.ports) other.close();
      return;
    }
    const previous = current;
    current = domMessagePortChannel(port);
    previous?.close();
    cancelRetry();
    backoff.reset();
    client.attach(current);
  };

  return {
    start(listeners) {
      events = listeners;
      window.addEventListener('message', onMessage);
      client.onConnectionChange((connected) => {
        if (connected) {
          cancelRetry();
          return;
        }
        // The port closed (engine restart or crash): ask main for a new one.
        queueMicrotask(() => {
          if (!client.connected && timer === undefined) {
            events?.onAttemptFailed(Date.now());
            request();
          }
        });
      });
      request();
    },
    retryNow() {
      if (client.connected) return;
      cancelRetry();
      backoff.reset();
      request();
    },
  };
}
