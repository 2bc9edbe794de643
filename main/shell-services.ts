import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions, SafeStorage } from 'electron';
import { SHELL_IPC_CHANNEL, type ShellContract, shellContract, type ShellResult } from '../shared/contract/shell.ts';
import type { Handlers } from '../shared/rpc/contract.ts';
import { dispatch, toFerryError } from '../shared/rpc/dispatch.ts';
import { FerryError } from '../shared/rpc/errors.ts';
import type { Logger } from './log.ts';
import type { SecretCipher } from './secret-store.ts';

/** What the shell handlers need; main.ts passes Electron's objects. */
export interface ShellServiceDeps {
  readonly dialog: Pick<Dialog, 'showOpenDialog'>;
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
  };
}

/**
 * Electron's safeStorage as a SecretCipher. Uses the asynchronous API (the synchronous
 * encryptString/decryptString are deprecated in Electron 45). On Linux without a
 * keyring (kwallet / libsecret), safeStorage falls back to a hard-coded password
 * ("basic_text"): that is plain text in disguise, so it counts as unavailable.
 */
export function safeStorageCipher(
  safeStorage: SafeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  return {
    async unavailableReason() {
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        return (
          'No OS keyring is available (GNOME Keyring / libsecret or KWallet), so Ferry cannot store ' +
          'secrets safely and refuses to store them in plain text. Start a keyring service and restart Ferry.'
        );
      }
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        return (
          "The OS keychain is not available to Ferry, so it cannot encrypt secrets and refuses to store them " +
          'in plain text.'
        );
      }
      return undefined;
    },
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    async decrypt(data) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
      return { value: result, reEncrypt: shouldReEncrypt };
    },
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
