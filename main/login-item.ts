import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoginItemSettings, LoginItemSettingsOptions, Settings } from 'electron';
import type { LoginItemState } from '../shared/contract/shell.ts';

/*
 * "Start at login": Ferry starts hidden (tray only, HIDDEN_SWITCH) when the user signs in,
 * so scheduled jobs run without anyone opening the console.
 *  - Windows and macOS: Electron's login item (app.setLoginItemSettings).
 *  - Linux, where Electron has no login item: an XDG autostart entry, the freedesktop.org
 *    way every desktop (GNOME, KDE, Xfce…) reads at sign-in:
 *    $XDG_CONFIG_HOME/autostart/dev.ferry.console.desktop (~/.config when unset).
 *  - A development build (not packaged) has no stable program to start: not offered.
 */

/** Started with this switch (at login), Ferry shows no window: the tray only. */
export const HIDDEN_SWITCH = '--hidden';
export const AUTOSTART_FILE = 'dev.ferry.console.desktop';

export interface LoginItem {
  get(): Promise<LoginItemState>;
  set(enabled: boolean): Promise<LoginItemState>;
}

export interface LoginItemOptions {
  readonly platform: NodeJS.Platform;
  readonly packaged: boolean;
  readonly app: {
    getLoginItemSettings(options?: LoginItemSettingsOptions): Pick<LoginItemSettings, 'openAtLogin' | 'status' | 'executableWillLaunchAtLogin'>;
    setLoginItemSettings(settings: Settings): void;
  };
  /** The program to start: process.execPath, or $APPIMAGE for an AppImage (its execPath is a temporary mount). */
  readonly program: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

export function loginItem(options: LoginItemOptions): LoginItem {
  if (!options.packaged) {
    return unsupported('Start at login is offered by the installed app only: this development build has no program of its own to start.');
  }
  if (options.platform === 'linux') return xdgAutostart(autostartDir(options.env, options.home), options.program);
  if (options.platform === 'win32' || options.platform === 'darwin') return electronLoginItem(options.platform, options.app);
  return unsupported(`Start at login is not available on ${options.platform}.`);
}

function unsupported(note: string): LoginItem {
  const state: LoginItemState = { supported: false, enabled: false, note };
  return { get: async () => state, set: async () => state };
}

function electronLoginItem(platform: 'win32' | 'darwin', app: LoginItemOptions['app']): LoginItem {
  // Windows starts the program with arguments; macOS cannot pass any, and the app asks
  // wasOpenedAtLogin instead (startsHidden).
  const query: LoginItemSettingsOptions = platform === 'win32' ? { args: [HIDDEN_SWITCH] } : {};
  const get = async (): Promise<LoginItemState> => {
    const settings = app.getLoginItemSettings(query);
    if (platform === 'darwin' && settings.status === 'requires-approval') {
      return { supported: true, enabled: false, note: 'macOS asks you to allow Ferry first: System Settings → General → Login Items.' };
    }
    if (platform === 'win32' && settings.openAtLogin && !settings.executableWillLaunchAtLogin) {
      return { supported: true, enabled: false, note: "Turned off in Windows' startup apps (Task Manager → Startup apps): turn it on there." };
    }
    return { supported: true, enabled: settings.openAtLogin, note: null };
  };
  return {
    get,
    set: async (enabled) => {
      app.setLoginItemSettings({ openAtLogin: enabled, ...query });
      return get();
    },
  };
}

export function autostartDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const configHome = env['XDG_CONFIG_HOME'];
  // The XDG base directory spec: a relative value is invalid and is ignored.
  return path.join(configHome && path.isAbsolute(configHome) ? configHome : path.join(home, '.config'), 'autostart');
}

function xdgAutostart(dir: string, program: string): LoginItem {
  const file = path.join(dir, AUTOSTART_FILE);
  const get = async (): Promise<LoginItemState> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { supported: true, enabled: false, note: null };
      throw error;
    }
    // Desktops turn an entry off with Hidden=true (GNOME also X-GNOME-Autostart-enabled=false).
    const enabled = !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
    const exec = /^Exec\s*=(.*)$/m.exec(text)?.[1]?.trim();
    const expected = desktopExec([program, HIDDEN_SWITCH]);
    const note = enabled && exec !== expected ? `${file} starts another program than this Ferry; turn this off and on again to fix it.` : null;
    return { supported: true, enabled, note };
  };
  return {
    get,
    set: async (enabled) => {
      if (!enabled) {
        await rm(file, { force: true });
        return get();
      }
      await mkdir(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, desktopEntry(program), { mode: 0o644 });
      await rename(temporary, file);
      return get();
    },
  };
}

/** The autostart entry (freedesktop.org Desktop Entry Specification; desktop-file-validate accepts it). */
export function desktopEntry(program: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Ferry',
    'Comment=Runs Ferry\'s scheduled backup copy jobs in the background',
    `Exec=${desktopExec([program, HIDDEN_SWITCH])}`,
    'Icon=ferry',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Characters that make an Exec argument need quotes (the spec's reserved characters). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * An Exec value: each argument quoted when it holds a reserved character (with `"`,
 * `` ` ``, `$` and `\` escaped inside the quotes), `%` doubled (field codes), then the
 * whole written as a string value (a backslash doubled again). A line break cannot be
 * expressed: refused.
 */
export function desktopExec(args: readonly string[]): string {
  return args
    .map((arg) => {
      if (/[\n\r]/.test(arg)) throw new Error(`A program path with a line break cannot start at login: ${JSON.stringify(arg)}`);
      const quoted = RESERVED.test(arg) || arg === '' ? `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : arg;
      return quoted.replace(/%/g, '%%').replace(/\\/g, '\\\\');
    })
    .join(' ');
}

/** Whether this start should show no window: started at login (with the tray to open it from). */
export function startsHidden(argv: readonly string[], platform: NodeJS.Platform, wasOpenedAtLogin: () => boolean): boolean {
  if (argv.includes(HIDDEN_SWITCH)) return true;
  return platform === 'darwin' && wasOpenedAtLogin();
}
