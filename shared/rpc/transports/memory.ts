import { type Channel, ChannelListeners } from '../channel.ts';

/**
 * Two connected in-process channels (CLI and tests). Messages are structured-cloned
 * and delivered asynchronously, as a real port would, so nothing can depend on
 * sharing objects with the other side.
 */
export function createMemoryChannelPair(): [Channel, Channel] {
  const a = new ChannelListeners();
  const b = new ChannelListeners();
  const closeBoth = () => {
    a.markClosed();
    b.markClosed();
  };
  const end = (self: ChannelListeners, peer: ChannelListeners): Channel => ({
    send(message) {
      if (self.isClosed) return;
      const copy = structuredClone(message);
      queueMicrotask(() => peer.deliver(copy));
    },
    onMessage: (listener) => self.onMessage(listener),
    onClose: (listener) => self.onClose(listener),
    close: closeBoth,
  });
  return [end(a, b), end(b, a)];
}
