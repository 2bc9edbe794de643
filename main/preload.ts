/**
 * Sandboxed preload: the page's only way to main. Exposes `window.ferry` (FerryBridge)
 * and nothing else; bundled to dist/main/preload.cjs, which may require only 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  ENGINE_PORT_MESSAGE as EnginePortMessage,
  FerryBridge,
  SHELL_IPC_CHANNEL as ShellIpcChannel,
  ShellResult,
} from '../shared/contract/shell.ts';
import { REQUEST_ENGINE_PORT_CHANNEL } from './channels.ts';

// Copies of the shared constants, typed as their literals so they cannot drift.
// (Importing the values would pull shared/contract/shell.ts, and zod, into the preload.)
const SHELL_IPC_CHANNEL: typeof ShellIpcChannel = 'ferry:shell';
const ENGINE_PORT_MESSAGE: typeof EnginePortMessage = 'ferry:engine-port';

const bridge: FerryBridge = {
  platform: process.platform,
  invokeShell(method: string, params: unknown): Promise<ShellResult> {
    return ipcRenderer.invoke(SHELL_IPC_CHANNEL, method, params) as Promise<ShellResult>;
  },
  requestEnginePort(nonce: string): void {
    if (typeof nonce === 'string') ipcRenderer.send(REQUEST_ENGINE_PORT_CHANNEL, nonce);
  },
};

// contextBridge cannot carry MessagePorts: main sends the engine port here and the
// preload re-posts it to the page (Electron's documented pattern), to the page's own
// origin only. The page takes it from a 'message' event whose source is window and
// data is { type: ENGINE_PORT_MESSAGE, nonce } with the nonce of its latest request.
ipcRenderer.on(ENGINE_PORT_MESSAGE, (event, message: { nonce?: unknown } | null) => {
  const nonce = message?.nonce;
  if (typeof nonce !== 'string') return;
  window.postMessage({ type: ENGINE_PORT_MESSAGE, nonce }, window.location.origin, event.ports);
});

contextBridge.exposeInMainWorld('ferry', bridge);
