import { app, type Session, shell, type WebContents, type WebFrameMain, type WebPreferences } from 'electron';
import type { Logger } from './log.ts';
import { externalUrlToOpen, isRendererUrl, type RendererLocation } from './url-policy.ts';
import { CONSOLE_CSP_HEADER } from '../shared/security/csp.ts';

/*
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security),
 * as it applies to Ferry:
 *  - only local content (the built renderer, from the app's own ferry:// scheme, never
 *    file://) or, unpackaged, a loopback dev server;
 *  - context isolation, process sandbox, no Node.js in the page, no <webview>;
 *  - a Content-Security-Policy (meta tag in index.html, and a header: from the scheme's
 *    handler, and here for the dev server) that allows no connection but to the page's
 *    own origin;
 *  - navigation and new windows blocked; only links to Ferry's own site
 *    (url-policy EXTERNAL_ORIGINS) go to the default browser;
 *  - every permission request denied;
 *  - every IPC message's sender checked (main frame of one of our windows, our URL).
 */

export function secureWebPreferences(preload: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: options.devTools,
    spellcheck: false,
  };
}

/** CSP header and "deny everything" permission handlers on a session. */
export function installSessionPolicies(session: Session, log: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [CONSOLE_CSP_HEADER];
    callback({ responseHeaders });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`security: denied a "${permission}" permission request`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Navigation, new windows and <webview> rules for one web contents. */
export function hardenWebContents(contents: WebContents, location: RendererLocation, log: Logger): void {
  contents.on('will-navigate', (event) => {
    if (isRendererUrl(event.url, location)) return;
    event.preventDefault();
    log.warn(`security: blocked navigation to ${truncate(event.url)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isRendererUrl(event.url, location)) return;
    event.preventDefault();
    log.warn(`security: blocked a frame navigation to ${truncate(event.url)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isRendererUrl(event.url, location)) return;
    event.preventDefault();
    log.warn(`security: blocked a redirect to ${truncate(event.url)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('security: blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) {
      shell.openExternal(external).catch((error: unknown) => {
        log.warn(`security: could not open ${truncate(external)}: ${String(error)}`);
      });
    } else {
      log.warn(`security: blocked a new window for ${truncate(url)}`);
    }
    return { action: 'deny' };
  });
}

/** Applies hardenWebContents to every web contents the app ever creates. */
export function installAppSecurity(location: RendererLocation, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, location, log));
}

/** What an IPC event tells about its sender (IpcMainEvent and IpcMainInvokeEvent). */
export interface IpcSenderInfo {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

/**
 * The windows whose main frame may talk to main. An IPC message is trusted only when
 * it comes from the main frame of one of these windows while it shows our page.
 */
export class TrustedSenders {
  private readonly ids = new Set<number>();
  private readonly location: RendererLocation;

  constructor(location: RendererLocation) {
    this.location = location;
  }

  add(contents: WebContents): void {
    const id = contents.id;
    this.ids.add(id);
    contents.once('destroyed', () => this.ids.delete(id));
  }

  isTrusted(event: IpcSenderInfo): boolean {
    const frame = event.senderFrame;
    if (!frame || frame.detached || frame.parent !== null) return false;
    const contents = event.sender;
    if (contents.isDestroyed() || !this.ids.has(contents.id)) return false;
    const main = contents.mainFrame;
    if (frame.frameTreeNodeId !== main.frameTreeNodeId || frame.processId !== main.processId) return false;
    return isRendererUrl(frame.url, this.location);
  }

  /** One of our windows that still shows our page in its main frame (asked again before a port is passed). */
  showsConsole(contents: WebContents): boolean {
    return !contents.isDestroyed() && this.ids.has(contents.id) && isRendererUrl(contents.mainFrame.url, this.location);
  }
}

function truncate(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}
