import { type ShellContract, shellContract, shellResult } from '../../shared/contract/shell.ts';
import type { CommandInput, CommandName, CommandOutput } from '../../shared/rpc/contract.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { desktopBridge } from './bridge.ts';

/** True when the desktop shell (Electron main) can be called: native dialogs, keychain. */
export function shellAvailable(): boolean {
  return desktopBridge() !== undefined;
}

/**
 * Calls the Electron main process through the preload bridge. Rejects with the
 * FerryError main sent (`{ ok: false }`), or `unknown_command` in the browser where
 * there is no shell. The answer is checked against the shell contract.
 */
export async function invokeShell<K extends CommandName<ShellContract>>(
  method: K,
  input: CommandInput<ShellContract, K>,
): Promise<CommandOutput<ShellContract, K>> {
  const bridge = desktopBridge();
  if (!bridge) throw new FerryError('unknown_command', `${method} is only available in the desktop app.`);
  const raw: unknown = await bridge.invokeShell(method, input);
  const answer = shellResult.safeParse(raw);
  if (!answer.success) throw new FerryError('bad_message', `The desktop shell's answer to ${method} is malformed.`);
  if (!answer.data.ok) throw FerryError.fromWire(answer.data.error);
  const output = shellContract.commands[method].output.safeParse(answer.data.result);
  if (!output.success) {
    throw new FerryError('bad_message', `The desktop shell's answer to ${method} does not match the contract.`);
  }
  return output.data as CommandOutput<ShellContract, K>;
}

/** Shows the native folder picker; resolves to the chosen path or null when cancelled. */
export async function pickFolder(options: { title?: string; defaultPath?: string } = {}): Promise<string | null> {
  const { path } = await invokeShell('shell.pickFolder', options);
  return path;
}
