import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { SHELL_IPC_CHANNEL, type ShellContract, shellContract, type ShellResult } from '../shared/contract/shell.ts';
import type { Handlers } from '../shared/rpc/contract.ts';
import { dispatch, toFerryError } from '../shared/rpc/dispatch.ts';
import { FerryError } from '../shared/rpc/errors.ts';
import type { Logger } from './log.ts';
import type { LoginItem } from './login-item.ts';

/** What the shell handlers need; main.ts passes Electron's objects. */
export interface ShellServiceDeps {
  readonly dialog: Pick<Dialog, 'showOpenDialog'>;
  readonly loginItem: LoginItem;
}

/**
 * The shell contract's handlers for a request from `parent` (the window the folder
 * picker is modal to; null shows it unparented).
 */
export function createShellHandlers(deps: ShellServiceDeps, parent: BrowserWindow | null): Handlers<ShellContract> {
  return {
    'shell.pickFolder': async ({ title, defaultPath }) => {
      const options: OpenDialogOptions = { properties: ['openDirectory', 'createDirectory'] };
      if (title !== undefined) options.title = title;
      if (defaultPath !== undefined) options.defaultPath = defaultPath;
      const result = parent
        ? await deps.dialog.showOpenDialog(parent, options)
        : await deps.dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    'shell.getLoginItem': () => deps.loginItem.get(),
    'shell.setLoginItem': ({ enabled }) => deps.loginItem.set(enabled),
  };
}

export interface ShellIpcOptions {
  /** The sender check (TrustedSenders.isTrusted). */
  isTrusted(event: IpcMainInvokeEvent): boolean;
  /** The handler table for one request (binds the sender's window). */
  handlersFor(event: IpcMainInvokeEvent): Handlers<ShellContract>;
  readonly log: Logger;
}

/**
 * `ipcMain.handle(SHELL_IPC_CHANNEL, (event, method, params) => ShellResult)`: checks the
 * sender, validates with the contract (dispatch), and never rejects: failures come back
 * as `{ ok: false, error }` with a wire error.
 */
export function registerShellIpc(ipcMain: Pick<IpcMain, 'handle'>, options: ShellIpcOptions): void {
  ipcMain.handle(SHELL_IPC_CHANNEL, async (event, method: unknown, params: unknown): Promise<ShellResult> => {
    if (!options.isTrusted(event)) {
      options.log.warn(`security: refused a shell call from an untrusted frame (${event.senderFrame?.url ?? 'gone'})`);
      return { ok: false, error: new FerryError('internal', 'This page may not use the desktop shell.').toWire() };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: new FerryError('bad_message', 'The shell method must be a string.').toWire() };
    }
    const controller = new AbortController();
    const abort = () => controller.abort();
    event.sender.once('destroyed', abort);
    try {
      const result = await dispatch(shellContract, options.handlersFor(event), method, params, {
        signal: controller.signal,
      });
      return { ok: true, result };
    } catch (error) {
      const failure = toFerryError(error, controller.signal);
      if (failure.code === 'internal') options.log.error(`shell: ${method} failed: ${failure.message}`);
      return { ok: false, error: failure.toWire() };
    } finally {
      if (!event.sender.isDestroyed()) event.sender.off('destroyed', abort);
    }
  });
}
