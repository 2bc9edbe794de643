import type { Channel } from './channel.ts';
import type { CommandInput, CommandName, CommandOutput, Contract, EventName, EventPayload } from './contract.ts';
import { FerryError } from './errors.ts';
import { type ClientMessage, serverMessage } from './protocol.ts';

export interface CallOptions {
  signal?: AbortSignal;
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: FerryError) => void;
  cleanup: () => void;
}

type ConnectionListener = (connected: boolean) => void;

/**
 * The typed caller side of a contract. It outlives its channel: `attach` a new one
 * after a reconnect and event subscriptions are sent again; calls pending on a lost
 * channel fail with `engine_unavailable`.
 */
export class RpcClient<C extends Contract> {
  private readonly contract: C;
  private channel: Channel | undefined;
  private detachChannel: (() => void) | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<ConnectionListener>();

  constructor(contract: C, channel?: Channel) {
    this.contract = contract;
    if (channel) this.attach(channel);
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  attach(channel: Channel): void {
    this.detach();
    this.channel = channel;
    const stopMessages = channel.onMessage((message) => this.receive(message));
    const stopClose = channel.onClose(() => this.detach());
    this.detachChannel = () => {
      stopMessages();
      stopClose();
    };
    const events = [...this.eventListeners.keys()];
    if (events.length > 0) this.post({ kind: 'subscribe', events });
    for (const listener of this.connectionListeners) listener(true);
  }

  /** Forgets the channel (without closing it) and fails what was waiting on it. */
  detach(): void {
    if (!this.channel) return;
    this.detachChannel?.();
    this.channel = undefined;
    this.detachChannel = undefined;
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const call of lost) {
      call.cleanup();
      call.reject(new FerryError('engine_unavailable', `Lost the connection to the engine during ${call.method}.`));
    }
    for (const listener of this.connectionListeners) listener(false);
  }

  onConnectionChange(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  call<K extends CommandName<C>>(
    method: K,
    input: CommandInput<C, K>,
    options: CallOptions = {},
  ): Promise<CommandOutput<C, K>> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new FerryError('cancelled', 'The operation was cancelled.'));
    if (!this.channel) {
      return Promise.reject(new FerryError('engine_unavailable', 'Not connected to the engine.'));
    }
    const id = this.nextId++;
    const spec = this.contract.commands[method]!;
    return new Promise<CommandOutput<C, K>>((resolve, reject) => {
      const onAbort = () => this.post({ kind: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: (value) => {
          const checked = spec.output.safeParse(value);
          if (checked.success) resolve(checked.data as CommandOutput<C, K>);
          else reject(new FerryError('bad_message', `The engine's answer to ${method} does not match the contract.`));
        },
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      this.post({ kind: 'request', id, method, params: input });
    });
  }

  on<K extends EventName<C>>(event: K, listener: (payload: EventPayload<C, K>) => void): () => void {
    let listeners = this.eventListeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this.eventListeners.set(event, listeners);
      this.post({ kind: 'subscribe', events: [event] });
    }
    const wrapped = listener as (payload: unknown) => void;
    listeners.add(wrapped);
    return () => {
      const current = this.eventListeners.get(event);
      if (!current?.delete(wrapped) || current.size > 0) return;
      this.eventListeners.delete(event);
      this.post({ kind: 'unsubscribe', events: [event] });
    };
  }

  close(): void {
    const channel = this.channel;
    this.detach();
    channel?.close();
  }

  private post(message: ClientMessage): void {
    this.channel?.send(message);
  }

  private receive(raw: unknown): void {
    const parsed = serverMessage.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'event') {
      const schema = this.contract.events[message.event];
      const payload = schema?.safeParse(message.payload);
      if (!payload?.success) return;
      for (const listener of this.eventListeners.get(message.event) ?? []) listener(payload.data);
      return;
    }
    if (typeof message.id !== 'number') return;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    call.cleanup();
    if (message.kind === 'response') call.resolve(message.result);
    else call.reject(FerryError.fromWire(message.error));
  }
}
