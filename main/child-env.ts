/**
 * The environment the engine's utility process starts with: main's, without the
 * variables that would let whoever set them run code in it, change how Node or the
 * dynamic loader behave, or leak its traffic (as VS Code cleans its child processes'):
 *  - ELECTRON_* (ELECTRON_RUN_AS_NODE and every other switch of Electron's);
 *  - NODE_* (NODE_OPTIONS: --require/--import of any file, NODE_PATH, NODE_EXTRA_CA_CERTS
 *    (also ignored by the packaged app's main, whose nodeOptions fuse is off), …);
 *  - the dynamic loader's LD_* (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT) and macOS's DYLD_*;
 *  - OPENSSL_* (OPENSSL_CONF and OPENSSL_MODULES load code), SSLKEYLOGFILE (writes the
 *    TLS keys of S3 traffic to a file), DEBUG (read by libraries, may crash them).
 * Names compare without case, as Windows does.
 */
const DROPPED_PREFIXES = ['ELECTRON_', 'NODE_', 'LD_', 'DYLD_', 'OPENSSL_'];
const DROPPED_NAMES: ReadonlySet<string> = new Set(['SSLKEYLOGFILE', 'DEBUG']);

function isDroppedFromEngineEnv(name: string): boolean {
  const upper = name.toUpperCase();
  return DROPPED_NAMES.has(upper) || DROPPED_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

export function engineEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isDroppedFromEngineEnv(name)) cleaned[name] = value;
  }
  return cleaned;
}
