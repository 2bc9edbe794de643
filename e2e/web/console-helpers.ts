import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright/test';
import WebSocket from 'ws';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import { PICTURES } from './axe.ts';
import { artifacts, expect } from './serve-fixture.ts';

export const PAGES = ['Home', 'Jobs', 'Backups', 'Repositories', 'History', 'Settings'] as const;
export type PageName = (typeof PAGES)[number];

/** Opens the printed link and waits for the engine connection. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status').getByText(/^Connected/)).toBeVisible();
}

/** Moves to a page through the main navigation. */
export async function goTo(page: Page, name: PageName): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** A full-page screenshot into e2e/artifacts; none under FERRY_E2E_PICTURES=0. */
export async function shot(page: Page, name: string): Promise<void> {
  if (!PICTURES) return;
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** The row of the repositories table of the repository called `name`. */
export function repositoryRow(page: Page, name: string): Locator {
  const table = page.getByRole('table', { name: 'Repositories' });
  return table.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}

/** A cell of a repository row, by its column header. */
export async function repositoryCell(page: Page, name: string, column: string): Promise<Locator> {
  const headers = await page.getByRole('table', { name: 'Repositories' }).getByRole('columnheader').allTextContents();
  const index = headers.findIndex((header) => header.trim() === column);
  expect(index, `column "${column}" in ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return repositoryRow(page, name).getByRole('cell').nth(index);
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** Runs the CLI, exactly as a user would. */
export async function ferry(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(repoRoot, 'bin', 'ferry.mjs'), ...args], {
    cwd: repoRoot,
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return stdout;
}

/** Backs up a folder with the CLI. */
export function cliBackup(repository: string, job: string, workload: string, folder: string, env: Record<string, string> = {}): Promise<string> {
  return ferry(['backup', repository, '--job', job, '--workload', `${workload}=${folder}`], env);
}

/**
 * A client of the served engine's contract, as any other console would connect: the
 * WebSocket with the printed token. For what the console has no form for yet.
 */
export async function engineClient(consoleUrl: string): Promise<{ client: RpcClient<typeof engineContract>; close: () => void }> {
  const url = new URL(consoleUrl);
  const socket = new WebSocket(`ws://${url.host}/rpc`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { client: new RpcClient(engineContract, webSocketChannel(socket)), close: () => socket.close() };
}

/** Adds a folder repository through the Repositories page's dialog (the page must be open). */
export async function addFolderRepository(page: Page, name: string, folder: string): Promise<void> {
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Folder').fill(folder);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** Closes the snackbar messages, so screenshots show what is under them. */
export async function dismissNotices(page: Page): Promise<void> {
  const notices = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Close' }) });
  while ((await notices.count()) > 0) {
    // A notice may hide by itself meanwhile: then there is nothing left to click.
    await notices
      .first()
      .getByRole('button', { name: 'Close' })
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await page.waitForTimeout(400);
  }
}

/** The job list's row of the job called `name`. */
export function jobRow(page: Page, name: string): Locator {
  return page.getByRole('grid', { name: 'Jobs' }).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
}
