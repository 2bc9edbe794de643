import { type Channel, ChannelListeners } from '../channel.ts';

/** The part of a WebSocket (browser or the `ws` package) this adapter uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
}

const OPEN = 1;

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
      if (socket.readyState === OPEN) socket.send(JSON.stringify(message));
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      socket.close(1000, 'closed');
      listeners.markClosed();
    },
  };
}
