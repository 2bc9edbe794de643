import type { engineContract } from '../../shared/contract/engine.ts';
import { formatBytes } from '../../shared/format/bytes.ts';
import type { RpcClient } from '../../shared/rpc/client.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import type { CommandIo } from './repo-commands.ts';

type Client = RpcClient<typeof engineContract>;

export async function list(io: CommandIo, client: Client): Promise<number> {
  const jobs = await client.call('jobs.list', {});
  io.print(jobs, () =>
    jobs.length === 0
      ? 'No jobs.'
      : jobs
          .map((job) => {
            const last = job.lastSession ? `${job.lastSession.result ?? 'running'} at ${job.lastSession.startedAt}` : 'never run';
            const next = job.nextRun ?? (job.schedule.mode === 'immediate' && job.enabled ? 'on a new point' : '—');
            return `${job.name}  (${job.kind})  ${job.status}  next: ${next}  last: ${last}`;
          })
          .join('\n'),
  );
  return 0;
}

/**
 * Starts a job and resolves with its session's id once the session has ended. A run that
 * fails at once can end before jobs.start's answer names its session: ends are watched
 * from before the start. `onStarted` learns the id as soon as the answer comes.
 */
export async function runToEnd(client: Client, jobId: string, onStarted?: (sessionId: string) => void): Promise<string> {
  const ended = new Set<string>();
  let onEnd: ((sessionId: string) => void) | undefined;
  const off = client.on('session.finished', (f) => {
    ended.add(f.sessionId);
    onEnd?.(f.sessionId);
  });
  try {
    const { sessionId } = await client.call('jobs.start', { id: jobId });
    onStarted?.(sessionId);
    if (!ended.has(sessionId)) await new Promise<void>((resolve) => (onEnd = (id) => id === sessionId && resolve()));
    return sessionId;
  } finally {
    off();
  }
}

/** Runs a catalog job in this process's engine and waits for its session to end. */
export async function run(io: CommandIo, client: Client, name: string): Promise<number> {
  const job = (await client.call('jobs.list', {})).find((j) => j.name.toLowerCase() === name.toLowerCase());
  if (!job) throw new FerryError('not_found', `No job named "${name}". List them with: ferry job ls`);
  let sessionId: string | undefined;
  let lastNote = 0;
  const offProgress = client.on('session.progress', (p) => {
    if (p.sessionId !== sessionId || Date.now() - lastNote < 1000) return;
    lastNote = Date.now();
    const copy = p.copy ? `${p.copy.phase}, ${p.copy.chunksDone}/${p.copy.chunksTotal} chunks, ` : `${p.files} files, `;
    io.note(`${p.workload}: ${copy}${formatBytes(p.bytesRead)} read`);
  });
  try {
    sessionId = await runToEnd(client, job.id, (started) => (sessionId = started));
  } finally {
    offProgress();
  }
  const session = await client.call('sessions.get', { id: sessionId });
  io.print(session, () =>
    [
      `${session.jobName}: ${session.result ?? 'unfinished'}`,
      ...session.tasks.map(
        (t) => `  ${t.result.padEnd(7)}  ${t.workload}${t.pointId ? `  point ${t.pointId}` : ''}  ${formatBytes(t.bytesRead)} read, ${formatBytes(t.bytesStored)} written${t.reason ? `  (${t.reason})` : ''}`,
      ),
      ...session.log.filter((l) => l.level === 'error').map((l) => `  error: ${l.message}`),
    ].join('\n'),
  );
  return session.result === 'success' || session.result === 'warning' ? 0 : 1;
}
