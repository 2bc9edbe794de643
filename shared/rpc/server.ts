import type { Channel } from './channel.ts';
import type { Contract, EventName, EventPayload, Handlers } from './contract.ts';
import { dispatch, toFerryError } from './dispatch.ts';
import { FerryError } from './errors.ts';
import { clientMessage, type RequestId, requestId, type ServerMessage } from './protocol.ts';
import { RawFrame } from './transports/websocket.ts';

/** Where a server publishes its events; each connection forwards what its client subscribed to. */
export class EventHub<C extends Contract> {
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();

  emit<K extends EventName<C>>(event: K, payload: EventPayload<C, K>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  listen(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface ServeOptions {
  /** Called for failures worth a log line (internal errors, garbage frames). */
  log?: (message: string) => void;
}

/**
 * Serves one contract on one channel: parses every message, validates every input,
 * runs handlers concurrently, honours cancellation, forwards subscribed events. A
 * malformed message is answered with a typed error; the connection keeps serving.
 * Returns a function that stops serving and aborts the requests still running.
 */
export function serveChannel<C extends Contract>(
  channel: Channel,
  contract: C,
  handlers: Handlers<C>,
  events: EventHub<C>,
  options: ServeOptions = {},
): () => void {
  const inFlight = new Map<RequestId, AbortController>();
  const subscribed = new Set<string>();
  const send = (message: ServerMessage) => channel.send(message);
  const fail = (id: RequestId | null, error: FerryError) => send({ kind: 'failure', id, error: error.toWire() });

  const stopEvents = events.listen((event, payload) => {
    if (subscribed.has(event)) send({ kind: 'event', event, payload });
  });

  const stopMessages = channel.onMessage((raw) => {
    if (raw instanceof RawFrame) {
      options.log?.(`rejected a frame that is not JSON (${raw.text.length} characters)`);
      fail(null, new FerryError('bad_message', 'The message is not valid JSON.'));
      return;
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = recoverId(raw);
      fail(id, new FerryError('bad_message', 'The message does not follow the protocol.'));
      return;
    }
    const message = parsed.data;
    switch (message.kind) {
      case 'request':
        void run(message.id, message.method, message.params);
        return;
      case 'cancel':
        inFlight.get(message.id)?.abort();
        return;
      case 'subscribe':
        for (const event of message.events) {
          if (Object.hasOwn(contract.events, event)) subscribed.add(event);
        }
        return;
      case 'unsubscribe':
        for (const event of message.events) subscribed.delete(event);
        return;
    }
  });

  async function run(id: RequestId, method: string, params: unknown): Promise<void> {
    if (inFlight.has(id)) {
      fail(id, new FerryError('bad_message', `Request id ${String(id)} is already in use.`));
      return;
    }
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const result = await dispatch(contract, handlers, method, params, { signal: controller.signal });
      if (controller.signal.aborted) throw new FerryError('cancelled', 'The operation was cancelled.');
      send({ kind: 'response', id, result });
    } catch (error) {
      const ferryError = toFerryError(error, controller.signal);
      if (ferryError.code === 'internal') options.log?.(`${method}: ${ferryError.message}`);
      fail(id, ferryError);
    } finally {
      inFlight.delete(id);
    }
  }

  const stop = () => {
    stopMessages();
    stopEvents();
    stopClose();
    for (const controller of inFlight.values()) controller.abort();
    inFlight.clear();
  };
  const stopClose = channel.onClose(stop);
  return stop;
}

/** Answer with the request's id when a malformed message still carried a usable one. */
function recoverId(raw: unknown): RequestId | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = requestId.safeParse((raw as { id: unknown }).id);
  return id.success ? id.data : null;
}
