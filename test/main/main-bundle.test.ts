/**
 * The built main process (dist/main/main.cjs) against the built engine
 * (dist/engine/utility.cjs), without Electron: a stand-in `electron` module runs the
 * engine in a worker thread that plays the utility process (process.parentPort), so the
 * main ↔ engine protocol, the port brokering, the shell IPC and the shutdown are
 * exercised on the real bundles. Skips when they are not built (npm run build).
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { type NodeMessagePortLike, nodeMessagePortChannel } from '../../shared/rpc/transports/message-port.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mainBundle = path.join(root, 'dist', 'main', 'main.cjs');
const preloadBundle = path.join(root, 'dist', 'main', 'preload.cjs');
const engineBundle = path.join(root, 'dist', 'engine', 'utility.cjs');
const missing = [mainBundle, preloadBundle, engineBundle].filter((file) => !existsSync(file)).map((file) => path.relative(root, file));

/** Runs in the worker: Electron's process.parentPort, with MessagePortMain-like ports. */
const UTILITY_SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
const wrap = (port) => ({
  postMessage: (m) => port.postMessage(m),
  on: (type, listener) => type === 'message' ? port.on('message', (data) => listener({ data })) : port.on(type, listener),
  start: () => port.start(),
  close: () => port.close(),
});
process.parentPort = {
  postMessage: (m) => parentPort.postMessage(m),
  on: (_type, listener) => parentPort.on('message', ({ data, ports }) => listener({ data, ports: ports.map(wrap) })),
};
require(workerData.modulePath);
`;

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A node MessagePort as Electron's MessagePortMain (listeners get { data }); `raw` for the window's side. */
function mainPort(raw: MessagePort) {
  return {
    raw,
    postMessage: (message: unknown) => raw.postMessage(message),
    on: (type: string, listener: (event?: { data: unknown }) => void) =>
      type === 'message' ? raw.on('message', (data: unknown) => listener({ data })) : raw.on(type, () => listener()),
    start: () => raw.start(),
    close: () => raw.close(),
  };
}

function portLike(port: MessagePort): NodeMessagePortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    on: ((type: 'message' | 'close', listener: (event?: { data: unknown }) => void) =>
      type === 'message' ? port.on('message', (data: unknown) => listener({ data })) : port.on('close', () => listener())) as NodeMessagePortLike['on'],
    start: () => port.start(),
    close: () => port.close(),
  };
}

interface Harness {
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  /** What the window loaded, and the schemes registered before ready and handled. */
  loaded: string[];
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  ipcMain: EventEmitter;
  contents: EventEmitter & { id: number; mainFrame: { url: string }; received: MessagePort[]; messages: unknown[] };
  forks: string[][];
  forkEnvs: Array<Record<string, string> | undefined>;
  quit(): Promise<void>;
  childExits: number[];
  /** The tray icon main made (its tooltip and menu as set last), and the OS notifications it showed. */
  trays: Array<{ image: string; tooltip: string; menu: Array<{ label?: string; click?: () => void }> }>;
  notifications: Array<EventEmitter & { title: string; body: string; shown: boolean }>;
  app: EventEmitter;
}

function fakeElectron(dataDir: string): { electron: unknown; harness: Promise<Harness>; start(): void } {
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let readyFired = false;
  const paths: Record<string, string> = { appData: path.join(dataDir, 'appData') };
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    setName() {},
    setAppUserModelId() {},
    enableSandbox() {},
    getPath: (name: string) => paths[name] ?? assert.fail(`no path ${name}`),
    setPath: (name: string, value: string) => void (paths[name] = value),
    setAppLogsPath: () => void (paths['logs'] = path.join(paths['userData']!, 'logs')),
    requestSingleInstanceLock: () => true,
    quit() {
      const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
      app.emit('before-quit', event);
      if (!event.prevented) app.emit('test:quit');
    },
    exit: (code: number) => assert.fail(`app.exit(${code})`),
    getVersion: () => '0.0.0-test',
    whenReady: () => ready,
    isReady: () => true,
    setAboutPanelOptions() {},
    showAboutPanel() {},
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false, status: 'not-registered', executableWillLaunchAtLogin: false }),
    setLoginItemSettings: () => assert.fail('a development build sets no login item'),
  });
  const trays: Harness['trays'] = [];
  const notifications: Harness['notifications'] = [];

  const rendererUrl = 'ferry://app/index.html';
  const contents = Object.assign(new EventEmitter(), {
    id: 1,
    mainFrame: { url: rendererUrl, parent: null, detached: false, frameTreeNodeId: 1, processId: 1 },
    received: [] as MessagePort[],
    messages: [] as unknown[],
    isDestroyed: () => false,
    postMessage(channel: string, message: unknown, wrapped: Array<ReturnType<typeof mainPort>> = []) {
      assert.equal(channel, 'ferry:engine-port');
      const transfer = wrapped.map((port) => port.raw);
      contents.received.push(...transfer);
      contents.messages.push(message);
      contents.emit('test:port', transfer[0]);
    },
    setWindowOpenHandler() {},
  });
  let resolveHarness!: (harness: Harness) => void;
  const harness = new Promise<Harness>((resolve) => (resolveHarness = resolve));
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain = Object.assign(new EventEmitter(), {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      void ipcHandlers.set(channel, handler),
  });
  const forks: string[][] = [];
  const forkEnvs: Array<Record<string, string> | undefined> = [];
  const childExits: number[] = [];
  const loaded: string[] = [];
  const privilegedSchemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();

  class BrowserWindow extends EventEmitter {
    readonly webContents = contents;
    constructor() {
      super();
      setImmediate(() => this.emit('ready-to-show'));
      resolveHarness({
        ipcHandlers,
        loaded,
        privilegedSchemes,
        protocolHandlers,
        ipcMain,
        contents,
        forks,
        forkEnvs,
        childExits,
        trays,
        notifications,
        app,
        quit: () =>
          new Promise<void>((resolve) => {
            app.once('test:quit', resolve);
            app.quit();
          }),
      });
    }
    loadFile = (file: string) => {
      loaded.push(`file ${file}`);
      return Promise.resolve();
    };
    loadURL = (url: string) => {
      loaded.push(url);
      return Promise.resolve();
    };
    show() {
      this.emit('show');
    }
    isDestroyed = () => false;
    isVisible = () => true;
    isMinimized = () => false;
    focus() {}
    static fromWebContents = () => null;
    static getAllWindows = () => [];
  }

  const electron = {
    app,
    BrowserWindow,
    ipcMain,
    // MessageChannelMain: port1 (for a window, or main's own client) as Electron's
    // MessagePortMain ({ data } events); port2 a real port, transferred to the engine's worker.
    MessageChannelMain: class {
      readonly port1: ReturnType<typeof mainPort>;
      readonly port2: MessagePort;
      constructor() {
        const { port1, port2 } = new MessageChannel();
        this.port1 = mainPort(port1);
        this.port2 = port2;
      }
    },
    webContents: { fromId: (id: number) => (id === contents.id ? contents : undefined) },
    utilityProcess: {
      fork(modulePath: string, args: string[], options: { env?: Record<string, string> }) {
        forks.push(args);
        forkEnvs.push(options.env);
        const worker = new Worker(UTILITY_SHIM, { eval: true, argv: args, workerData: { modulePath }, stdout: true, stderr: true });
        const child = Object.assign(new EventEmitter(), {
          pid: worker.threadId,
          stdout: worker.stdout,
          stderr: worker.stderr,
          postMessage: (data: unknown, ports: MessagePort[] = []) => worker.postMessage({ data, ports }, ports),
          kill: () => {
            void worker.terminate();
            return true;
          },
        });
        worker.on('online', () => child.emit('spawn'));
        worker.on('message', (message) => child.emit('message', message));
        worker.on('exit', (code) => {
          childExits.push(code);
          child.emit('exit', code);
        });
        return child;
      },
    },
    dialog: {
      showErrorBox: (title: string, message: string) => assert.fail(`${title}: ${message}`),
      showMessageBox: () => assert.fail('unexpected message box'),
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/picked/folder'] }),
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu() {} },
    nativeImage: { createFromPath: (file: string) => ({ file }) },
    Tray: class {
      readonly record: Harness['trays'][number];
      constructor(image: { file: string }) {
        this.record = { image: image.file, tooltip: '', menu: [] };
        trays.push(this.record);
      }
      on() {}
      isDestroyed = () => false;
      setToolTip(text: string) {
        this.record.tooltip = text;
      }
      setContextMenu(menu: Harness['trays'][number]['menu']) {
        this.record.menu = menu;
      }
    },
    Notification: class extends EventEmitter {
      static isSupported = () => true;
      readonly title: string;
      readonly body: string;
      shown = false;
      constructor(options: { title: string; body: string }) {
        super();
        this.title = options.title;
        this.body = options.body;
        notifications.push(this as unknown as Harness['notifications'][number]);
      }
      show() {
        this.shown = true;
      }
    },
    nativeTheme: { shouldUseDarkColors: false },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        assert.equal(readyFired, false, 'privileged schemes are registered before ready');
        privilegedSchemes.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void protocolHandlers.set(scheme, handler),
    },
    safeStorage: {
      getSelectedStorageBackend: () => 'gnome_libsecret',
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (text: string) => Buffer.from(`sealed:${text}`),
      decryptStringAsync: async (data: Buffer) => ({ result: data.toString().slice(7), shouldReEncrypt: false }),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived() {} },
        setPermissionRequestHandler() {},
        setPermissionCheckHandler() {},
        setDevicePermissionHandler() {},
      },
    },
    shell: { openExternal: async () => {} },
  };
  const start = () => {
    readyFired = true;
    resolveReady();
  };
  return { electron, harness, start };
}

describe('main bundle with the engine bundle', { skip: missing.length > 0 ? `not built: ${missing.join(', ')}` : false }, () => {
  it('brokers engine ports, serves the shell contract and stops the engine on quit', async (t) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ferry-main-bundle-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const { electron, harness: harnessReady, start } = fakeElectron(dataDir);

    const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const originalLoad = moduleInternals._load;
    const originalArgv = process.argv;
    moduleInternals._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? electron : originalLoad.call(this, request, ...rest);
    };
    process.argv = [process.execPath, '.', `--data-dir=${path.join(dataDir, 'data')}`];
    // Variables the engine must not inherit (main reads its environment at start).
    const planted = { ELECTRON_RUN_AS_NODE: '1', NODE_FERRY_TEST_PLANTED: '--require /tmp/evil.js' };
    Object.assign(process.env, planted);
    try {
      createRequire(import.meta.url)(mainBundle);
    } finally {
      moduleInternals._load = originalLoad;
      process.argv = originalArgv;
      for (const name of Object.keys(planted)) delete process.env[name];
    }
    start();
    const harness = await harnessReady;
    // A failed check must not leave the engine's worker keeping the test process alive.
    let quit = false;
    t.after(() => (quit ? undefined : harness.quit()));
    assert.deepEqual(harness.forks, [['--data-dir', path.join(dataDir, 'data')]]);

    // The page comes from the app's own privileged scheme, never file://, under a CSP
    // (header and meta tag) that allows no WebSocket or other connection to any host.
    assert.deepEqual(harness.privilegedSchemes, [{ scheme: 'ferry', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    assert.deepEqual(harness.loaded, ['ferry://app/index.html']);
    const page = await harness.protocolHandlers.get('ferry')!(new Request('ferry://app/index.html'));
    assert.equal(page.status, 200);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(await page.text())?.[1];
    for (const policy of [page.headers.get('content-security-policy'), meta]) {
      assert.ok(policy, 'a policy');
      const directives = new Map(policy.split(';').map((part) => {
        const [name = '', ...sources] = part.trim().split(/\s+/);
        return [name, sources] as const;
      }));
      assert.deepEqual(directives.get('connect-src'), ["'self'"], policy);
      assert.doesNotMatch(policy, /\b(ws|wss|http|https):|\*/, policy);
      for (const name of ['object-src', 'base-uri', 'form-action']) assert.deepEqual(directives.get(name), ["'none'"], `${name} in ${policy}`);
    }
    assert.equal((await harness.protocolHandlers.get('ferry')!(new Request('ferry://app/%2e%2e/main/main.cjs'))).status, 404);

    const trusted = { sender: harness.contents, senderFrame: harness.contents.mainFrame };
    const shell = harness.ipcHandlers.get('ferry:shell');
    assert.ok(shell);
    assert.deepEqual(await shell(trusted, 'shell.pickFolder', { title: 'Where?' }), { ok: true, result: { path: '/picked/folder' } });
    assert.partialDeepStrictEqual(await shell(trusted, 'shell.pickFolder', { title: 7 }), { ok: false, error: { code: 'invalid_input' } });
    // No secret is reachable over IPC, not even from our own page.
    assert.partialDeepStrictEqual(await shell(trusted, 'secrets.get', { key: 'engine/secrets-file-key' }), {
      ok: false,
      error: { code: 'unknown_command' },
    });
    const untrusted = { sender: harness.contents, senderFrame: { ...harness.contents.mainFrame, url: 'https://example.com/' } };
    assert.partialDeepStrictEqual(await shell(untrusted, 'shell.pickFolder', {}), { ok: false });

    // The engine runs with a cleaned environment.
    assert.equal(harness.forkEnvs.length, 1);
    assert.ok(harness.forkEnvs[0], 'an explicit environment');
    assert.deepEqual(Object.keys(harness.forkEnvs[0]).filter((name) => /^(NODE_|ELECTRON_|LD_|DYLD_)/i.test(name)), []);
    assert.equal(harness.forkEnvs[0]['PATH'], process.env['PATH']);

    // Untrusted frames, and requests without a nonce, get no port; ours does, with its nonce.
    const nonce = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    harness.ipcMain.emit('ferry:request-engine-port', untrusted, nonce);
    harness.ipcMain.emit('ferry:request-engine-port', trusted);
    harness.ipcMain.emit('ferry:request-engine-port', trusted, 'not a nonce');
    const portArrived = new Promise<MessagePort>((resolve) => harness.contents.once('test:port', resolve));
    harness.ipcMain.emit('ferry:request-engine-port', trusted, nonce);
    const port = await portArrived;
    assert.equal(harness.contents.received.length, 1);
    assert.deepEqual(harness.contents.messages, [{ nonce }]);

    const client = new RpcClient(engineContract, nodeMessagePortChannel(portLike(port)));
    const info = await client.call('engine.info', {});
    assert.equal(info.host, 'electron');
    assert.equal(info.dataDir, path.join(dataDir, 'data'));
    const repositories = await client.call('repos.list', {});
    assert.ok(repositories.some((repository) => repository.name === 'Default repository'));

    // Main watches the engine on a port of its own: the tray says what runs and what failed,
    // a failed session is an OS notification, and its click opens the console on that session.
    assert.equal(harness.trays.length, 1);
    assert.equal(harness.trays[0]!.image, path.join(path.dirname(mainBundle), 'tray.png'));
    await until(() => harness.trays[0]!.tooltip === 'Ferry: Idle');
    assert.deepEqual(harness.trays[0]!.menu.map((item) => item.label), ['Idle', undefined, 'Open Ferry', 'Quit Ferry']);
    // A folder there when the job is made (the engine refuses one that is not), gone by its run.
    const gone = path.join(dataDir, 'missing');
    await mkdir(gone);
    const job = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Office files',
        repositoryId: repositories[0]!.id,
        workloads: [{ name: 'gone', folders: [gone] }],
      },
    });
    await rm(gone, { recursive: true });
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    await until(() => harness.notifications.length === 1 && harness.trays[0]!.tooltip === 'Ferry: 1 failed');
    const [notice] = harness.notifications;
    assert.equal(notice!.title, 'Office files failed');
    assert.equal(notice!.shown, true);
    notice!.emit('click');
    assert.equal(harness.loaded.at(-1), `ferry://app/index.html#/history/${encodeURIComponent(sessionId)}`);

    // The scheduler's next run reaches the tray too.
    await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Weekly',
        repositoryId: repositories[0]!.id,
        schedule: { mode: 'daily', at: '03:00', weekdays: [0] },
        workloads: [{ name: 'docs', folders: [dataDir] }],
      },
    });
    await until(() => harness.trays[0]!.menu.some((item) => item.label?.startsWith('Next run: Weekly, ')));

    // Start at login is not offered by a development build (and nothing is set).
    assert.partialDeepStrictEqual(await shell(trusted, 'shell.setLoginItem', { enabled: true }), {
      ok: true,
      result: { supported: false, enabled: false },
    });

    // Closing the window leaves Ferry running (said once), with the engine.
    let quitted = false;
    harness.app.once('test:quit', () => (quitted = true));
    harness.app.emit('window-all-closed');
    harness.app.emit('window-all-closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(quitted, false);
    assert.deepEqual(harness.notifications.slice(1).map((n) => [n.title, n.shown]), [['Ferry is still running', true]]);
    assert.deepEqual(harness.childExits, []);
    client.close();

    await harness.quit();
    quit = true;
    assert.deepEqual(harness.childExits, [0], 'the engine exited on shutdown, and was not restarted');
  });

  it('preload: asks for a port with the nonce, and re-posts the port with it to the page origin only', () => {
    const sent: unknown[][] = [];
    const posted: unknown[][] = [];
    const onPort: Array<(event: { ports: unknown[] }, message: unknown) => void> = [];
    let exposed: { requestEnginePort(nonce: unknown): void } | undefined;
    const electron = {
      contextBridge: { exposeInMainWorld: (_name: string, api: typeof exposed) => void (exposed = api) },
      ipcRenderer: {
        send: (...args: unknown[]) => void sent.push(args),
        invoke: async () => undefined,
        on: (channel: string, listener: (typeof onPort)[number]) => {
          assert.equal(channel, 'ferry:engine-port');
          onPort.push(listener);
        },
      },
    };
    const scope = globalThis as unknown as { window?: unknown };
    scope.window = { location: { origin: 'ferry://app' }, postMessage: (...args: unknown[]) => void posted.push(args) };
    const moduleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const originalLoad = moduleInternals._load;
    moduleInternals._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? electron : originalLoad.call(this, request, ...rest);
    };
    try {
      createRequire(import.meta.url)(preloadBundle);
      exposed!.requestEnginePort('a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
      exposed!.requestEnginePort({ not: 'a string' });
      assert.deepEqual(sent, [['ferry:request-engine-port', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6']]);
      const port = { fake: 'port' };
      onPort[0]!({ ports: [port] }, { nonce: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' });
      onPort[0]!({ ports: [port] }, null);
      assert.deepEqual(posted, [[{ type: 'ferry:engine-port', nonce: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' }, 'ferry://app', [port]]]);
    } finally {
      moduleInternals._load = originalLoad;
      delete scope.window;
    }
  });
});
