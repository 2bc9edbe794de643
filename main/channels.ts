/**
 * IPC channel names shared by main and the preload that are not part of the shell
 * contract in shared/ (which declares SHELL_IPC_CHANNEL and ENGINE_PORT_MESSAGE).
 * No imports: the preload bundle stays free of zod.
 */

/** ipcRenderer.send(channel, nonce): the page asks main for a (new) MessagePort to the engine. */
export const REQUEST_ENGINE_PORT_CHANNEL = 'ferry:request-engine-port';
