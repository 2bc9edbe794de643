/**
 * A bidirectional message channel: the one thing the RPC layer needs from a transport.
 * Electron MessagePorts, WebSockets and in-process pairs all adapt to it.
 */
export interface Channel {
  send(message: unknown): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
  close(): void;
}

/** Listener bookkeeping shared by every channel adapter. */
export class ChannelListeners {
  private readonly messageListeners = new Set<(message: unknown) => void>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  onMessage(listener: (message: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    if (this.closed) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  deliver(message: unknown): void {
    if (this.closed) return;
    for (const listener of this.messageListeners) listener(message);
  }

  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
    this.messageListeners.clear();
  }
}
