import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright/test';
import { S3RVER_KEY, startS3Server } from '../../test/storage/s3-server.ts';
import { checkAndShoot, PICTURES, shoot } from './axe.ts';
import { addFolderRepository, dismissNotices, goTo, jobRow, open, repositoryCell } from './console-helpers.ts';
import { artifacts, expect, test } from './serve-fixture.ts';

/**
 * The admin's story of issue 20, through the console only: repositories, a folder
 * backup job and backup copy jobs made in their wizards, run, watched, edited, and
 * every session in History. One served engine; every wizard step it passes is checked
 * for sideways scrolling at both sizes, and with pictures also with axe and shot light
 * and dark (e2e/artifacts/story-*).
 */

/** Moves the pointer off every control (a tooltip would cover the picture) and closes notices. */
async function quiet(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await dismissNotices(page);
}

/** Adds an S3 repository through the Repositories page's dialog, after testing the connection. */
async function addS3Repository(page: Page, name: string, s3: { endpoint: string; bucket: string }, prefix: string): Promise<void> {
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  await dialog.getByRole('group', { name: 'Storage type' }).getByRole('button', { name: 'S3-compatible' }).click();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Endpoint URL').fill(s3.endpoint);
  await dialog.getByLabel('Bucket').fill(s3.bucket);
  await dialog.getByLabel('Prefix').fill(prefix);
  await dialog.getByLabel('Access key').fill(S3RVER_KEY);
  await dialog.getByLabel('Secret key').fill(S3RVER_KEY);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'reachable and writable' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The open wizard dialog (New …, Edit “…”, Clone “…”). */
function wizard(page: Page, title: string): Locator {
  return page.getByRole('dialog', { name: title });
}

/**
 * The step the wizard shows now must be `label`, with no sideways scrolling at either
 * size. With pictures it is also checked with axe and shot with real data; without them
 * (CI) the axe check is left to the wizard specs, which pass every step of both wizards
 * through it: here it would only repeat them, at CI's cost.
 */
async function passStep(page: Page, dialog: Locator, label: string, shotName: string): Promise<void> {
  await expect(dialog.getByRole('heading', { level: 3, name: label, exact: true })).toBeVisible();
  await page.mouse.move(1, 1);
  await (PICTURES ? checkAndShoot(page, shotName) : shoot(page, shotName));
}

async function next(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
}

/** Picks an option of a select by the start of its text (options also name a location). */
async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
  await expect(select).toContainText(option);
}

test("the admin's story: repositories, a folder backup job and backup copy jobs to a folder and to S3 made in their wizards, run, watched and edited, and History", async ({ page, served }) => {
  // With pictures every wizard step goes through axe and four to eight screenshots:
  // minutes on a busy machine. Without them (CI) a hang must not burn half of CI's time.
  test.setTimeout(PICTURES ? 480_000 : 180_000);
  const cleanups: (() => Promise<void>)[] = [];
  const docs = `${served.dataDir}-docs`;
  cleanups.push(() => rm(docs, { recursive: true, force: true }));
  try {
    const s3 = await startS3Server({ after: (fn) => cleanups.push(fn) }, 'ferry-story');
    // A generated folder: text that compresses, and random bytes that don't (the copy's throttle has something to hold back).
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(800));
    await writeFile(path.join(docs, 'scan.raw'), randomBytes(768 * 1024));

    // The transfer window denies tomorrow's first hours (today stays open, so runs go now).
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toLocaleDateString('en-US', { weekday: 'long' });
    await open(page, served.url);

    await test.step('two folder repositories and an S3 one', async () => {
      await goTo(page, 'Repositories');
      await addFolderRepository(page, 'Office NAS', path.join(served.dataDir, 'office-nas'));
      await addFolderRepository(page, 'Offsite disk', path.join(served.dataDir, 'offsite-disk'));
      await addS3Repository(page, 'Cloud bucket', s3, 'ferry');
      await expect(await repositoryCell(page, 'Cloud bucket', 'Space')).toContainText('Object storage');
      await expect(page.getByRole('table', { name: 'Repositories' }).getByRole('row')).toHaveCount(5);
      await quiet(page);
      await checkAndShoot(page, 'story-repositories');
    });

    await test.step('a folder backup job of the generated folder, through its wizard, with a schedule, run', async () => {
      await goTo(page, 'Jobs');
      await page.getByRole('button', { name: 'New folder backup job' }).click();
      const dialog = wizard(page, 'New folder backup job');
      await dialog.getByLabel('Job name').fill('Office documents');
      await dialog.getByLabel('Description').fill('Letters and figures of the office.');
      await passStep(page, dialog, 'Job', 'story-folder-1-job');
      await next(dialog);
      await dialog.getByLabel('Workload name').fill('documents');
      await dialog.getByLabel('Folders').fill(docs);
      await passStep(page, dialog, 'Workloads', 'story-folder-2-workloads');
      await next(dialog);
      await choose(page, dialog.getByRole('combobox', { name: 'Target repository' }), 'Office NAS');
      await passStep(page, dialog, 'Target', 'story-folder-3-target');
      await next(dialog);
      await passStep(page, dialog, 'Storage', 'story-folder-4-storage');
      await next(dialog);
      await dialog.getByRole('radio', { name: 'Periodically' }).check();
      await dialog.getByRole('textbox', { name: 'Every', exact: true }).fill('1');
      await choose(page, dialog.getByRole('combobox', { name: 'Unit' }), 'days');
      await expect(dialog.getByRole('region', { name: 'Next runs' }).getByRole('listitem')).toHaveCount(5);
      await passStep(page, dialog, 'Schedule', 'story-folder-5-schedule');
      await next(dialog);
      await expect(dialog.getByRole('definition').filter({ hasText: 'Every day' })).toBeVisible();
      await expect(dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' })).toBeChecked();
      await passStep(page, dialog, 'Summary', 'story-folder-6-summary');
      await dialog.getByRole('button', { name: 'Finish' }).click();
      await expect(dialog).toBeHidden();
      await expect(jobRow(page, 'Office documents').getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    });

    await test.step('a backup copy job of it to the second repository, through its wizard, run', async () => {
      await page.getByRole('button', { name: 'New backup copy job' }).click();
      const dialog = wizard(page, 'New backup copy job');
      await dialog.getByLabel('Job name').fill('Offsite copy');
      await dialog.getByLabel('Description').fill('The office backups, again on the offsite disk.');
      await passStep(page, dialog, 'Job', 'story-copy-1-job');
      await next(dialog);
      await dialog.getByRole('group', { name: 'Kind of source' }).getByRole('button', { name: 'Jobs' }).click();
      await choose(page, dialog.getByRole('combobox', { name: 'Job' }), 'Office documents');
      await dialog.getByRole('button', { name: 'Add source' }).click();
      const preview = dialog.getByRole('table', { name: 'Workloads the job would process' });
      await expect(preview.getByRole('row').filter({ hasText: 'documents' })).toBeVisible();
      await passStep(page, dialog, 'Objects', 'story-copy-2-objects');
      await next(dialog);
      await choose(page, dialog.getByRole('combobox', { name: 'Target repository' }), 'Offsite disk');
      // GFS on: a weekly and a monthly point kept besides the newest ones, seen on the timeline.
      await dialog.getByRole('checkbox', { name: 'Weekly points' }).check();
      await dialog.getByRole('checkbox', { name: 'Monthly points' }).check();
      await expect(dialog.getByRole('region', { name: 'Retention timeline' })).toBeVisible();
      await passStep(page, dialog, 'Target', 'story-copy-3-target');
      await next(dialog);
      await passStep(page, dialog, 'Map backup', 'story-copy-4-map');
      await next(dialog);
      await passStep(page, dialog, 'Advanced', 'story-copy-5-advanced');
      await next(dialog);
      // Throttled: at 0.1 MB/s the first run's ~0.8 MB take seconds, long enough to watch.
      await dialog.getByRole('switch', { name: "Limit this job's bandwidth" }).check();
      await dialog.getByRole('textbox', { name: 'Limit (MB/s)' }).fill('0.1');
      await passStep(page, dialog, 'Data path', 'story-copy-6-data-path');
      await next(dialog);
      await dialog.getByRole('radio', { name: 'Periodically' }).check();
      await dialog.getByRole('textbox', { name: 'Every', exact: true }).fill('6');
      await choose(page, dialog.getByRole('combobox', { name: 'Unit' }), 'hours');
      // The window: tomorrow's first six hours denied, by dragging over them (today stays open, so the run goes now).
      await dialog.getByRole('switch', { name: 'Transfer only in chosen hours' }).check();
      const grid = dialog.getByRole('grid', { name: 'Transfer window' });
      // The drag must land on the grid, not on a notice over it.
      await dismissNotices(page);
      await grid.getByRole('gridcell', { name: new RegExp(`^${tomorrow} 05:00`) }).scrollIntoViewIfNeeded();
      const from = (await grid.getByRole('gridcell', { name: new RegExp(`^${tomorrow} 00:00`) }).boundingBox())!;
      const to = (await grid.getByRole('gridcell', { name: new RegExp(`^${tomorrow} 05:00`) }).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
      await page.mouse.up();
      await expect(grid.getByRole('gridcell', { name: new RegExp(`^${tomorrow} 05:00.*denied`) })).toBeVisible();
      await expect(dialog.getByRole('region', { name: 'Next runs' }).getByRole('listitem')).toHaveCount(5);
      await passStep(page, dialog, 'Schedule', 'story-copy-7-schedule');
      await next(dialog);
      const summary = dialog.getByRole('definition');
      await expect(summary.filter({ hasText: 'Every 6 hours' })).toContainText(`Transfers only in these hours`);
      await expect(summary.filter({ hasText: 'Copies go to Offsite disk' })).toContainText(/weekly/i);
      await expect(dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' })).toBeChecked();
      await passStep(page, dialog, 'Summary', 'story-copy-8-summary');
      await dialog.getByRole('button', { name: 'Finish' }).click();
      await expect(dialog).toBeHidden();
      // Its progress, watched in the job list: working, with a progress bar and the live session a click away.
      const row = jobRow(page, 'Offsite copy');
      await expect(row.getByRole('progressbar', { name: 'Offsite copy progress' })).toBeVisible();
      await expect(row.getByRole('button', { name: /: open the live session of Offsite copy$/ })).toBeVisible();
      await page.mouse.move(1, 1);
      if (PICTURES) await page.screenshot({ path: path.join(artifacts, 'story-jobs-running.png'), animations: 'disabled' });
      await expect(row.getByText('Success', { exact: true })).toBeVisible({ timeout: 60_000 });
      await quiet(page);
      await checkAndShoot(page, 'story-jobs');
    });

    await test.step('the copy job edited: the wizard comes back filled in, and the new schedule shows in the job list', async () => {
      const row = jobRow(page, 'Offsite copy');
      await expect(row).toContainText('Every 6 hours');
      await row.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Edit…' }).click();
      const dialog = wizard(page, 'Edit “Offsite copy”');
      await expect(dialog.getByLabel('Job name')).toHaveValue('Offsite copy');
      const steps = dialog.getByRole('navigation', { name: 'Steps' });
      await steps.getByRole('tab', { name: 'Data path' }).click();
      await expect(dialog.getByRole('textbox', { name: 'Limit (MB/s)' })).toHaveValue(/^0\.1/);
      await steps.getByRole('tab', { name: 'Schedule' }).click();
      await expect(dialog.getByRole('grid', { name: 'Transfer window' }).getByRole('gridcell', { name: new RegExp(`^${tomorrow} 05:00.*denied`) })).toBeVisible();
      await dialog.getByRole('textbox', { name: 'Every', exact: true }).fill('12');
      await steps.getByRole('tab', { name: 'Summary' }).click();
      await expect(dialog.getByRole('definition').filter({ hasText: 'Every 12 hours' })).toBeVisible();
      await passStep(page, dialog, 'Summary', 'story-edit-summary');
      await dialog.getByRole('button', { name: 'Finish' }).click();
      await expect(dialog).toBeHidden();
      await expect(row).toContainText('Every 12 hours');
      await expect(row).not.toContainText('Every 6 hours');
    });

    await test.step('a second backup copy job, of a chosen workload of the backup, to S3, run', async () => {
      await page.getByRole('button', { name: 'New backup copy job' }).click();
      const dialog = wizard(page, 'New backup copy job');
      await dialog.getByLabel('Job name').fill('Cloud copy');
      await next(dialog);
      await dialog.getByRole('group', { name: 'Kind of source' }).getByRole('button', { name: 'Backups' }).click();
      await choose(page, dialog.getByRole('combobox', { name: 'Backup' }), 'Office documents on Office NAS');
      await dialog.getByRole('checkbox', { name: 'documents' }).check();
      await dialog.getByRole('button', { name: 'Add source' }).click();
      await expect(dialog.getByRole('table', { name: 'Workloads the job would process' }).getByRole('row').filter({ hasText: 'documents' })).toBeVisible();
      await passStep(page, dialog, 'Objects', 'story-cloud-2-objects');
      await next(dialog);
      await choose(page, dialog.getByRole('combobox', { name: 'Target repository' }), 'Cloud bucket');
      for (const step of ['Map backup', 'Advanced', 'Data path', 'Schedule', 'Summary']) {
        await next(dialog);
        await expect(dialog.getByRole('heading', { level: 3, name: step, exact: true })).toBeVisible();
      }
      await dialog.getByRole('button', { name: 'Finish' }).click();
      await expect(dialog).toBeHidden();
      await expect(jobRow(page, 'Cloud copy').getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    });

    await test.step('History shows every session', async () => {
      await goTo(page, 'History');
      const sessions = page.getByRole('table', { name: 'Sessions' });
      for (const job of ['Office documents', 'Offsite copy', 'Cloud copy']) await expect(sessions.getByRole('link', { name: job })).toHaveCount(1);
      await quiet(page);
      await checkAndShoot(page, 'story-history');
      // Filtered by job: only that job's sessions.
      await choose(page, page.getByRole('combobox', { name: 'Job' }), 'Cloud copy');
      await expect(sessions.getByRole('link')).toHaveCount(1);
      await expect(sessions.getByRole('link', { name: 'Cloud copy' })).toBeVisible();
      // The throttled copy's session: its workload, its transfer rate over the run, its log.
      await choose(page, page.getByRole('combobox', { name: 'Job' }), 'Offsite copy');
      await sessions.getByRole('link', { name: 'Offsite copy' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Offsite copy' })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'documents' }).getByText('Success', { exact: true })).toBeVisible();
      await expect(page.getByRole('region', { name: 'Transfer rate' })).toBeVisible();
      await expect(page.getByRole('log', { name: 'Log' })).toContainText('documents: success');
      await quiet(page);
      await checkAndShoot(page, 'story-session-copy');
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
});
