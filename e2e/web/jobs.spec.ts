import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright/test';
import { dismissNotices, goTo, jobRow, open, shot } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

/** A folder next to the served data folder (same temp area), removed after the test. */
function besideDataDir(dataDir: string, name: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}-${name}`);
}

/** Toggles the theme and moves the pointer off the button (its tooltip would cover the page). */
async function toggleTheme(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await page.mouse.move(640, 780);
}

function wizard(page: Page): Locator {
  return page.getByRole('dialog', { name: 'New folder backup job' });
}

/** Fills the wizard from the Job step to the Summary step (no encryption). */
async function fillWizard(dialog: Locator, job: { name: string; workload: string; folder: string; excludes?: string }): Promise<void> {
  await dialog.getByLabel('Job name').fill(job.name);
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByLabel('Workload name').fill(job.workload);
  await dialog.getByLabel('Folders').fill(job.folder);
  if (job.excludes) await dialog.getByLabel('Exclusions').fill(job.excludes);
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('combobox', { name: 'Target repository' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText(/^Compression level/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' })).toBeVisible();
}

test('a folder backup job made in the wizard runs, and its session is in History', async ({ page, served }) => {
  const docs = besideDataDir(served.dataDir, 'docs');
  const missing = besideDataDir(served.dataDir, 'not-there');
  try {
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await mkdir(path.join(docs, 'cache'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(500));
    await writeFile(path.join(docs, 'figures.csv'), 'month,amount\n1,100\n2,250\n');
    await writeFile(path.join(docs, 'scratch.tmp'), 'throwaway');
    await writeFile(path.join(docs, 'cache', 'thumbs.bin'), 'cached');

    await open(page, served.url);
    await goTo(page, 'Jobs');
    await expect(page.getByRole('heading', { name: 'No jobs yet' })).toBeVisible();
    await page.getByRole('button', { name: 'New folder backup job' }).click();
    const dialog = wizard(page);
    await expect(dialog).toBeVisible();

    // Job: an empty name is refused at its field.
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByText('Enter a job name.')).toBeVisible();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await shot(page, 'jobs-wizard-job-error');
    await dialog.getByLabel('Job name').fill('Office documents');
    await dialog.getByLabel('Description').fill('Letters and figures of the office, every evening.');
    await shot(page, 'jobs-wizard-job');
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Workloads: a workload without a folder is refused at its Folders field.
    await dialog.getByLabel('Workload name').fill('documents');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByText('Add at least one folder.')).toBeVisible();
    await expect(dialog.getByLabel('Folders')).toBeFocused();
    await shot(page, 'jobs-wizard-workloads-error');
    await dialog.getByLabel('Folders').fill('documents/here');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByText(/is not a full path/)).toBeVisible();
    await dialog.getByLabel('Folders').fill(docs);
    await dialog.getByLabel('Exclusions').fill('*.tmp\ncache/**');
    await shot(page, 'jobs-wizard-workloads');
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Target: the default repository, 7 restore points.
    await expect(dialog.getByRole('combobox', { name: 'Target repository' })).toHaveText('Default repository');
    await expect(dialog.getByLabel('Restore points to keep')).toHaveValue('7');
    await shot(page, 'jobs-wizard-target');
    // Back keeps what was typed.
    await dialog.getByRole('button', { name: 'Back' }).click();
    await expect(dialog.getByLabel('Folders')).toHaveValue(docs);
    await expect(dialog.getByLabel('Exclusions')).toHaveValue('*.tmp\ncache/**');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Storage: passwords must match; then the backup is left unencrypted.
    await expect(dialog.getByRole('slider', { name: /Compression level/ })).toHaveValue('3');
    await dialog.getByLabel('Encrypt the backup').check();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse battery staple');
    await dialog.getByLabel('Repeat password').fill('correct horse');
    await dialog.getByLabel('Password hint').fill('the comic');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByText('The passwords do not match.')).toBeVisible();
    await expect(dialog.getByText(/A lost password cannot be recovered/)).toBeVisible();
    await shot(page, 'jobs-wizard-storage');
    await dialog.getByLabel('Encrypt the backup').uncheck();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Summary, in words.
    const summary = dialog.getByRole('definition');
    await expect(summary.filter({ hasText: '“Office documents”, a folder backup job' })).toBeVisible();
    await expect(summary.filter({ hasText: 'documents backs up the folder' })).toContainText(docs);
    await expect(summary.filter({ hasText: 'Restore points go to Default repository' })).toContainText('The newest 7 restore points');
    await expect(summary.filter({ hasText: 'Compression level 3' })).toContainText('Not encrypted.');
    await expect(dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' })).toBeChecked();
    await shot(page, 'jobs-wizard-summary');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog).toBeHidden();

    const row = jobRow(page, 'Office documents');
    await expect(row).toBeVisible();
    await expect(row.getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(row.getByRole('button', { name: 'Start Office documents' })).toBeEnabled();
    await expect(row).toContainText('Folder backup');
    await expect(row.locator('[data-field="mode"]')).toHaveText('Manual');
    await expect(row.locator('[data-field="target"]')).toHaveText('Default repository');
    await expect(row.getByText('Idle')).toBeVisible();
    await dismissNotices(page);
    await shot(page, 'jobs-list');

    await goTo(page, 'History');
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await expect(sessions.getByRole('row')).toHaveCount(2);
    await expect(sessions.getByRole('row').nth(1)).toContainText('Success');
    await shot(page, 'history-list');
    await sessions.getByRole('link', { name: 'Office documents' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Office documents' })).toBeVisible();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    const task = tasks.getByRole('row').filter({ hasText: 'documents' });
    await expect(task).toHaveCount(1);
    await expect(task.getByText('Success', { exact: true })).toBeVisible();
    const log = page.getByRole('log', { name: 'Log' });
    await expect(log).toContainText('Backup of 1 workload started: documents.');
    await expect(log).toContainText('documents: success');
    await shot(page, 'history-session');
    await toggleTheme(page);
    await expect(task.getByText('Success', { exact: true })).toBeVisible();
    await shot(page, 'history-session-dark');
    await toggleTheme(page);

    // A second job: its name clashes (the engine says so, on the Job step), then a folder that does not exist.
    await goTo(page, 'Jobs');
    await page.getByRole('button', { name: 'New folder backup job' }).click();
    await expect(dialog).toBeVisible();
    await fillWizard(dialog, { name: 'office documents', workload: 'archive', folder: missing });
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog.getByText('A job named "Office documents" already exists.')).toBeVisible();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await expect(dialog.getByLabel('Job name')).toHaveValue('office documents');
    await dialog.getByLabel('Job name').fill('Old archive');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog.getByLabel('Folders')).toHaveValue(missing);
    for (let step = 0; step < 4; step++) await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    // The engine refuses a folder that does not exist, at the field, in words.
    await expect(dialog.getByText(`${missing} does not exist.`)).toBeVisible();
    await expect(dialog.getByLabel('Folders')).toHaveValue(missing);
    // There when the job is made, gone by its run: the run fails.
    await mkdir(missing, { recursive: true });
    for (let step = 0; step < 4; step++) await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' }).uncheck();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog).toBeHidden();
    await rm(missing, { recursive: true });
    await jobRow(page, 'Old archive').getByRole('button', { name: 'Start Old archive' }).click();

    const failedRow = jobRow(page, 'Old archive');
    await expect(failedRow.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('2 jobs · 1 failed last time')).toBeVisible();
    await dismissNotices(page);
    await toggleTheme(page);
    await shot(page, 'jobs-list-dark');
    await toggleTheme(page);

    // Home sums the jobs up: no getting-started card, their last results, the newest sessions.
    await goTo(page, 'Home');
    await expect(page.getByRole('region', { name: 'Recent sessions' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No jobs yet' })).toHaveCount(0);
    const lastResults = page.getByRole('group', { name: 'Last results' });
    await expect(lastResults.getByText('1 failed', { exact: true })).toBeVisible();
    await expect(lastResults.getByText('1 succeeded', { exact: true })).toBeVisible();
    const recent = page.getByRole('region', { name: 'Recent sessions' });
    await expect(recent.getByRole('listitem')).toHaveCount(2);
    await expect(recent.getByRole('listitem').filter({ hasText: 'Old archive' }).getByText('Failed', { exact: true })).toBeVisible();
    await expect(recent.getByRole('listitem').filter({ hasText: 'Office documents' }).getByText('Success', { exact: true })).toBeVisible();
    await expect(recent).toContainText('Last 24 hours: 2 runs · 1 failed · 1 succeeded');
    await dismissNotices(page);
    await shot(page, 'home-jobs');
    await toggleTheme(page);
    await shot(page, 'home-jobs-dark');
    await toggleTheme(page);

    await goTo(page, 'History');
    await page.getByRole('combobox', { name: 'Result' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    await expect(sessions.getByRole('row')).toHaveCount(2);
    await sessions.getByRole('link', { name: 'Old archive' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Old archive' })).toBeVisible();
    const failedTask = page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'archive' });
    await expect(failedTask.getByText('Failed', { exact: true })).toBeVisible();
    await expect(failedTask).toContainText(`The folder ${missing} of workload archive cannot be read`);
    await expect(page.getByRole('log', { name: 'Log' }).locator('[data-level="error"]')).not.toHaveCount(0);
    await shot(page, 'history-session-failed');

    // Deleting a job asks first and keeps its sessions.
    await goTo(page, 'Jobs');
    await jobRow(page, 'Old archive').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete job “Old archive”?' });
    await expect(confirm).toContainText('Ferry forgets the job and its settings');
    await shot(page, 'jobs-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete job' }).click();
    await expect(confirm).toBeHidden();
    await expect(jobRow(page, 'Old archive')).toHaveCount(0);
    await goTo(page, 'History');
    await expect(sessions.getByRole('row')).toHaveCount(3);
    await expect(sessions.getByText('Folder backup · job deleted')).toBeVisible();
  } finally {
    await rm(docs, { recursive: true, force: true });
  }
});
