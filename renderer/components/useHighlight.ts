import { useEffect, useState } from 'react';

/** How long a just-added row stays marked (its flash lasts a little less). */
const HIGHLIGHT_MS = 2500;

/** The id of the row to flash (just added), cleared again after a moment. */
export function useHighlight(): [string | null, (id: string) => void] {
  const [highlightId, setHighlightId] = useState<string | null>(null);
  useEffect(() => {
    if (!highlightId) return;
    const timer = setTimeout(() => setHighlightId(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlightId]);
  return [highlightId, setHighlightId];
}
