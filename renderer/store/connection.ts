import { create } from 'zustand';
import type { EngineInfo } from '../../shared/contract/engine.ts';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';
export type TransportKind = 'electron' | 'websocket';

export interface ConnectionStore {
  /** 'connecting' until the first connection; 'disconnected' (and retrying) after a loss. */
  state: ConnectionState;
  transport: TransportKind;
  /** The engine last connected to (kept while disconnected, to say which one is missing). */
  engine: EngineInfo | null;
  /** When the current connection was made (ms since epoch), or null. */
  connectedAt: number | null;
  /** When the next reconnect attempt is due (ms since epoch), or null. */
  nextAttemptAt: number | null;
  /** Requests to the engine still waiting for an answer (drives the activity bar). */
  pending: number;
  /** The `serve` host refuses this page's session (restarted or rotated): a new link is needed. */
  accessRefused: boolean;
}

export const useConnection = create<ConnectionStore>()(() => ({
  state: 'connecting',
  transport: 'websocket',
  engine: null,
  connectedAt: null,
  nextAttemptAt: null,
  pending: 0,
  accessRefused: false,
}));

export function beginActivity(): void {
  useConnection.setState((s) => ({ pending: s.pending + 1 }));
}

export function endActivity(): void {
  useConnection.setState((s) => ({ pending: Math.max(0, s.pending - 1) }));
}

export const selectBusy = (s: ConnectionStore): boolean => s.pending > 0;
export const selectConnected = (s: ConnectionStore): boolean => s.state === 'connected';
