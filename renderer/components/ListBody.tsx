import type { ReactNode } from 'react';
import { useConnection } from '../store/connection.ts';
import type { LoadStatus } from '../store/repositories.ts';
import { EngineUnavailable } from './EngineUnavailable.tsx';
import { LoadError } from './LoadError.tsx';

/** A store the engine fills: how its load went. */
type LoadedStore = <U>(selector: (state: { status: LoadStatus; error: string | null }) => U) => U;

export interface ListBodyProps {
  /** What the page lists, for its messages: "the jobs". */
  what: string;
  /** The store that holds it (its status and load error are read from there). */
  store: LoadedStore;
  onRetry: () => unknown;
  /** What to show instead of the list once it has loaded empty; null while there is something to list. */
  empty: ReactNode;
  /** The list (with its placeholders while loading). */
  children: ReactNode;
}

/**
 * The body of a page that lists what a store holds: the list, or why there is none (no
 * engine, a failed load, nothing there yet).
 */
export function ListBody({ what, store, onRetry, empty, children }: ListBodyProps) {
  const connection = useConnection((s) => s.state);
  const status = store((s) => s.status);
  const error = store((s) => s.error);
  if (connection === 'disconnected') return <EngineUnavailable what={what} />;
  if (status === 'error') {
    return (
      <LoadError onRetry={() => void onRetry()}>
        Could not load {what}: {error}
      </LoadError>
    );
  }
  if (status === 'ready' && empty) return empty;
  return children;
}
