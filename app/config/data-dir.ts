import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The OS's conventional place for an application's data. Electron's `userData` for an
 * app named Ferry is the same folder on Windows and macOS; on Linux we follow XDG's
 * data home because the default repository (backup data) lives inside it.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  switch (platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Ferry');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Ferry');
    default:
      return join(env['XDG_DATA_HOME'] || join(home, '.local', 'share'), 'ferry');
  }
}

/** `--data-dir` wins over FERRY_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env['FERRY_DATA_DIR'] || defaultDataDir(process.platform, env);
}
