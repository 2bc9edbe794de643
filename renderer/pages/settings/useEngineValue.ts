import { useEffect, useState } from 'react';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { useConnection } from '../../store/connection.ts';

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

/**
 * A value read from the engine once connected (again after a reconnect, unless the form
 * holds changes: `keep` says so, and what is typed stays).
 */
export function useEngineValue<T>(load: () => Promise<T>, keep: boolean): { loaded: Loaded<T>; set: (value: T) => void; reload: () => void } {
  const connected = useConnection((s) => s.state === 'connected');
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!connected || keep) return;
    let current = true;
    load().then(
      (value) => current && setLoaded({ status: 'ready', value }),
      (error: unknown) => current && setLoaded({ status: 'error', message: (error as FerryError).message }),
    );
    return () => {
      current = false;
    };
  }, [connected, attempt]);
  return { loaded, set: (value) => setLoaded({ status: 'ready', value }), reload: () => setAttempt((n) => n + 1) };
}
