/**
 * Ferry's Electron main process: one window with the console (renderer/), the engine
 * (app/) in a utility process, and the few things only Electron can do (native dialogs,
 * the OS keychain, the tray, notifications, the login item). Closing the window leaves
 * the engine and its schedule running, with the tray icon to open or quit Ferry.
 * Bundled to dist/main/main.cjs (package.json "main").
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  MessageChannelMain,
  type MessagePortMain,
  nativeImage,
  nativeTheme,
  Notification,
  protocol,
  safeStorage,
  session,
  Tray,
  utilityProcess,
  webContents,
} from 'electron';
import { chooseDataDir } from './app-paths.ts';
import { REQUEST_ENGINE_PORT_CHANNEL } from './channels.ts';
import { engineEnvironment } from './child-env.ts';
import { ENGINE_SERVICE_NAME, EngineProcessHost } from './engine-host.ts';
import { sessionNotice, type SessionNotice, sessionUrl, trayMenu, trayStatus } from './engine-status.ts';
import { EngineWatch } from './engine-watch.ts';
import { QuitGuard } from './quit-guard.ts';
import { HIDDEN_SWITCH, loginItem, startsHidden } from './login-item.ts';
import { nodeMessagePortChannel } from '../shared/rpc/transports/message-port.ts';
import { isPortNonce } from '../shared/contract/shell.ts';
import { MainLog } from './log.ts';
import { installAppSecurity, installSessionPolicies, secureWebPreferences, TrustedSenders } from './security.ts';
import { createShellHandlers, registerShellIpc } from './shell-services.ts';
import { type EngineKey, engineSecretKey, type EngineKeyOptions, exportPlainKey } from './engine-key.ts';
import { safeStorageKeychain } from './keychain.ts';
import { EXPORT_KEY_SWITCH } from '../shared/security/secret-files.ts';
import { parseDevServerUrl, type RendererLocation } from './url-policy.ts';
import { RENDERER_ENTRY_URL, RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, rendererProtocolHandler } from './renderer-protocol.ts';

const APP_NAME = 'Ferry';
const APP_ID = 'dev.ferry.console';
/** The console theme's background (renderer/theme/theme.ts), shown before the first paint. */
const BACKGROUND = { dark: '#0e131a', light: '#f4f6f9' } as const;
/** Notifications kept referenced until clicked or closed (a collected one loses its click); the oldest go first. */
const MAX_NOTIFICATIONS = 20;

const log = new MainLog();

// ---------------------------------------------------------------- before ready

app.setName(APP_NAME);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
app.enableSandbox();

const { dataDir, overridden } = chooseDataDir({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  home: homedir(),
  userData: path.join(app.getPath('appData'), APP_NAME),
  cwd: process.cwd(),
});
// userData holds the Chromium profile and the single-instance lock. An
// explicit data dir gets its own (tests, several profiles side by side); otherwise it
// is the OS's place for "Ferry", also in development where package.json says "ferry".
app.setPath('userData', overridden ? dataDir : path.join(app.getPath('appData'), APP_NAME));
app.setAppLogsPath();

const rendererDir = path.join(__dirname, '../renderer');
const preloadFile = path.join(__dirname, 'preload.cjs');
const engineFile = path.join(__dirname, '../engine/utility.cjs');
const rendererLocation = chooseRendererLocation();
// Before ready: the page's own scheme, served in whenReady (main/renderer-protocol.ts).
protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  // Another Ferry with this profile is running; it gets focused (second-instance).
  app.quit();
} else {
  run();
}

function chooseRendererLocation(): RendererLocation {
  const builtLocation: RendererLocation = { kind: 'app', url: RENDERER_ENTRY_URL };
  const value = process.env['FERRY_RENDERER_URL'];
  if (value === undefined || value === '') return builtLocation;
  if (app.isPackaged) {
    log.warn('FERRY_RENDERER_URL is ignored in the packaged app.');
    return builtLocation;
  }
  const parsed = parseDevServerUrl(value);
  if (parsed === undefined) return builtLocation;
  if ('error' in parsed) {
    log.error(`${parsed.error}; loading the built console instead.`);
    return builtLocation;
  }
  return { kind: 'dev-server', url: parsed.url };
}

// ---------------------------------------------------------------- the app

function run(): void {
  // Only the instance holding the lock writes (and rotates) the log.
  log.attachFile(app.getPath('logs'));
  const trusted = new TrustedSenders(rendererLocation);
  let mainWindow: BrowserWindow | undefined;
  let tray: Tray | undefined;
  const notifications = new Set<Notification>();

  log.info(`Ferry ${app.getVersion()} (Electron ${process.versions.electron}) starting; data dir ${dataDir}`);
  installAppSecurity(rendererLocation, log);
  let engineKey: Promise<EngineKey> | undefined;
  const keyOptions: EngineKeyOptions = {
    dataDir,
    legacyStore: path.join(app.getPath('userData'), 'secrets.json'),
    keychain: safeStorageKeychain(safeStorage),
    log,
  };

  // Main's own view of the engine (jobs, session ends): the tray, notifications, Quit.
  const watch = new EngineWatch({
    log,
    onChange: () => updateTray(),
    onSessionEnd: (end, jobName) => notify(sessionNotice(end, jobName)),
  });

  const engine = new EngineProcessHost<MessagePortMain>({
    modulePath: engineFile,
    dataDir,
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    env: engineEnvironment(process.env),
    createChannel: () => {
      const { port1, port2 } = new MessageChannelMain();
      return { port1, port2 };
    },
    showsConsole: (target) => {
      const contents = webContents.fromId(target.id);
      return contents !== undefined && trusted.showsConsole(contents);
    },
    log,
    // Looked up once (a keychain may prompt): the key never changes while the app runs; a failure is tried again at the next engine start.
    secretKey: () => (engineKey ??= engineSecretKey(keyOptions).catch((error: unknown) => {
      engineKey = undefined;
      throw error;
    })),
    onFatal: (message) => {
      dialog.showErrorBox(
        'Ferry cannot start',
        `The Ferry engine could not start:\n\n${message}\n\nData folder: ${dataDir}\nLog: ${log.path ?? 'standard error'}`,
      );
      app.quit();
    },
    onMainPort: (port) => watch.attach(nodeMessagePortChannel(port)),
    onGiveUp: (reason) => {
      watch.stopped();
      const options = {
        type: 'error' as const,
        title: 'Ferry',
        message: 'The Ferry engine keeps stopping',
        detail: `${reason}\n\nBackup copy jobs do not run while the engine is stopped.\nLog: ${log.path ?? 'standard error'}`,
        buttons: ['Restart the engine', 'Quit Ferry'],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      };
      const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined;
      const shown = parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options);
      shown
        .then(({ response }) => (response === 0 ? engine.restart() : app.quit()))
        .catch((error: unknown) => log.error(`dialog failed: ${String(error)}`));
    },
  });

  const startAtLogin = loginItem({
    platform: process.platform,
    packaged: app.isPackaged,
    app,
    // An AppImage runs from a temporary mount: start the image itself.
    program: process.env['APPIMAGE'] ?? process.execPath,
    env: process.env,
    home: homedir(),
  });
  registerShellIpc(ipcMain, {
    isTrusted: (event) => trusted.isTrusted(event),
    handlersFor: (event) => createShellHandlers({ dialog, loginItem: startAtLogin }, BrowserWindow.fromWebContents(event.sender)),
    log,
  });

  ipcMain.on(REQUEST_ENGINE_PORT_CHANNEL, (event, nonce: unknown) => {
    if (!trusted.isTrusted(event)) {
      log.warn(`security: refused an engine port request from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
      return;
    }
    if (!isPortNonce(nonce)) {
      log.warn('security: refused an engine port request without a valid nonce');
      return;
    }
    engine.connect(event.sender, nonce);
  });

  const createWindow = (url: string): BrowserWindow => {
    const window = new BrowserWindow({
      title: APP_NAME,
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
      webPreferences: secureWebPreferences(preloadFile, { devTools: !app.isPackaged }),
    });
    trusted.add(window.webContents);
    window.once('ready-to-show', () => window.show());
    // If the page never paints (load failure), show the window anyway rather than nothing.
    const showAnyway = setTimeout(() => {
      if (!window.isDestroyed() && !window.isVisible()) window.show();
    }, 5_000);
    window.once('show', () => clearTimeout(showAnyway));
    window.once('closed', () => clearTimeout(showAnyway));
    window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame) log.error(`window: loading ${url} failed: ${description} (${code})`);
    });
    window.webContents.on('render-process-gone', (_event, details) => {
      log.error(`window: the page's process is gone (${details.reason}, exit code ${details.exitCode})`);
    });
    window.loadURL(url).catch((error: unknown) => log.error(`window: could not load the console: ${String(error)}`));
    return window;
  };

  /** Shows the console, on `url` when given (a session's page), creating the window if it was closed. */
  const createTray = (): Tray | undefined => {
    try {
      const created = new Tray(nativeImage.createFromPath(path.join(__dirname, 'tray.png')));
      // Windows opens the console on a click; macOS and Linux show the menu.
      if (process.platform === 'win32') created.on('click', () => showMainWindow());
      return created;
    } catch (error) {
      log.warn(`tray: no tray icon (${String(error)}); closing the window quits Ferry`);
      return undefined;
    }
  };

  const showMainWindow = (url?: string) => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createWindow(url ?? rendererLocation.url);
      return;
    }
    if (url !== undefined) {
      mainWindow.loadURL(url).catch((error: unknown) => log.error(`window: could not open ${url}: ${String(error)}`));
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  const updateTray = () => {
    if (!tray || tray.isDestroyed()) return;
    const status = trayStatus(watch.jobs, watch.link);
    tray.setToolTip(`Ferry: ${status.summary}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(status, { open: () => showMainWindow(), quit: () => app.quit() })));
  };

  const notify = (notice: SessionNotice | undefined) => {
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    const forget = () => notifications.delete(notification);
    notification.on('click', () => {
      forget();
      showMainWindow(sessionUrl(rendererLocation.url, notice.sessionId));
    });
    notification.on('close', forget);
    notifications.add(notification);
    for (const old of notifications) {
      if (notifications.size <= MAX_NOTIFICATIONS) break;
      notifications.delete(old);
    }
    notification.show();
  };

  app.on('second-instance', (_event, argv) => {
    // A second start at login (--hidden) leaves the window as it is.
    if (app.isReady() && !argv.includes(HIDDEN_SWITCH)) showMainWindow();
  });

  app.on('child-process-gone', (_event, details) => {
    if (details.type === 'Utility' && (details.name === ENGINE_SERVICE_NAME || details.serviceName === ENGINE_SERVICE_NAME)) {
      engine.processGone(details);
      return;
    }
    if (details.reason !== 'clean-exit') {
      log.warn(`${details.type} process${details.name ? ` "${details.name}"` : ''} gone: ${details.reason} (exit code ${details.exitCode})`);
    }
  });

  // Quit: while jobs run, ask first (naming them); then stop the engine (it closes the
  // catalog, ending its runs) and let the app go.
  const quitGuard = new QuitGuard({
    jobs: () => watch.jobs,
    ask: async (question) => {
      const options = {
        type: 'warning' as const,
        title: APP_NAME,
        message: question.message,
        detail: question.detail,
        buttons: ['Quit and stop them', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const parent = mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible() ? mainWindow : undefined;
      const { response } = await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
      return response === 0;
    },
    stopEngine: () => {
      watch.stopped();
      return engine.stop();
    },
    quit: () => app.quit(),
    log,
  });
  app.on('before-quit', (event) => quitGuard.beforeQuit(event));

  // Closing the window leaves the engine and its schedule running: the tray opens the
  // console again or quits. Without a tray, macOS keeps the app in the dock; elsewhere
  // closing quits (asking first while jobs run).
  let toldKeepsRunning = false;
  app.on('window-all-closed', () => {
    if (!tray && process.platform !== 'darwin') {
      app.quit();
      return;
    }
    if (toldKeepsRunning || quitGuard.quitting || !Notification.isSupported()) return;
    toldKeepsRunning = true;
    new Notification({
      title: 'Ferry is still running',
      body: 'Scheduled jobs go on in the background. Open Ferry or quit it from its icon in the tray (or start Ferry again).',
    }).show();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });

  app
    .whenReady()
    .then(() => {
      installSessionPolicies(session.defaultSession, log);
      protocol.handle(RENDERER_SCHEME, rendererProtocolHandler(rendererDir));
      app.setAboutPanelOptions({
        applicationName: APP_NAME,
        applicationVersion: app.getVersion(),
        version: `Electron ${process.versions.electron}`,
        copyright: 'Backup copy jobs, 3-2-1.',
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
      if (process.argv.includes(EXPORT_KEY_SWITCH)) {
        exportKeyAndQuit(keyOptions);
        return;
      }
      if (existsSync(engineFile)) {
        engine.start();
      } else {
        log.error(`engine: ${engineFile} is missing`);
        dialog.showErrorBox('Ferry cannot start', `The engine bundle is missing:\n${engineFile}\n\nRun "npm run build".`);
        app.quit();
        return;
      }
      tray = createTray();
      updateTray();
      // Started at login: the tray only, until someone opens the console.
      if (!tray || !startsHidden(process.argv, process.platform, () => app.getLoginItemSettings().wasOpenedAtLogin)) showMainWindow();
    })
    .catch((error: unknown) => {
      log.error(`startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      app.exit(1);
    });
}

/** `--export-secret-key`: shares the engine's key with `ferry serve` on this data folder, then quits. */
function exportKeyAndQuit(options: EngineKeyOptions): void {
  exportPlainKey(options)
    .then(
      (file) => ({ type: 'info' as const, message: `The key of this data folder's secrets is now also in ${file}.`, detail: 'ferry serve and the command line on this data folder can read the same secrets. The file is readable only by you; delete it to stop sharing.' }),
      (error: unknown) => ({ type: 'error' as const, message: 'Ferry could not export the key of its secrets.', detail: String(error instanceof Error ? error.message : error) }),
    )
    .then((result) => {
      log[result.type === 'info' ? 'info' : 'error'](`secrets: ${result.message} ${result.detail}`);
      return dialog.showMessageBox({ ...result, title: APP_NAME, buttons: ['OK'] });
    })
    .catch((error: unknown) => log.error(`dialog failed: ${String(error)}`))
    .finally(() => app.quit());
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [{ role: 'reload' }];
  if (!app.isPackaged) view.push({ role: 'toggleDevTools' });
  view.push({ type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' });
  view.push({ type: 'separator' }, { role: 'togglefullscreen' });
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    // Edit: without it, copy/paste shortcuts do not work in text fields on macOS.
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    {
      role: 'help',
      submenu: [{ label: `About ${APP_NAME}`, click: () => app.showAboutPanel() }],
    },
  ];
}
