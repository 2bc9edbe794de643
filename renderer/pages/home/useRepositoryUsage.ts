import { useEffect, useState } from 'react';
import type { UsageSample } from '../../../shared/domain/repository.ts';
import { request } from '../../connection/engine.ts';
import { useConnection } from '../../store/connection.ts';
import { useRepositories } from '../../store/repositories.ts';
import { useSessions } from '../../store/sessions.ts';

/** Days of growth Home charts. */
const DAYS = 30;

/**
 * Each repository's samples of the last 30 days (repos.usage), by repository id; read
 * again when repositories change and when a run ends (the engine samples after each).
 * Null until read, or when the engine could not say: the card then shows space only.
 */
export function useRepositoryUsage(): ReadonlyMap<string, readonly UsageSample[]> | null {
  const connected = useConnection((s) => s.state === 'connected');
  const repositories = useRepositories((s) => s.items);
  const lastEnd = useSessions((s) => s.items.find((session) => session.endedAt !== null)?.endedAt ?? '');
  const [usage, setUsage] = useState<ReadonlyMap<string, readonly UsageSample[]> | null>(null);
  const key = repositories.map((repository) => repository.id).join(',');
  useEffect(() => {
    if (!connected) return;
    let current = true;
    request('repos.usage', { days: DAYS }).then(
      (list) => current && setUsage(new Map(list.map((entry) => [entry.repositoryId, entry.samples]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [connected, key, lastEnd]);
  return usage;
}
