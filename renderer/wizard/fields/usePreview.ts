import { useEffect, useState } from 'react';
import type { FerryError } from '../../../shared/rpc/errors.ts';

export type PreviewState<T> =
  | { status: 'idle' }
  | { status: 'loading'; last: T | null }
  | { status: 'ready'; value: T }
  | { status: 'failed'; message: string };

/** How long typing may pause before a preview is asked for. */
const SETTLE_MS = 350;

/**
 * A preview from the engine for an input that changes as the admin types: asked once the
 * input has settled, the answer to an older input dropped, the call cancelled when the
 * input changes or the page goes. `key` identifies the input (null: nothing to ask).
 */
export function usePreview<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): PreviewState<T> {
  const [state, setState] = useState<PreviewState<T>>({ status: 'idle' });
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', last: previous.status === 'ready' ? previous.value : previous.status === 'loading' ? previous.last : null }));
    const timer = setTimeout(() => {
      load(controller.signal).then(
        (value) => {
          if (!controller.signal.aborted) setState({ status: 'ready', value });
        },
        (error: FerryError) => {
          if (!controller.signal.aborted) setState({ status: 'failed', message: previewFailure(error) });
        },
      );
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `load` is a fresh closure each render; `key` says when its input changed.
  }, [key]);
  return state;
}

function previewFailure(error: FerryError): string {
  if (error.code === 'unknown_command') return 'Not available: this engine cannot preview it yet.';
  if (error.code === 'engine_unavailable') return 'Not available while the engine is not connected.';
  return error.message;
}
