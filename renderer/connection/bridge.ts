import type { FerryBridge } from '../../shared/contract/shell.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in the browser console. */
    readonly ferry?: FerryBridge;
  }
}

/** The Electron preload's bridge, or undefined when the console runs in a browser. */
export function desktopBridge(): FerryBridge | undefined {
  const bridge = typeof window === 'undefined' ? undefined : window.ferry;
  if (!bridge || typeof bridge.invokeShell !== 'function' || typeof bridge.requestEnginePort !== 'function') {
    return undefined;
  }
  return bridge;
}

/** True inside the Electron app (native dialogs and the OS keychain are available). */
export const isDesktop: boolean = desktopBridge() !== undefined;
