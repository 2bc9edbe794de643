import type { Page } from 'playwright/test';
import { goTo, open, shot } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

/**
 * The console as the desktop app shows it, without Electron: a stand-in preload bridge
 * (window.ferry) answers the shell contract's login-item commands as main would, and
 * carries the engine port over this page's own WebSocket to `ferry serve`.
 */
async function asDesktopApp(page: Page, loginItem: { supported: boolean; enabled: boolean; note: string | null }): Promise<void> {
  // Runs in the page (plain script: this project's node types have no DOM).
  await page.addInitScript(`
    let state = ${JSON.stringify(loginItem)};
    const calls = [];
    window.shellCalls = calls;
    window.ferry = {
      platform: 'linux',
      async invokeShell(method, params) {
        calls.push([method, params]);
        if (method === 'shell.getLoginItem') return { ok: true, result: state };
        if (method === 'shell.setLoginItem' && state.supported) {
          state = { ...state, enabled: params.enabled === true };
          return { ok: true, result: state };
        }
        return { ok: false, error: { code: 'unknown_command', message: method + ' is not served here.' } };
      },
      requestEnginePort(nonce) {
        const { port1, port2 } = new MessageChannel();
        const socket = new WebSocket(new URL('/rpc', window.location.href.replace(/^http/, 'ws')));
        port2.onmessage = (event) => socket.send(JSON.stringify(event.data));
        socket.addEventListener('message', (event) => port2.postMessage(JSON.parse(String(event.data))));
        socket.addEventListener('close', () => port2.close());
        socket.addEventListener('open', () => window.postMessage({ type: 'ferry:engine-port', nonce }, window.location.origin, [port1]));
      },
    };
  `);
}

test('Settings in the desktop app: start at login, through the shell contract', async ({ page, served }) => {
  await asDesktopApp(page, { supported: true, enabled: false, note: null });
  await open(page, served.url);
  await goTo(page, 'Settings');
  const section = page.getByRole('region', { name: 'Desktop app' });
  await expect(section).toBeVisible();
  await expect(page.getByText('Electron message port')).toBeVisible();
  const toggle = section.getByRole('switch', { name: 'Start at login' });
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(toggle).toBeChecked();
  expect(await page.evaluate('window.shellCalls')).toEqual([
    ['shell.getLoginItem', {}],
    ['shell.setLoginItem', { enabled: true }],
  ]);
  await shot(page, 'settings-desktop-start-at-login');
});

test('Settings in the desktop app: start at login not offered, with the reason', async ({ page, served }) => {
  const note = 'Start at login is offered by the installed app only: this development build has no program of its own to start.';
  await asDesktopApp(page, { supported: false, enabled: false, note });
  await open(page, served.url);
  await goTo(page, 'Settings');
  const section = page.getByRole('region', { name: 'Desktop app' });
  await expect(section.getByRole('switch', { name: 'Start at login' })).toBeDisabled();
  await expect(section.getByText(note)).toBeVisible();
});

test('Settings in the browser console: no desktop section', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Settings');
  await expect(page.getByRole('region', { name: 'Engine' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Desktop app' })).toHaveCount(0);
  await shot(page, 'settings-browser');
});
