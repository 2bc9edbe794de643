/**
 * The desktop app end to end: launches the real Electron app (dist/ must be built) with
 * a fresh data folder. Skips, saying why, where no Electron runtime is installed (it
 * cannot be downloaded everywhere); ELECTRON_OVERRIDE_DIST_PATH points at one.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication } from 'playwright';
import { expect, test } from 'playwright/test';

interface ElectronPathModule {
  findElectronBinary(): { path: string } | { missing: string };
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const screenshotFile = path.join(repoRoot, 'e2e', 'artifacts', 'electron-repositories.png');

/** scripts/electron-path.mjs finds the binary without triggering Electron's download. */
async function findElectron(): Promise<{ path: string } | { missing: string }> {
  // A computed specifier: the .mjs has no type declarations.
  const specifier = new URL('../../scripts/electron-path.mjs', import.meta.url).href;
  const module = (await import(specifier)) as ElectronPathModule;
  return module.findElectronBinary();
}

test.describe('desktop app (Electron)', () => {
  let app: ElectronApplication | undefined;
  let dataDir: string | undefined;

  test.afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  test('opens the console on the bridge and the engine, and shows the repositories', async () => {
    const found = await findElectron();
    if ('missing' in found) {
      const reason = `Electron runtime not found (${found.missing}); set ELECTRON_OVERRIDE_DIST_PATH to run the desktop app test.`;
      console.log(`[e2e/electron] skipped: ${reason}`);
      test.skip(true, reason);
      return;
    }
    expect(existsSync(path.join(repoRoot, 'dist', 'main', 'main.cjs')), 'dist/main/main.cjs exists (npm run build)').toBe(true);
    expect(existsSync(path.join(repoRoot, 'dist', 'engine', 'utility.cjs')), 'dist/engine/utility.cjs exists').toBe(true);
    expect(existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html')), 'dist/renderer/index.html exists').toBe(true);

    dataDir = await mkdtemp(path.join(tmpdir(), 'ferry-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE' && key !== 'FERRY_RENDERER_URL' && key !== 'FERRY_DATA_DIR') {
        env[key] = value;
      }
    }
    app = await electron.launch({
      executablePath: found.path,
      args: ['.', `--data-dir=${dataDir}`],
      cwd: repoRoot,
      env,
      timeout: 60_000,
    });
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');

    // The page sees the bridge and nothing of Node.
    const globals = await window.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      const bridge = scope['ferry'] as Record<string, unknown> | undefined;
      return {
        ferry: typeof bridge,
        bridgeKeys: bridge ? Object.keys(bridge).sort() : [],
        require: typeof scope['require'],
        process: typeof scope['process'],
        module: typeof scope['module'],
        Buffer: typeof scope['Buffer'],
      };
    });
    expect(globals).toEqual({
      ferry: 'object',
      bridgeKeys: ['invokeShell', 'platform', 'requestEnginePort'],
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });

    // Main answers shell calls through the contract (validation happens in main).
    const badCall = await window.evaluate(async () => {
      const bridge = (globalThis as unknown as { ferry: { invokeShell(m: string, p: unknown): Promise<unknown> } }).ferry;
      return bridge.invokeShell('shell.noSuchCommand', {});
    });
    expect(badCall).toMatchObject({ ok: false, error: { code: 'unknown_command' } });

    // The page comes from the app's own scheme, and no secret is reachable over IPC.
    expect(window.url()).toMatch(/^ferry:\/\/app\/index\.html(#.*)?$/);
    const secretCall = await window.evaluate(async () => {
      const bridge = (globalThis as unknown as { ferry: { invokeShell(m: string, p: unknown): Promise<unknown> } }).ferry;
      return bridge.invokeShell('secrets.get', { key: 'engine/secrets-file-key' });
    });
    expect(secretCall).toMatchObject({ ok: false, error: { code: 'unknown_command' } });

    // The engine (utility process) answers through the brokered port.
    await window.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Repositories' }).click();
    await expect(window.getByText('Default repository').first()).toBeVisible({ timeout: 30_000 });

    await mkdir(path.dirname(screenshotFile), { recursive: true });
    await window.screenshot({ path: screenshotFile });
  });
});
