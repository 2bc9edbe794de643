import { create } from 'zustand';
import type { JobSummary, SessionProgress } from '../../shared/domain/job.ts';
import type { LoadStatus } from './repositories.ts';

/** What the engine last said about one workload of a running session (session.progress). */
export interface WorkloadProgress {
  workload: string;
  files: number;
  bytesRead: number;
  bytesNew: number;
  currentPath: string;
  /** A copy job's workload: its phase, chunks and the engine's rate and ETA. */
  copy: SessionProgress['copy'];
  /** Bytes read per second, smoothed over the last reports; null until two reports arrived. */
  rate: number | null;
  /** When the first and the latest report of this workload arrived (ms since epoch). */
  firstAt: number;
  updatedAt: number;
}

/** A running session as seen through its progress events. */
export interface LiveSession {
  sessionId: string;
  jobId: string;
  /** The workloads reported so far, in the order they started; the last one is running. */
  workloads: WorkloadProgress[];
}

export interface JobsStore {
  items: JobSummary[];
  status: LoadStatus;
  /** Why the last load failed (status 'error'). */
  error: string | null;
  /** Running sessions by id, from session.progress; dropped on session.finished. */
  live: Record<string, LiveSession>;
}

export const useJobs = create<JobsStore>()(() => ({
  items: [],
  status: 'idle',
  error: null,
  live: {},
}));

export function setJobs(items: JobSummary[]): void {
  useJobs.setState((s) => {
    // A session whose job no longer runs is over (its finished event may have been missed).
    const running = new Set(items.filter((job) => job.running).map((job) => job.id));
    const live = Object.fromEntries(Object.entries(s.live).filter(([, session]) => running.has(session.jobId)));
    return { items, status: 'ready', error: null, live };
  });
}

/** Shows a job the engine just created, before its jobs.changed event arrives. */
export function upsertJob(job: JobSummary): void {
  useJobs.setState((s) => {
    // The event may already have brought it, and newer state (running, finished) with it.
    if (s.items.some((item) => item.id === job.id)) return s;
    return { items: [...s.items, job].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })) };
  });
}

/** Drops a job the engine just deleted, before its jobs.changed event arrives. */
export function dropJob(id: string): void {
  useJobs.setState((s) => (s.items.some((item) => item.id === id) ? { items: s.items.filter((item) => item.id !== id) } : s));
}

/** Weight of the newest sample in the smoothed rate. */
const RATE_SMOOTHING = 0.35;

export function applyProgress(progress: SessionProgress, now: number = Date.now()): void {
  useJobs.setState((s) => {
    const session = s.live[progress.sessionId] ?? { sessionId: progress.sessionId, jobId: progress.jobId, workloads: [] };
    const previous = session.workloads.find((w) => w.workload === progress.workload);
    let rate: number | null = previous?.rate ?? null;
    if (previous && now > previous.updatedAt) {
      const sample = (Math.max(0, progress.bytesRead - previous.bytesRead) * 1000) / (now - previous.updatedAt);
      rate = rate === null ? sample : rate * (1 - RATE_SMOOTHING) + sample * RATE_SMOOTHING;
    }
    const next: WorkloadProgress = {
      workload: progress.workload,
      files: progress.files,
      bytesRead: progress.bytesRead,
      bytesNew: progress.bytesNew,
      // The final report of a workload has no current file: keep showing the last one.
      currentPath: progress.currentPath || previous?.currentPath || '',
      copy: progress.copy,
      rate,
      firstAt: previous?.firstAt ?? now,
      updatedAt: now,
    };
    const workloads = previous
      ? session.workloads.map((w) => (w.workload === progress.workload ? next : w))
      : [...session.workloads, next];
    return { live: { ...s.live, [progress.sessionId]: { ...session, workloads } } };
  });
}

export function endLiveSession(sessionId: string): void {
  useJobs.setState((s) => {
    if (!(sessionId in s.live)) return s;
    const live = { ...s.live };
    delete live[sessionId];
    return { live };
  });
}

/** The live view of a job's running session, if any progress has arrived. */
export function liveSessionOfJob(live: Record<string, LiveSession>, jobId: string): LiveSession | undefined {
  return Object.values(live).find((session) => session.jobId === jobId);
}

/** Totals over a live session's workloads. */
export function liveTotals(session: LiveSession): { files: number; bytesRead: number; bytesNew: number; rate: number | null } {
  let files = 0;
  let bytesRead = 0;
  let bytesNew = 0;
  for (const w of session.workloads) {
    files += w.files;
    bytesRead += w.bytesRead;
    bytesNew += w.bytesNew;
  }
  const current = session.workloads.at(-1);
  return { files, bytesRead, bytesNew, rate: current?.rate ?? null };
}

/**
 * How far a copy session is, 0…1, from the chunks its workloads have to move; null when
 * that is not known (a folder backup does not know its total before it has read it all).
 */
export function liveProgressShare(session: LiveSession): number | null {
  let done = 0;
  let total = 0;
  for (const w of session.workloads) {
    if (!w.copy || w.copy.chunksTotal <= 0) continue;
    done += w.copy.chunksDone;
    total += w.copy.chunksTotal;
  }
  return total > 0 ? Math.min(1, done / total) : null;
}
