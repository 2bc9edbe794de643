import { useEffect, useState } from 'react';
import type { SessionDetail } from '../../../shared/domain/job.ts';
import type { FerryError } from '../../../shared/rpc/errors.ts';
import { request } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';

export type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; session: SessionDetail }
  | { status: 'error'; message: string; notFound: boolean };

/** How often the view of a running session reloads its log and rate (progress itself is pushed). */
const POLL_MS = 2000;

/** A session with its tasks, log and rate; reloaded while it runs, when `changed` changes, and on reconnect. */
export function useSessionDetail(id: string, running: boolean, changed: string): { state: DetailState; reload: () => void } {
  const [state, setState] = useState<DetailState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const connected = useConnection((s) => s.state === 'connected');

  useEffect(() => {
    if (!connected) return;
    let current = true;
    request('sessions.get', { id }).then(
      (session) => {
        if (current) setState({ status: 'ready', session });
      },
      (error: unknown) => {
        const ferryError = error as FerryError;
        if (current) {
          setState((previous) =>
            previous.status === 'ready' && ferryError.code !== 'not_found'
              ? previous
              : { status: 'error', message: ferryError.message, notFound: ferryError.code === 'not_found' },
          );
        }
      },
    );
    return () => {
      current = false;
    };
  }, [id, attempt, changed, connected]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setAttempt((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [running]);

  return { state, reload: () => setAttempt((n) => n + 1) };
}
