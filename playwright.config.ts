import { defineConfig } from 'playwright/test';
import { chromiumExecutable } from './e2e/chromium.ts';

/**
 * Two projects: the console served by the headless host in Debian Chromium, and the
 * real Electron app (skips itself, saying why, where no Electron binary exists).
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two spec files at once (each serves its own engine on its own data folder): much of
  // a test waits on the engine and Chromium, and one at a time took ~9 of CI's 15 minutes.
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'console',
      testDir: 'e2e/web',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
