import { type EngineContract, engineContract } from '../../shared/contract/engine.ts';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import type { Repository } from '../../shared/domain/repository.ts';
import type { CallOptions } from '../../shared/rpc/client.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/rpc/contract.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { replaceRepositoryBackups, setBackups, setScanning, useBackups } from '../store/backups.ts';
import { beginActivity, endActivity, useConnection } from '../store/connection.ts';
import { applyProgress, endLiveSession, setJobs, useJobs } from '../store/jobs.ts';
import { setRepositories, useRepositories } from '../store/repositories.ts';
import { setSessions, useSessions } from '../store/sessions.ts';
import { desktopBridge } from './bridge.ts';
import { type Transport, electronTransport, webSocketTransport } from './transports.ts';

/** The one client to the engine for the lifetime of the page; transports come and go. */
export const engine = new RpcClient<EngineContract>(engineContract);

/**
 * Calls the engine and counts the call as pending activity while it runs (the
 * global progress bar). Rejects with a FerryError.
 */
export async function request<K extends CommandName<EngineContract>>(
  method: K,
  input: CommandInput<EngineContract, K>,
  options?: CallOptions,
): Promise<CommandOutput<EngineContract, K>> {
  beginActivity();
  try {
    const call = engine.call(method, input, options);
    const signal = options?.signal;
    if (!signal) return await call;
    // The engine is asked to cancel; stop waiting right away even if its handler cannot
    // stop (a hung file-system call), so the page never stays stuck behind it.
    call.catch(() => undefined);
    return await new Promise<CommandOutput<EngineContract, K>>((resolve, reject) => {
      const onAbort = () => reject(new FerryError('cancelled', 'The operation was cancelled.'));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (error) {
    throw asFerryError(error);
  } finally {
    endActivity();
  }
}

export function asFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  return new FerryError('internal', error instanceof Error ? error.message : String(error));
}

let transport: Transport | undefined;
/** Bumped by every repos.changed event, so an older repos.list answer cannot overwrite it. */
let repositoryVersion = 0;

/** Reloads the repository list (also done on every (re)connect). */
export async function refreshRepositories(): Promise<void> {
  const version = repositoryVersion;
  if (useRepositories.getState().status !== 'ready') {
    useRepositories.setState({ status: 'loading', error: null });
  }
  try {
    const items = await request('repos.list', {});
    if (version === repositoryVersion) setRepositories(items);
  } catch (error) {
    if (version !== repositoryVersion) return;
    const ferryError = asFerryError(error);
    useRepositories.setState({ status: 'error', error: ferryError.message });
  }
}

/** Bumped by every backups load started, so only the newest answer is applied. */
let backupsRequest = 0;

/** Reloads the backups the catalog knows (also done on every (re)connect and backups.changed). */
export async function refreshBackups(): Promise<void> {
  const ticket = ++backupsRequest;
  if (useBackups.getState().status !== 'ready') useBackups.setState({ status: 'loading', error: null });
  try {
    const items = await request('backups.list', {});
    if (ticket === backupsRequest) setBackups(items);
  } catch (error) {
    if (ticket !== backupsRequest) return;
    useBackups.setState({ status: 'error', error: asFerryError(error).message });
  }
}

/**
 * Scans a repository for backups (one copied in by hand is imported). The row's spinner
 * runs meanwhile; resolves to what was found, rejects with a FerryError.
 */
export async function rescanRepository(repository: Pick<Repository, 'id'>): Promise<BackupSummary[]> {
  setScanning(repository.id, true);
  try {
    const found = await request('repos.rescan', { id: repository.id });
    // Shown at once; the backups.changed event that follows reloads everything anyway.
    backupsRequest++;
    replaceRepositoryBackups(repository.id, found);
    if (useBackups.getState().status !== 'ready') useBackups.setState({ status: 'ready', error: null });
    return found;
  } finally {
    setScanning(repository.id, false);
  }
}

/** Bumped by every jobs.changed event, so an older jobs.list answer cannot overwrite it. */
let jobsVersion = 0;

/** Reloads the job list (also done on every (re)connect). */
export async function refreshJobs(): Promise<void> {
  const version = jobsVersion;
  if (useJobs.getState().status !== 'ready') useJobs.setState({ status: 'loading', error: null });
  try {
    const items = await request('jobs.list', {});
    if (version === jobsVersion) setJobs(items);
  } catch (error) {
    if (version !== jobsVersion) return;
    useJobs.setState({ status: 'error', error: asFerryError(error).message });
  }
}

/** How many sessions the History page lists (newest first). */
export const SESSION_LIST_LIMIT = 500;
let sessionsRequest = 0;

/** Reloads the session list (on (re)connect, when jobs start or finish). */
export async function refreshSessions(): Promise<void> {
  const ticket = ++sessionsRequest;
  if (useSessions.getState().status !== 'ready') useSessions.setState({ status: 'loading', error: null });
  try {
    const items = await request('sessions.list', { limit: SESSION_LIST_LIMIT });
    if (ticket === sessionsRequest) setSessions(items);
  } catch (error) {
    if (ticket !== sessionsRequest) return;
    useSessions.setState({ status: 'error', error: asFerryError(error).message });
  }
}

async function loadEngineInfo(): Promise<void> {
  try {
    const info = await request('engine.info', {});
    useConnection.setState({ engine: info });
  } catch {
    // The connection dropped again; the next connect retries.
  }
}

function onConnected(): void {
  useConnection.setState({ state: 'connected', connectedAt: Date.now(), nextAttemptAt: null, accessRefused: false });
  void loadEngineInfo();
  void refreshRepositories();
  void refreshBackups();
  void refreshJobs();
  void refreshSessions();
}

function onDisconnected(): void {
  useConnection.setState((s) => ({
    state: s.state === 'connecting' && s.connectedAt === null ? 'connecting' : 'disconnected',
    connectedAt: null,
  }));
}

/**
 * Starts talking to the engine: a MessagePort from Electron main when the preload
 * bridge is there, otherwise a WebSocket to the `serve` host that served this page.
 * Safe to call more than once.
 */
export function startEngineConnection(): void {
  if (transport) return;
  engine.on('repos.changed', ({ repositories }) => {
    repositoryVersion++;
    setRepositories(repositories);
  });
  engine.on('backups.changed', () => void refreshBackups());
  engine.on('jobs.changed', ({ jobs }) => {
    jobsVersion++;
    setJobs(jobs);
    // A job started, finished, was created or deleted: the session list changed too.
    void refreshSessions();
  });
  engine.on('session.progress', (progress) => applyProgress(progress));
  engine.on('session.finished', ({ sessionId }) => {
    endLiveSession(sessionId);
    void refreshSessions();
  });
  engine.onConnectionChange((connected) => (connected ? onConnected() : onDisconnected()));

  const bridge = desktopBridge();
  transport = bridge ? electronTransport(engine, bridge) : webSocketTransport(engine, rpcUrl());
  useConnection.setState({ transport: bridge ? 'electron' : 'websocket' });
  transport.start({
    onAttemptFailed: (nextAttemptAt) => useConnection.setState({ state: 'disconnected', nextAttemptAt }),
    onAttempt: () => useConnection.setState({ nextAttemptAt: null }),
    onAccessRefused: () => useConnection.setState({ accessRefused: true }),
  });
}

/**
 * Lets the page in again with a new link printed by `ferry serve` (after a restart or a
 * rotation of access). A link to this same host is exchanged for the new session cookie
 * here, so the page and what is typed in it stay; a link to another address is opened.
 * Rejects with a message for the field when the link is not one.
 */
export async function connectWithLink(text: string): Promise<void> {
  let link: URL;
  try {
    link = new URL(text.trim());
  } catch {
    throw new Error('Paste the whole link that ferry serve printed, starting with http:// or https://.');
  }
  if ((link.protocol !== 'http:' && link.protocol !== 'https:') || !link.searchParams.get('token')) {
    throw new Error('This is not a console link: copy the whole address after "Ferry console:", with its ?token=… part.');
  }
  if (link.origin !== window.location.origin) {
    window.location.assign(link.href);
    return;
  }
  const response = await fetch(link.href, { cache: 'no-store', credentials: 'same-origin' });
  if (response.status === 401) {
    throw new Error('This console does not accept that link: it may be from an earlier start. Use the link ferry serve printed last.');
  }
  if (!response.ok) throw new Error(`The console answered ${response.status} to that link.`);
  reconnectNow();
}

/** Skips the back-off wait and tries to reconnect right away. */
export function reconnectNow(): void {
  transport?.retryNow();
}

function rpcUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/rpc`;
}
