import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs` (none when null): keeps "5 minutes
 * ago" and running durations true without a render per frame.
 */
export function useNow(intervalMs: number | null = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
