import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import { shellContract, type ShellResult } from '../../shared/contract/shell.ts';
import { createShellHandlers, registerShellIpc } from '../../main/shell-services.ts';

type ShellHandler = (event: IpcMainInvokeEvent, method: unknown, params: unknown) => Promise<ShellResult>;

/** registerShellIpc on a stand-in ipcMain, with every sender trusted: only the contract decides. */
function shellIpc(): { call(method: string, params: unknown): Promise<ShellResult>; warnings: string[] } {
  let handler: ShellHandler | undefined;
  let loginItemOn = false;
  const warnings: string[] = [];
  registerShellIpc(
    { handle: (_channel: string, listener: ShellHandler) => void (handler = listener) } as never,
    {
      isTrusted: () => true,
      handlersFor: () =>
        createShellHandlers(
          {
            dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) } as never,
            loginItem: {
              get: async () => ({ supported: true, enabled: loginItemOn, note: null }),
              set: async (enabled) => ({ supported: true, enabled: (loginItemOn = enabled), note: null }),
            },
          },
          null,
        ),
      log: { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    },
  );
  const sender = Object.assign(new EventEmitter(), { isDestroyed: () => false });
  return {
    call: (method, params) => handler!({ sender, senderFrame: null } as never, method, params),
    warnings,
  };
}

describe('shell IPC', () => {
  it('exposes no secret command: the shell contract is the folder picker and the login item only', () => {
    const names = Object.keys(shellContract.commands);
    assert.deepEqual(names, ['shell.pickFolder', 'shell.getLoginItem', 'shell.setLoginItem']);
    assert.ok(names.every((name) => !/secret|key|password|keychain/i.test(name)));
  });

  it('refuses an IPC call for a secret as an unknown command, whatever the key', async () => {
    const ipc = shellIpc();
    for (const [method, params] of [
      ['secrets.get', { key: 'engine/secrets-file-key' }],
      ['secrets.set', { key: 'engine/secrets-file-key', value: '00'.repeat(32) }],
      ['secrets.delete', { key: 'engine/secrets-file-key' }],
    ] as const) {
      const answer = await ipc.call(method, params);
      assert.equal(answer.ok, false, method);
      assert.equal(!answer.ok && answer.error.code, 'unknown_command', method);
    }
    assert.deepEqual(await ipc.call('shell.pickFolder', {}), { ok: true, result: { path: null } });
  });

  it('reads and sets the login item through the contract, refusing anything but { enabled: boolean }', async () => {
    const ipc = shellIpc();
    assert.deepEqual(await ipc.call('shell.getLoginItem', {}), { ok: true, result: { supported: true, enabled: false, note: null } });
    assert.deepEqual(await ipc.call('shell.setLoginItem', { enabled: true }), { ok: true, result: { supported: true, enabled: true, note: null } });
    for (const params of [{ enabled: 'yes' }, {}, { enabled: true, program: '/tmp/evil' }]) {
      const answer = await ipc.call('shell.setLoginItem', params);
      assert.equal(!answer.ok && answer.error.code, 'invalid_input', JSON.stringify(params));
    }
    assert.deepEqual(await ipc.call('shell.getLoginItem', {}), { ok: true, result: { supported: true, enabled: true, note: null } });
  });
});
