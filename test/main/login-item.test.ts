import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from 'electron';
import { AUTOSTART_FILE, autostartDir, desktopExec, HIDDEN_SWITCH, loginItem, type LoginItemOptions, startsHidden } from '../../main/login-item.ts';

/** Electron's login item as a record: what was set, and what the OS reports back. */
function fakeApp(report: Partial<{ status: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found'; executableWillLaunchAtLogin: boolean }> = {}) {
  const set: Settings[] = [];
  let openAtLogin = false;
  const app: LoginItemOptions['app'] = {
    getLoginItemSettings: () => ({
      openAtLogin,
      status: report.status ?? (openAtLogin ? 'enabled' : 'not-registered'),
      executableWillLaunchAtLogin: report.executableWillLaunchAtLogin ?? openAtLogin,
    }),
    setLoginItemSettings: (settings) => {
      set.push(settings);
      openAtLogin = settings.openAtLogin ?? false;
    },
  };
  return { app, set };
}

const base = { packaged: true, program: '/opt/Ferry/ferry', env: {}, home: '/home/ann' } as const;

describe('start at login', () => {
  it('Windows: the login item starts Ferry hidden; turned off in Task Manager is said so', async () => {
    const { app, set } = fakeApp();
    const item = loginItem({ ...base, platform: 'win32', app });
    assert.deepEqual(await item.get(), { supported: true, enabled: false, note: null });
    assert.deepEqual(await item.set(true), { supported: true, enabled: true, note: null });
    assert.deepEqual(set, [{ openAtLogin: true, args: [HIDDEN_SWITCH] }]);
    await item.set(false);
    assert.deepEqual(set[1], { openAtLogin: false, args: [HIDDEN_SWITCH] });

    const disabled = loginItem({ ...base, platform: 'win32', app: fakeApp({ executableWillLaunchAtLogin: false }).app });
    const state = await disabled.set(true);
    assert.equal(state.enabled, false);
    assert.match(state.note ?? '', /Task Manager/);
  });

  it('macOS: the login item, and the approval macOS may ask for', async () => {
    const { app, set } = fakeApp();
    assert.deepEqual(await loginItem({ ...base, platform: 'darwin', app }).set(true), { supported: true, enabled: true, note: null });
    assert.deepEqual(set, [{ openAtLogin: true }], 'macOS takes no arguments: wasOpenedAtLogin says hidden');
    const waiting = await loginItem({ ...base, platform: 'darwin', app: fakeApp({ status: 'requires-approval' }).app }).get();
    assert.equal(waiting.enabled, false);
    assert.match(waiting.note ?? '', /System Settings → General → Login Items/);
  });

  it('a development build offers nothing and touches nothing', async () => {
    const { app, set } = fakeApp();
    const item = loginItem({ ...base, packaged: false, platform: 'win32', app });
    const state = await item.set(true);
    assert.equal(state.supported, false);
    assert.match(state.note ?? '', /installed app/);
    assert.deepEqual(set, []);
  });

  it('Linux: an XDG autostart entry in $XDG_CONFIG_HOME/autostart, written, read back and removed', async (t) => {
    const home = await mkdtemp(path.join(tmpdir(), 'ferry-login-item-'));
    t.after(() => rm(home, { recursive: true, force: true }));
    const configHome = path.join(home, 'config');
    const program = '/tmp/.mount_Ferry x$1/Ferry 100%.AppImage';
    const item = loginItem({ ...base, platform: 'linux', app: fakeApp().app, program, env: { XDG_CONFIG_HOME: configHome }, home });
    assert.deepEqual(await item.get(), { supported: true, enabled: false, note: null });
    assert.deepEqual(await item.set(true), { supported: true, enabled: true, note: null });
    const file = path.join(configHome, 'autostart', AUTOSTART_FILE);
    const text = await readFile(file, 'utf8');
    assert.match(text, /^\[Desktop Entry\]\nType=Application\n/);
    assert.ok(text.includes('\nExec="/tmp/.mount_Ferry x\\\\$1/Ferry 100%%.AppImage" --hidden\n'), text);
    assert.equal((await stat(file)).mode & 0o777, 0o644);
    const validator = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
    if (!validator.error) assert.equal(validator.status, 0, `${validator.stdout}${validator.stderr}`);

    // Turned off by the desktop's own settings, or pointing at another Ferry: said so.
    await writeFile(file, `${text}Hidden=true\n`);
    assert.equal((await item.get()).enabled, false);
    await writeFile(file, text.replace(/^Exec=.*$/m, 'Exec=/usr/bin/other --hidden'));
    assert.match((await item.get()).note ?? '', /starts another program than this Ferry/);

    assert.deepEqual(await item.set(false), { supported: true, enabled: false, note: null });
    await assert.rejects(stat(file), { code: 'ENOENT' });
    assert.deepEqual(await item.set(false), { supported: true, enabled: false, note: null }, 'off twice is fine');
  });

  it('Linux: ~/.config/autostart when XDG_CONFIG_HOME is unset or not absolute', () => {
    assert.equal(autostartDir({}, '/home/ann'), '/home/ann/.config/autostart');
    assert.equal(autostartDir({ XDG_CONFIG_HOME: 'relative' }, '/home/ann'), '/home/ann/.config/autostart');
    assert.equal(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/ann'), '/cfg/autostart');
  });

  it('quotes Exec arguments as the Desktop Entry Specification asks', () => {
    assert.equal(desktopExec(['/opt/Ferry/ferry', '--hidden']), '/opt/Ferry/ferry --hidden');
    assert.equal(desktopExec(['/opt/My Apps/ferry']), '"/opt/My Apps/ferry"');
    // Inside quotes " ` $ \ take a backslash; then the string value doubles every backslash.
    assert.equal(desktopExec(['/a"b`c$d\\e']), '"/a\\\\"b\\\\`c\\\\$d\\\\\\\\e"');
    assert.equal(desktopExec(['/50%/ferry']), '/50%%/ferry');
    assert.throws(() => desktopExec(['/a\nb']), /line break/);
  });

  it('starts hidden when started at login: --hidden, or macOS says so', () => {
    assert.equal(startsHidden(['/opt/Ferry/ferry', '--hidden'], 'linux', () => false), true);
    assert.equal(startsHidden(['/opt/Ferry/ferry'], 'linux', () => true), false);
    assert.equal(startsHidden(['/Applications/Ferry.app/Contents/MacOS/Ferry'], 'darwin', () => true), true);
    assert.equal(startsHidden(['/Applications/Ferry.app/Contents/MacOS/Ferry'], 'darwin', () => false), false);
  });
});
