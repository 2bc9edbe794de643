import type { MenuItemConstructorOptions } from 'electron';
import type { JobSummary, SessionResult } from '../shared/domain/job.ts';
import { count } from '../shared/format/count.ts';

/*
 * What main says about the engine when the console is closed: the tray's status line and
 * menu, whether Quit must ask first, and which session ends become OS notifications.
 * Pure functions of what the engine reported (jobs.list / jobs.changed, session.finished),
 * so they are tested without Electron (test/main/engine-status.test.ts).
 */

/** Main's own connection to the engine, as the tray shows it. */
export type EngineLink = 'connecting' | 'connected' | 'stopped';

export interface TrayStatus {
  /** One line: "2 jobs working · 1 queued · 1 failed", "Idle", "Engine starting…". */
  readonly summary: string;
  /** The names of the jobs that run now (the menu lists them under the summary). */
  readonly working: readonly string[];
  /** The scheduler's next start among the jobs at rest, if any. */
  readonly next?: { readonly name: string; readonly at: Date };
}

/** How many job names the tray menu lists before "and N more". */
export const TRAY_JOB_LINES = 5;

/** The jobs running now (a run in progress, whoever started it). */
export function runningJobs(jobs: readonly JobSummary[]): JobSummary[] {
  return jobs.filter((job) => job.running);
}

/** The tray's status: what runs, what failed or warned last time (jobs at rest only), what is past its RPO. */
export function trayStatus(jobs: readonly JobSummary[], link: EngineLink): TrayStatus {
  if (link === 'connecting') return { summary: 'Engine starting…', working: [] };
  if (link === 'stopped') return { summary: 'Engine stopped: jobs do not run', working: [] };
  // A copy paused for its transfer window runs on (Quit asks) but moves nothing: said as waiting.
  const working = runningJobs(jobs).filter((job) => job.status !== 'waiting-for-window').map((job) => job.name);
  const atRest = jobs.filter((job) => !job.running);
  const queued = atRest.filter((job) => job.status === 'queued').length;
  const waitingForWindow = jobs.filter((job) => job.status === 'waiting-for-window').length;
  const failed = atRest.filter((job) => job.lastSession?.result === 'failed').length;
  const warned = atRest.filter((job) => job.lastSession?.result === 'warning').length;
  const parts: string[] = [];
  if (working.length > 0) parts.push(`${count(working.length, 'job', 'jobs')} working`);
  if (queued > 0) parts.push(`${queued} queued`);
  if (waitingForWindow > 0) parts.push(`${waitingForWindow} waiting for window`);
  if (failed > 0) parts.push(`${failed} failed`);
  if (warned > 0) parts.push(`${count(warned, 'warning', 'warnings')}`);
  // Copy jobs with a workload whose newest copy is older than the job's RPO.
  const late = jobs.filter((job) => (job.rpo?.late.length ?? 0) > 0).length;
  if (late > 0) parts.push(`${late} past RPO`);
  const summary = parts.length > 0 ? parts.join(' · ') : 'Idle';
  const next = nextStart(atRest);
  return next ? { summary, working, next } : { summary, working };
}

function nextStart(jobs: readonly JobSummary[]): TrayStatus['next'] {
  let next: TrayStatus['next'];
  for (const job of jobs) {
    const at = job.nextRun === null ? Number.NaN : Date.parse(job.nextRun);
    if (Number.isFinite(at) && (!next || at < next.at.getTime())) next = { name: job.name, at: new Date(at) };
  }
  return next;
}

/** "Mon 22:00" in the user's locale: when the tray's next run is. */
export function formatNextRun(at: Date): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** The lines under the summary in the tray menu: the working jobs (at most TRAY_JOB_LINES), then the next run. */
export function detailLines(status: TrayStatus, formatTime: (at: Date) => string = formatNextRun): string[] {
  const shown = status.working.slice(0, TRAY_JOB_LINES).map((name) => `Working: ${name}`);
  const more = status.working.length - shown.length;
  if (more > 0) shown.push(`and ${more} more`);
  if (status.next) shown.push(`Next run: ${status.next.name}, ${formatTime(status.next.at)}`);
  return shown;
}

export interface QuitQuestion {
  readonly message: string;
  readonly detail: string;
}

/**
 * What to ask before quitting while jobs run (undefined: quit at once). Quitting stops
 * the engine, and with it every run and every scheduled run until Ferry starts again.
 */
export function quitQuestion(jobs: readonly JobSummary[]): QuitQuestion | undefined {
  const names = runningJobs(jobs).map((job) => job.name);
  if (names.length === 0) return undefined;
  const listed = names.length <= TRAY_JOB_LINES ? names : [...names.slice(0, TRAY_JOB_LINES), `and ${names.length - TRAY_JOB_LINES} more`];
  return {
    message: names.length === 1 ? `"${names[0]}" is running. Quit Ferry anyway?` : `${names.length} jobs are running. Quit Ferry anyway?`,
    detail:
      `Running now: ${listed.join(', ')}.\n\n` +
      'Quitting stops these runs: what they stored stays, and their next run goes on from there. ' +
      'No job runs on schedule until Ferry starts again. Close the window instead to keep Ferry running in the background.',
  };
}

export interface SessionEnd {
  readonly sessionId: string;
  readonly jobId: string;
  readonly result: SessionResult;
}

export interface SessionNotice {
  readonly title: string;
  readonly body: string;
  readonly sessionId: string;
}

/** The OS notification for a session that ended failed or with warnings; none for a success or a stop. */
export function sessionNotice(end: SessionEnd, jobName: string | undefined): SessionNotice | undefined {
  // A stop is no failure, and whoever stopped it knows.
  if (end.result === 'success' || end.result === 'stopped') return undefined;
  const name = jobName ?? 'A job';
  return end.result === 'failed'
    ? { title: `${name} failed`, body: 'The run did not complete. Click to see why in Ferry.', sessionId: end.sessionId }
    : { title: `${name} finished with warnings`, body: 'Some of it needs attention. Click to see the session in Ferry.', sessionId: end.sessionId };
}

export interface TrayActions {
  open(): void;
  quit(): void;
}

/** The tray icon's menu: the status (not clickable), the working jobs, the next run, Open and Quit. */
export function trayMenu(status: TrayStatus, actions: TrayActions, formatTime?: (at: Date) => string): MenuItemConstructorOptions[] {
  return [
    { label: status.summary, enabled: false },
    ...detailLines(status, formatTime).map((label): MenuItemConstructorOptions => ({ label, enabled: false })),
    { type: 'separator' },
    { label: 'Open Ferry', click: () => actions.open() },
    { label: 'Quit Ferry', click: () => actions.quit() },
  ];
}

/** The console's page of one session (renderer/shell/router.ts hrefForSession), for a notification's click. */
export function sessionUrl(consoleUrl: string, sessionId: string): string {
  return `${consoleUrl.replace(/#.*$/, '')}#/history/${encodeURIComponent(sessionId)}`;
}
