import { ENGINE_PORT_MESSAGE } from '../shared/contract/shell.ts';
import {
  classifyExit,
  type CrashHistory,
  DEFAULT_RESTART_POLICY,
  isFatalGoneReason,
  NO_CRASHES,
  onCrash,
  type RestartPolicyOptions,
} from './restart-policy.ts';

/*
 * Main ↔ engine (utility process) protocol. The utility side is app/host/utility.ts.
 *
 *   main → engine  child.postMessage({ type: 'connect', windowId }, [port])
 *                    one per window connection: the engine serves the engine contract
 *                    on `port`; the window holds the other end of the channel. The
 *                    engine closes the window's previous port: one live port a window.
 *   main → engine  child.postMessage({ type: 'connect' }, [port])
 *                    main's own connection (no windowId), once after each ready: main
 *                    watches jobs and session ends on it (tray, notifications, Quit).
 *   main → engine  { type: 'secret-key', key, source } | { type: 'secret-key', key: null, reason }
 *                    after ready: the key of its secrets file (main/engine-key.ts), or why
 *                    there is none.
 *   main → engine  child.postMessage({ type: 'shutdown' })
 *                    before quitting: close the catalog and exit(0). Main kills the
 *                    process if it has not exited 5 s later.
 *   engine → main  { type: 'ready' }
 *                    the engine started; only then does main send `connect` messages.
 *   engine → main  { type: 'fatal', message: string }
 *                    the engine cannot start (e.g. a catalog from a newer version):
 *                    main shows `message` and quits instead of restarting.
 *
 * Main → window: webContents.postMessage(ENGINE_PORT_MESSAGE, { nonce }, [port]); the
 * preload re-posts it to the page with window.postMessage (contextBridge cannot carry
 * ports). A window asks for a port with ipcRenderer.send(REQUEST_ENGINE_PORT_CHANNEL,
 * nonce): a fresh random nonce per request, which the port comes back with, so the page
 * takes only the answer to its latest request (not a stale or forged post). Right
 * before a port is posted, main checks again that the window still shows the console.
 * After an engine restart main posts a fresh port to every window that asked before,
 * with its latest nonce.
 *
 * Electron-specific objects are described structurally here (and wired in main.ts), so
 * this class runs under plain Node in tests with fakes.
 */

export type EngineToMainMessage = { type: 'ready' } | { type: 'fatal'; message: string };
export type MainToEngineMessage =
  | { type: 'connect'; windowId: number }
  | { type: 'connect' }
  | { type: 'shutdown' }
  | { type: 'secret-key'; key: string; source: string }
  | { type: 'secret-key'; key: null; reason: string };

export interface ClosablePort {
  close(): void;
}

/** The part of Electron's UtilityProcess the host uses. */
export interface EngineChildProcess<Port> {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
  postMessage(message: MainToEngineMessage, transfer?: Port[]): void;
  kill(): boolean;
}

/** The part of Electron's WebContents the host uses to hand a window its port. */
export interface EnginePortTarget<Port> {
  readonly id: number;
  isDestroyed(): boolean;
  postMessage(channel: string, message: unknown, transfer?: Port[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface EngineHostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EngineForkOptions {
  serviceName: string;
  stdio: 'pipe';
  env: Record<string, string>;
}

/** What Electron's app 'child-process-gone' event tells about the engine's process. */
export interface EngineGoneDetails {
  readonly reason: string;
  readonly exitCode: number;
}

export interface EngineTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface EngineHostOptions<Port extends ClosablePort> {
  /** The bundled utility-process entry (dist/engine/utility.cjs). */
  readonly modulePath: string;
  /** Passed to the engine as `--data-dir <dataDir>`. */
  readonly dataDir: string;
  fork(modulePath: string, args: string[], options: EngineForkOptions): EngineChildProcess<Port>;
  /** The engine's environment: main's, cleaned (main/child-env.ts). */
  readonly env: Record<string, string>;
  createChannel(): { port1: Port; port2: Port };
  /** Whether `target` still shows the console: asked again right before each port is posted. */
  showsConsole(target: EnginePortTarget<Port>): boolean;
  readonly log: EngineHostLog;
  /**
   * The key that seals the engine's secrets file (main/engine-key.ts). When it rejects,
   * the engine gets no key and reports the error's message wherever a secret is needed.
   */
  secretKey(): Promise<{ key: string; source: string }>;
  /** The engine reported that it cannot start. Show it and quit; no restart follows. */
  onFatal(message: string): void;
  /** The engine crashed too often; no restart follows unless `restart()` is called. */
  onGiveUp(reason: string): void;
  /**
   * Main's own connection: after each ready (a restarted engine too) main gets a fresh
   * port to the engine's contract. Its previous port is dead with the previous process.
   */
  onMainPort?(port: Port): void;
  readonly timers?: EngineTimers;
  readonly policy?: RestartPolicyOptions;
  /** How long `stop()` waits for the engine to exit after `shutdown` before killing it. */
  readonly shutdownTimeoutMs?: number;
}

export type EngineHostState =
  | 'idle'
  | 'starting'
  | 'running'
  | 'waiting-restart'
  | 'failed'
  | 'stopping'
  | 'stopped';

interface TargetEntry<Port> {
  readonly target: EnginePortTarget<Port>;
  /** The window wants a port and gets one as soon as the engine is ready. */
  pending: boolean;
  /** The nonce of the window's latest request, posted back with its port. */
  nonce: string;
}

export const ENGINE_SERVICE_NAME = 'Ferry engine';
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
/** After kill(), how long stop() still waits for the exit event. */
const KILL_GRACE_MS = 2_000;
const MAX_LINE_CHARS = 64 * 1024;

const realTimers: EngineTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function isEngineMessage(data: unknown): data is EngineToMainMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { type?: unknown; message?: unknown };
  if (message.type === 'ready') return true;
  return message.type === 'fatal' && typeof message.message === 'string';
}

/**
 * Owns the engine's utility process: starts it, brokers a MessageChannel per window
 * connection, restarts it with back-off when it crashes (re-connecting every window),
 * forwards its output to the main log, and stops it cleanly when the app quits.
 * Modelled on VS Code's UtilityProcess wrapper.
 */
export class EngineProcessHost<Port extends ClosablePort> {
  private readonly options: EngineHostOptions<Port>;
  private readonly timers: EngineTimers;
  private readonly policy: RestartPolicyOptions;
  private readonly targets = new Map<number, TargetEntry<Port>>();

  private child: EngineChildProcess<Port> | undefined;
  private childStartedAt = 0;
  private childSpawned = false;
  private fatalReported = false;
  private history: CrashHistory = NO_CRASHES;
  private restartTimer: unknown;
  private currentState: EngineHostState = 'idle';
  private stopPromise: Promise<void> | undefined;
  private resolveStop: (() => void) | undefined;
  private stopTimers: unknown[] = [];

  constructor(options: EngineHostOptions<Port>) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
  }

  get state(): EngineHostState {
    return this.currentState;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the engine (no-op while it is starting or running). */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.spawn();
  }

  /** Starts again after a give-up (the user chose to retry): forgets the crash history. */
  restart(): void {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;
    this.history = NO_CRASHES;
    if (this.currentState === 'waiting-restart') {
      this.timers.clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.spawn();
      return;
    }
    if (this.currentState === 'idle' || this.currentState === 'failed') {
      if (this.child) {
        // A failed child that has not exited yet: start once it is gone.
        this.child.kill();
        this.child = undefined;
      }
      this.spawn();
    }
  }

  /**
   * A window asks for a connection to the engine, with the request's nonce (checked by
   * the caller: shared isPortNonce). It gets a fresh port now if the engine is ready, else as
   * soon as it is; after a restart it gets a new one again.
   */
  connect(target: EnginePortTarget<Port>, nonce: string): void {
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;
    if (target.isDestroyed()) return;
    let entry = this.targets.get(target.id);
    if (!entry || entry.target !== target) {
      entry = { target, pending: true, nonce };
      this.targets.set(target.id, entry);
      const registered = entry;
      target.once('destroyed', () => {
        if (this.targets.get(target.id) === registered) this.targets.delete(target.id);
      });
    }
    entry.pending = true;
    entry.nonce = nonce;
    if (this.currentState === 'running') this.postPort(entry);
  }

  /**
   * Electron's report that the engine's process is gone (app 'child-process-gone'): its
   * reason is logged, and a launch or code integrity failure is fatal, not restarted.
   */
  processGone(details: EngineGoneDetails): void {
    if (details.reason === 'clean-exit') return;
    this.options.log.error(`engine: process gone: ${details.reason} (exit code ${details.exitCode})`);
    if (!isFatalGoneReason(details.reason) || this.fatalReported) return;
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;
    this.cancelRestart();
    this.fatalReported = true;
    this.currentState = 'failed';
    this.child?.kill();
    this.options.onFatal(
      details.reason === 'launch-failed'
        ? `The engine process could not be launched (error ${details.exitCode}).`
        : 'The engine process failed the code integrity check: the installation may be damaged or tampered with. Reinstall Ferry.',
    );
  }

  /**
   * Asks the engine to shut down (`{ type: 'shutdown' }`), kills it when it has not
   * exited within the timeout, and resolves once it is gone. Restarts stop for good.
   */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.cancelRestart();
    const child = this.child;
    if (!child) {
      this.currentState = 'stopped';
      this.stopPromise = Promise.resolve();
      return this.stopPromise;
    }
    this.currentState = 'stopping';
    this.stopPromise = new Promise<void>((resolve) => {
      this.resolveStop = resolve;
    });
    try {
      child.postMessage({ type: 'shutdown' });
    } catch (error) {
      this.options.log.warn(`engine: could not ask it to shut down: ${describe(error)}`);
    }
    const timeout = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    this.stopTimers.push(
      this.timers.setTimeout(() => {
        if (this.child !== child) return;
        this.options.log.warn(`engine: still running ${timeout} ms after shutdown was requested; killing it`);
        child.kill();
        this.stopTimers.push(this.timers.setTimeout(() => this.finishStop(), KILL_GRACE_MS));
      }, timeout),
    );
    return this.stopPromise;
  }

  private spawn(): void {
    this.cancelRestart();
    this.fatalReported = false;
    this.childSpawned = false;
    this.currentState = 'starting';
    this.childStartedAt = this.timers.now();
    let child: EngineChildProcess<Port>;
    try {
      child = this.options.fork(this.options.modulePath, ['--data-dir', this.options.dataDir], {
        serviceName: ENGINE_SERVICE_NAME,
        stdio: 'pipe',
        env: this.options.env,
      });
    } catch (error) {
      // fork() itself throwing is not something a restart fixes.
      this.currentState = 'failed';
      this.options.log.error(`engine: could not start the utility process: ${describe(error)}`);
      this.options.onFatal(`The engine process could not be started: ${describe(error)}`);
      return;
    }
    this.child = child;
    this.options.log.info(`engine: starting ${this.options.modulePath} (data dir ${this.options.dataDir})`);
    // The engine logs to stderr (app/host/utility.ts), so both streams are plain log lines.
    if (child.stdout) forwardLines(child.stdout, (line) => this.options.log.info(`[engine] ${line}`));
    if (child.stderr) forwardLines(child.stderr, (line) => this.options.log.info(`[engine] ${line}`));
    child.on('spawn', () => {
      if (this.child !== child) return;
      this.childSpawned = true;
      this.options.log.info(`engine: process ${child.pid ?? '?'} spawned`);
    });
    child.on('message', (message) => {
      if (this.child === child) this.onChildMessage(child, message);
    });
    child.on('error', (type, location) => {
      if (this.child === child) this.options.log.error(`engine: ${type} at ${location}`);
    });
    child.on('exit', (code) => {
      if (this.child === child) this.onChildExit(code);
    });
  }

  private onChildMessage(child: EngineChildProcess<Port>, message: unknown): void {
    if (!isEngineMessage(message)) {
      this.options.log.warn(`engine: ignoring an unknown message from the utility process`);
      return;
    }
    if (message.type === 'ready') {
      if (this.currentState !== 'starting') return;
      this.currentState = 'running';
      this.options.log.info(`engine: ready after ${this.timers.now() - this.childStartedAt} ms`);
      void this.options.secretKey().then(
        ({ key, source }) => child.postMessage({ type: 'secret-key', key, source }),
        (error: unknown) => {
          this.options.log.error(`engine: no key for its secrets: ${describe(error)}`);
          child.postMessage({ type: 'secret-key', key: null, reason: describe(error) });
        },
      );
      this.connectMain(child);
      for (const entry of [...this.targets.values()]) {
        if (entry.pending) this.postPort(entry);
      }
      return;
    }
    // fatal: the engine cannot start; restarting would only fail the same way.
    if (this.currentState === 'stopping') return;
    this.fatalReported = true;
    this.currentState = 'failed';
    this.options.log.error(`engine: cannot start: ${message.message}`);
    child.kill();
    this.options.onFatal(message.message);
  }

  private onChildExit(code: number): void {
    const uptimeMs = this.timers.now() - this.childStartedAt;
    this.child = undefined;
    const kind = classifyExit({
      stopping: this.currentState === 'stopping',
      fatalReported: this.fatalReported,
      spawned: this.childSpawned,
    });
    if (kind === 'expected') {
      this.options.log.info(`engine: stopped (exit code ${code})`);
      this.finishStop();
      return;
    }
    if (kind === 'fatal') {
      this.options.log.info(`engine: exited after a fatal error (exit code ${code})`);
      if (this.fatalReported) return;
      // It never launched: a restart would fail the same way.
      this.fatalReported = true;
      this.currentState = 'failed';
      this.options.onFatal(`The engine process exited before it launched (exit code ${code}).`);
      return;
    }
    this.options.log.error(`engine: exited unexpectedly (exit code ${code}) after ${Math.round(uptimeMs / 1000)} s`);
    // Every window needs a fresh port from the next engine.
    for (const entry of this.targets.values()) entry.pending = true;
    const { history, decision } = onCrash(this.history, { now: this.timers.now(), uptimeMs }, this.policy);
    this.history = history;
    if (decision.action === 'give-up') {
      this.currentState = 'failed';
      this.options.log.error(`engine: giving up: ${decision.reason}`);
      this.options.onGiveUp(decision.reason);
      return;
    }
    this.currentState = 'waiting-restart';
    this.options.log.warn(`engine: restarting in ${decision.delayMs} ms (crash ${decision.crashesInWindow} in the window)`);
    this.restartTimer = this.timers.setTimeout(() => {
      this.restartTimer = undefined;
      if (this.currentState === 'waiting-restart') this.spawn();
    }, decision.delayMs);
  }

  private connectMain(child: EngineChildProcess<Port>): void {
    const onMainPort = this.options.onMainPort;
    if (!onMainPort) return;
    const { port1, port2 } = this.options.createChannel();
    try {
      child.postMessage({ type: 'connect' }, [port2]);
    } catch (error) {
      port1.close();
      port2.close();
      this.options.log.error(`engine: could not connect main to the engine: ${describe(error)}`);
      return;
    }
    onMainPort(port1);
  }

  private postPort(entry: TargetEntry<Port>): void {
    const child = this.child;
    if (!child) return;
    if (entry.target.isDestroyed()) {
      this.targets.delete(entry.target.id);
      return;
    }
    if (!this.options.showsConsole(entry.target)) {
      // It navigated elsewhere since it asked: no port; the console asks again if it comes back.
      this.targets.delete(entry.target.id);
      this.options.log.warn(`security: did not pass an engine port to window ${entry.target.id}: it no longer shows the console`);
      return;
    }
    const { port1, port2 } = this.options.createChannel();
    try {
      child.postMessage({ type: 'connect', windowId: entry.target.id }, [port2]);
    } catch (error) {
      port1.close();
      port2.close();
      this.options.log.error(`engine: could not pass a port to the engine: ${describe(error)}`);
      return;
    }
    try {
      entry.target.postMessage(ENGINE_PORT_MESSAGE, { nonce: entry.nonce }, [port1]);
      entry.pending = false;
    } catch (error) {
      // The window went away meanwhile: closing our end closes the engine's too.
      port1.close();
      this.options.log.warn(`engine: could not pass a port to window ${entry.target.id}: ${describe(error)}`);
    }
  }

  private cancelRestart(): void {
    if (this.restartTimer !== undefined) {
      this.timers.clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }

  private finishStop(): void {
    for (const timer of this.stopTimers) this.timers.clearTimeout(timer);
    this.stopTimers = [];
    this.child = undefined;
    this.currentState = 'stopped';
    const resolve = this.resolveStop;
    this.resolveStop = undefined;
    resolve?.();
  }
}

/** Calls `write` for every line of `stream` (a trailing partial line at its end too). */
export function forwardLines(stream: NodeJS.ReadableStream, write: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string | Buffer) => {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      write(buffer.slice(0, newline).replace(/\r$/, ''));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    if (buffer.length > MAX_LINE_CHARS) {
      write(buffer);
      buffer = '';
    }
  });
  stream.on('end', () => {
    if (buffer.length > 0) write(buffer);
    buffer = '';
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
