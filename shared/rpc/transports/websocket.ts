import { type Channel, ChannelListeners } from '../channel.ts';

/** The part of a WebSocket (browser or the `ws` package) this adapter uses. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Bytes sent but not yet handed to the network (the peer is not reading). */
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Ends the connection at once, without a closing handshake (`ws`; browsers have none). */
  terminate?(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
}

const OPEN = 1;

/**
 * What may wait unsent for a peer that stops reading (a frozen tab, a stalled client)
 * while events keep coming: past it the connection is dropped, not the host's memory.
 */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * Messages travel as JSON text frames. A frame that is not valid JSON is delivered as
 * a `RawFrame` so the receiving RPC side can answer it with a typed error.
 */
export class RawFrame {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function webSocketChannel(socket: WebSocketLike): Channel {
  const listeners = new ChannelListeners();
  socket.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : String(event.data);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      message = new RawFrame(text);
    }
    listeners.deliver(message);
  });
  socket.addEventListener('close', () => listeners.markClosed());
  return {
    send(message) {
      if (socket.readyState !== OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        // A peer that does not read would not answer a closing handshake either.
        if (socket.terminate) socket.terminate();
        else socket.close(1008, 'not reading');
        listeners.markClosed();
        return;
      }
      socket.send(JSON.stringify(message));
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      socket.close(1000, 'closed');
      listeners.markClosed();
    },
  };
}
