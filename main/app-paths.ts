import path from 'node:path';

/**
 * Where the desktop app keeps its data. Pure (no Electron) so it is testable.
 *
 * `--data-dir=<dir>` (or `--data-dir <dir>`) on the app's command line wins over
 * FERRY_DATA_DIR, which wins over the default. The default is the engine's own default
 * (app/config/data-dir.ts), so the desktop app and `ferry serve` share one catalog:
 * Electron's userData on Windows and macOS (%APPDATA%\Ferry, ~/Library/Application
 * Support/Ferry), and $XDG_DATA_HOME/ferry (~/.local/share/ferry) on Linux, where
 * userData would be ~/.config/Ferry but backup data belongs in the data home.
 */
export interface DataDirChoice {
  readonly dataDir: string;
  /** True when chosen by --data-dir or FERRY_DATA_DIR (main then isolates its profile there). */
  readonly overridden: boolean;
}

export function dataDirFromArgv(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--data-dir=')) {
      found = arg.slice('--data-dir='.length);
    } else if (arg === '--data-dir') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        found = next;
        i++;
      }
    }
  }
  return found === undefined || found.trim() === '' ? undefined : found;
}

export function chooseDataDir(options: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** Electron's userData for an app named Ferry (before any override). */
  userData: string;
  cwd: string;
}): DataDirChoice {
  const fromArgs = dataDirFromArgv(options.argv);
  if (fromArgs !== undefined) return { dataDir: path.resolve(options.cwd, fromArgs), overridden: true };
  const fromEnv = options.env['FERRY_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { dataDir: path.resolve(options.cwd, fromEnv), overridden: true };
  }
  if (options.platform === 'win32' || options.platform === 'darwin') {
    return { dataDir: options.userData, overridden: false };
  }
  const dataHome = options.env['XDG_DATA_HOME'] || path.join(options.home, '.local', 'share');
  return { dataDir: path.join(dataHome, 'ferry'), overridden: false };
}
