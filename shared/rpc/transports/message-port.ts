import { type Channel, ChannelListeners } from '../channel.ts';

/** The part of a DOM MessagePort this adapter uses (renderer side of Electron). */
export interface DomMessagePortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

/** The part of Electron's MessagePortMain this adapter uses (utility-process side). */
export interface NodeMessagePortLike {
  postMessage(message: unknown): void;
  on(type: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(type: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function domMessagePortChannel(port: DomMessagePortLike): Channel {
  const listeners = new ChannelListeners();
  port.addEventListener('message', (event) => listeners.deliver(event.data));
  port.addEventListener('close', () => listeners.markClosed());
  port.start();
  return portChannel(port, listeners);
}

export function nodeMessagePortChannel(port: NodeMessagePortLike): Channel {
  const listeners = new ChannelListeners();
  port.on('message', (event) => listeners.deliver(event.data));
  port.on('close', () => listeners.markClosed());
  port.start();
  return portChannel(port, listeners);
}

function portChannel(port: { postMessage(message: unknown): void; close(): void }, listeners: ChannelListeners): Channel {
  return {
    send(message) {
      if (!listeners.isClosed) port.postMessage(message);
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      port.close();
      listeners.markClosed();
    },
  };
}
