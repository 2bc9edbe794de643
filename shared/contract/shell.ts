import { z } from 'zod';
import { command, defineContract } from '../rpc/contract.ts';
import { wireError } from '../rpc/protocol.ts';

/** Whether Ferry starts (hidden, in the tray) when the user signs in (main/login-item.ts). */
export const loginItemState = z.object({
  supported: z.boolean(),
  enabled: z.boolean(),
  /** Why it is not offered, or what the OS needs the user to do; null when nothing. */
  note: z.string().nullable(),
});
export type LoginItemState = z.infer<typeof loginItemState>;

/**
 * What only the Electron main process can do for the page: native dialogs, the login item. Absent in the
 * browser console served by `serve`. No secret is ever reachable here: the engine keeps
 * its own (app/secrets/), and its key never leaves main and the utility process.
 */
export const shellContract = defineContract({
  commands: {
    'shell.pickFolder': command(
      'Show the native folder picker.',
      z.object({ title: z.string().max(200).optional(), defaultPath: z.string().max(4096).optional() }).strict(),
      z.object({ path: z.string().nullable() }),
    ),
    'shell.getLoginItem': command('Whether Ferry starts at login.', z.object({}).strict(), loginItemState),
    'shell.setLoginItem': command(
      'Start Ferry at login (hidden, in the tray), or not.',
      z.object({ enabled: z.boolean() }).strict(),
      loginItemState,
    ),
  },
  events: {},
});
export type ShellContract = typeof shellContract;

/** The one IPC channel the preload uses for shell commands. */
export const SHELL_IPC_CHANNEL = 'ferry:shell';
/**
 * The `type` of the window.postMessage data `{ type, nonce }` that carries the engine's
 * MessagePort into the page; `nonce` is the one the page asked with.
 */
export const ENGINE_PORT_MESSAGE = 'ferry:engine-port';

/** A port request's nonce: 16 to 128 URL-safe characters (the console makes 32 random hex digits). */
export function isPortNonce(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(value);
}

/** Whether window message data is the ENGINE_PORT_MESSAGE answering the request made with `nonce`. */
export function answersPortRequest(data: unknown, nonce: string | undefined): boolean {
  if (nonce === undefined || typeof data !== 'object' || data === null) return false;
  const message = data as { type?: unknown; nonce?: unknown };
  return message.type === ENGINE_PORT_MESSAGE && message.nonce === nonce;
}

export const shellResult = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: wireError }),
]);
export type ShellResult = z.infer<typeof shellResult>;

/** What the preload exposes on `window.ferry` (contextBridge): nothing else reaches the page. */
export interface FerryBridge {
  readonly platform: string;
  invokeShell(method: string, params: unknown): Promise<ShellResult>;
  /**
   * Asks main for a (new) port to the engine; it arrives as an ENGINE_PORT_MESSAGE with
   * this `nonce` (16 to 128 of [A-Za-z0-9_-], fresh and random for every request).
   */
  requestEnginePort(nonce: string): void;
}
