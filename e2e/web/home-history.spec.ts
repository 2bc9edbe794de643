import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page, WebSocketRoute } from 'playwright/test';
import { checkAndShoot } from './axe.ts';
import { dismissNotices, engineClient, goTo, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

type Client = Awaited<ReturnType<typeof engineClient>>['client'];

/** Runs a job through the contract and waits for its session to end. */
async function runToEnd(client: Client, jobId: string): Promise<string> {
  const { sessionId } = await client.call('jobs.start', { id: jobId });
  await expect.poll(async () => (await client.call('sessions.get', { id: sessionId })).endedAt, { timeout: 30_000 }).not.toBeNull();
  return sessionId;
}

async function quiet(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await dismissNotices(page);
}

/**
 * Home and History with a success, a failure, a stop and a copy: Home lists what needs
 * the admin (a stop does not), History filters by job, result and dates, a session shows
 * its rate, bytes in words and its log for the clipboard, and an unfinished session says
 * its state is unknown while the engine cannot be reached instead of counting on.
 */
test('home and history: failures without stops, filters, a session, and a session while the engine is away', async ({ page, served, context }) => {
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // The console's WebSocket goes through here, so the test can take the engine away from the page.
  let engineAway = false;
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/rpc$/, (socket) => {
    if (engineAway) return void socket.close();
    socket.connectToServer();
    sockets.push(socket);
  });

  const docs = `${served.dataDir}-docs`;
  const scans = `${served.dataDir}-scans`;
  const engine = await engineClient(served.url);
  try {
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank, '.repeat(20_000));
    // Incompressible: the throttled copy of it takes some seconds, enough for a rate chart.
    await writeFile(path.join(docs, 'scan.raw'), randomBytes(600 * 1024));
    await mkdir(scans, { recursive: true });
    const sleep = path.join(served.dataDir, 'wait.sh');
    await writeFile(sleep, '#!/bin/sh\nsleep 60\n');
    await chmod(sleep, 0o755);

    const { client } = engine;
    const offsite = await client.call('repos.add', { name: 'Offsite disk', location: { kind: 'local', path: path.join(served.dataDir, 'offsite') } });
    const [primary] = await client.call('repos.list', {});
    const folderJob = (name: string, folder: string, extra: object = {}) =>
      client.call('jobs.create', {
        definition: { kind: 'folder-backup', name, repositoryId: primary!.id, workloads: [{ name: 'files', folders: [folder] }], ...extra },
      });
    const office = await folderJob('Office documents', docs, { schedule: { mode: 'daily', at: '21:00', weekdays: [1, 2, 3, 4, 5] } });
    const broken = await folderJob('Scanner inbox', scans);
    const slow = await folderJob('Slow job', docs, { scripts: { before: { path: sleep, args: [], timeoutSeconds: 120 }, after: null } });
    await runToEnd(client, office.id);
    await rm(scans, { recursive: true });
    await runToEnd(client, broken.id);
    const copy = await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        sources: [{ kind: 'job', jobId: office.id }],
        repositoryId: offsite.id,
        dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 64 * 1024 },
      },
    });
    const copySession = await runToEnd(client, copy.id);
    // A stop by the admin: its own result, not a failure.
    const { sessionId: stopped } = await client.call('jobs.start', { id: slow.id });
    await client.call('jobs.stop', { id: slow.id });
    await expect.poll(async () => (await client.call('sessions.get', { id: stopped })).result, { timeout: 30_000 }).toBe('stopped');

    await open(page, served.url);
    const problems = page.getByRole('region', { name: 'Failures and warnings' });
    await expect(problems.getByRole('link', { name: 'Scanner inbox' })).toBeVisible();
    await expect(problems.getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('group', { name: 'Last results' })).toContainText('1 failed');
    await expect(page.getByRole('group', { name: 'Last results' })).toContainText('1 stopped');
    await expect(page.getByRole('region', { name: 'Next runs' })).toContainText('Office documents');
    await expect(page.getByRole('region', { name: 'RPO warnings' })).toContainText('within its RPO');
    const capacity = page.getByRole('region', { name: 'Capacity and growth' });
    await expect(capacity.getByRole('listitem', { name: 'Offsite disk' })).toBeVisible();
    // A sample an hour at most: within the test, one sample, said in words.
    await expect(capacity.getByRole('listitem', { name: 'Offsite disk' })).toContainText(/ of backups stored; growth shows after the next sample\./);
    // Two weeks of daily samples, as the engine keeps them (written into its catalog): a chart, and the growth in words.
    const [usage] = await client.call('repos.usage', { repositoryId: primary!.id });
    const now = usage!.samples.at(-1)!;
    const catalog = new DatabaseSync(path.join(served.dataDir, 'catalog.sqlite'));
    const insert = catalog.prepare('INSERT INTO repository_usage (repository_id, at, stored_bytes, free_bytes, total_bytes) VALUES (?, ?, ?, ?, ?)');
    for (let day = 14; day >= 1; day--) {
      insert.run(primary!.id, new Date(Date.now() - day * 86_400_000).toISOString(), Math.round((now.storedBytes * (15 - day)) / 15), now.freeBytes, now.totalBytes);
    }
    catalog.close();
    await page.reload();
    await expect(capacity.getByRole('img', { name: /^Backups stored in Default repository: .+ of backups stored; grew .+ since / })).toBeVisible();
    await quiet(page);
    await checkAndShoot(page, 'home-growth');

    // History: by job, by result, by dates (a range that ends before it starts is said at the field).
    await goTo(page, 'History');
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await expect(sessions.getByRole('row')).toHaveCount(5);
    await page.getByRole('combobox', { name: 'Result' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    await expect(sessions.getByRole('row')).toHaveCount(2);
    await expect(sessions.getByRole('link', { name: 'Scanner inbox' })).toBeVisible();
    await page.getByRole('combobox', { name: 'Result' }).click();
    await page.getByRole('option', { name: 'Stopped' }).click();
    await expect(sessions.getByRole('link')).toHaveText(['Slow job']);
    await page.getByRole('combobox', { name: 'Result' }).click();
    await page.getByRole('option', { name: 'All results' }).click();
    await page.getByRole('combobox', { name: 'Job' }).click();
    await page.getByRole('option', { name: 'Offsite copy' }).click();
    await expect(sessions.getByRole('link')).toHaveText(['Offsite copy']);
    const today = new Date();
    const day = (offset: number) => {
      const date = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    };
    await page.getByLabel('From', { exact: true }).fill(day(1));
    await expect(sessions).toContainText('No sessions match these filters.');
    await page.getByLabel('To', { exact: true }).fill(day(0));
    await expect(page.getByText('The range ends before it starts: choose a later date.')).toBeVisible();
    await page.getByLabel('From', { exact: true }).fill(day(0));
    await expect(sessions.getByRole('link')).toHaveText(['Offsite copy']);

    // A copy session: its bytes in words, its rate, and its log to the clipboard.
    await sessions.getByRole('link', { name: 'Offsite copy' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Offsite copy' })).toBeVisible();
    await expect(page.getByText('Stored chunks read from the source')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Transfer rate' }).getByRole('img', { name: /^Transfer rate over the run: Average .+\/s · peak .+\/s$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Copy log' }).click();
    const { log } = await client.call('sessions.get', { id: copySession });
    const clipboard = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(clipboard.trim().split('\n')).toHaveLength(log.length);
    for (const line of log) expect(clipboard).toContain(line.message);
    // Each line starts with its time in the OS locale, not the catalog's ISO form.
    for (const line of clipboard.trim().split('\n')) expect(line).not.toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The restore point of a task is said in words, never by its hex id.
    await expect(page.getByRole('table', { name: 'Tasks' })).not.toContainText(/[0-9a-f]{8}/);
    await quiet(page);
    await checkAndShoot(page, 'history-session-rate');

    // A running session while the engine is away: its state is unknown, no clock counts on.
    const { sessionId: running } = await client.call('jobs.start', { id: slow.id });
    await page.goto(`${served.url}#/history/${running}`);
    const facts = page.getByRole('definition').filter({ has: page.locator('[data-result]') });
    await expect(facts.getByText('Running')).toBeVisible();
    engineAway = true;
    for (const socket of sockets) await socket.close();
    await expect(page.getByText('Engine unavailable: state unknown').first()).toBeVisible();
    await expect(page.getByText('Running', { exact: true })).toHaveCount(0);
    await checkAndShoot(page, 'history-session-engine-away');
    engineAway = false;
    await page.evaluate('window.dispatchEvent(new Event("online"))');
    await expect(facts.getByText('Running')).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Stop job' }).click();
    await expect(facts.getByText('Stopped')).toBeVisible({ timeout: 30_000 });
  } finally {
    engine.close();
    await rm(docs, { recursive: true, force: true });
  }
});
