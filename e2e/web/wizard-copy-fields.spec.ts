import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright/test';
import { engineClient, goTo, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';
import { look, next } from './wizard-helpers.ts';

/**
 * The steps built on renderer/wizard/fields/: the backup copy job wizard's Target
 * (retention), Advanced, Data path and Schedule, and the folder wizard's Schedule. Each
 * step's bad input shows its message at the field, focused, and Next stays on the step;
 * the transfer window grid by keyboard and by dragging; the previews from the engine;
 * each step through axe.
 */

/** Next refuses: the step stays, the field shows `message` and has the focus. */
async function refusedAt(dialog: Locator, step: string, field: Locator, message: string | RegExp): Promise<void> {
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('heading', { level: 3, name: step, exact: true })).toBeVisible();
  await expect(field).toHaveAccessibleDescription(message);
  await expect(field).toBeFocused();
}

function cell(grid: Locator, name: string): Locator {
  return grid.getByRole('gridcell', { name: new RegExp(`^${name}`) });
}

async function openCopyWizard(page: Page): Promise<Locator> {
  await goTo(page, 'Jobs');
  await page.getByRole('button', { name: 'New backup copy job' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New backup copy job' });
  await dialog.getByLabel('Job name').fill('Offsite copy');
  await next(dialog, 'Objects');
  await dialog.getByRole('button', { name: 'Infrastructure (workload)' }).click();
  await dialog.getByRole('combobox', { name: 'Workload', exact: true }).fill('docs');
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await next(dialog, 'Target');
  return dialog;
}

// Weeks start on Monday (the grid's rows and the window in words follow the locale).
test.use({ locale: 'en-GB' });

test('copy wizard: retention, advanced, data path and schedule say at the field what is wrong, and the window grid works by keyboard and mouse', async ({ page, served }) => {
  // Four steps through axe: a minute on a busy 2-core machine.
  test.setTimeout(120_000);
  const engine = await engineClient(served.url);
  try {
    await engine.client.call('repos.add', { name: 'Offsite NAS', location: { kind: 'local', path: path.join(served.dataDir, 'offsite') } });
    await open(page, served.url);
    const dialog = await openCopyWizard(page);

    await test.step('Target: retention and its timeline', async () => {
      const keep = dialog.getByRole('textbox', { name: 'Restore points to keep' });
      await keep.fill('0');
      await refusedAt(dialog, 'Target', keep, 'Keep at least 1 restore point.');
      await keep.fill('7');
      await dialog.getByRole('checkbox', { name: 'Monthly points' }).check();
      const monthly = dialog.getByRole('textbox', { name: 'Keep for (months)' });
      await monthly.fill('many');
      await refusedAt(dialog, 'Target', monthly, 'Enter for how many months to keep monthly points.');
      await monthly.fill('12');
      await dialog.getByRole('checkbox', { name: 'Weekly points' }).check();
      const timeline = dialog.getByRole('region', { name: 'Retention timeline' });
      await expect(timeline).toContainText(/per workload would be kept/);
      // A year of daily points: 12 monthly, the weekly ones that are not also monthly, the newest 7 less those flagged.
      await expect(timeline).toContainText(/1[12] monthly points \(/);
      await expect(timeline).toContainText(/[1-4] more weekly points \(/);
      await expect(timeline).toContainText(/assumes one point a day/);
      await look(page, 'wizard-copy-target', { toEnd: true });
      await next(dialog, 'Map backup');
      await next(dialog, 'Advanced');
    });

    await test.step('Advanced: passwords, days, scripts, RPO', async () => {
      await dialog.getByRole('switch', { name: 'Encrypt the backup' }).check();
      // Password inputs have no role: found by their field name.
      const password = dialog.locator('input[name="password"]');
      const repeat = dialog.locator('input[name="repeatPassword"]');
      await refusedAt(dialog, 'Advanced', password, 'Enter a password: the backup is encrypted with it.');
      await password.fill('correct horse');
      await repeat.fill('correct hose');
      await refusedAt(dialog, 'Advanced', repeat, 'The passwords do not match.');
      await repeat.fill('correct horse');
      const days = dialog.getByRole('textbox', { name: 'Keep a removed workload\'s points (days)' });
      await days.fill('0');
      await refusedAt(dialog, 'Advanced', days, 'Keep a removed workload\'s points at least 1 day.');
      await days.fill('30');
      await dialog.getByRole('checkbox', { name: 'Run a script before the job' }).check();
      const script = dialog.getByRole('textbox', { name: 'Script' });
      await script.fill('pause-db.sh');
      await refusedAt(dialog, 'Advanced', script, 'Enter an absolute path: the engine does not run scripts from a working folder.');
      await script.fill('/usr/local/bin/pause-db.sh');
      const rpo = dialog.getByRole('textbox', { name: 'Warn when the newest copy is older than (hours)' });
      await rpo.fill('a day');
      await refusedAt(dialog, 'Advanced', rpo, 'Enter a whole number of hours, e.g. 48.');
      await rpo.fill('24');
      await look(page, 'wizard-copy-advanced', { toEnd: true });
      await next(dialog, 'Data path');
    });

    await test.step('Data path: throttle and parallel workloads', async () => {
      await dialog.getByRole('switch', { name: 'Limit this job\'s bandwidth' }).check();
      const limit = dialog.getByRole('textbox', { name: 'Limit (MB/s)' });
      await limit.fill('0.01');
      await refusedAt(dialog, 'Data path', limit, /^Enter a limit from 0.07 to 107,374 MB\/s\.$/);
      await limit.fill('fast');
      await refusedAt(dialog, 'Data path', limit, 'Enter the limit in MB/s, e.g. 50 or 0.5.');
      await limit.fill('12.5');
      await expect(limit).toHaveAccessibleDescription(/^12\.5 MB per second/);
      const parallel = dialog.getByRole('textbox', { name: 'Workloads copied at once' });
      await parallel.fill('17');
      await refusedAt(dialog, 'Data path', parallel, 'Copy from 1 to 16 workloads at once.');
      await parallel.fill('4');
      await look(page, 'wizard-copy-data-path', { toEnd: true });
      await next(dialog, 'Schedule');
    });

    await test.step('Schedule: periodic fields, retries, the window grid, the next runs', async () => {
      await dialog.getByRole('radio', { name: 'Periodically' }).check();
      const every = dialog.getByRole('textbox', { name: 'Every', exact: true });
      await every.fill('0');
      await refusedAt(dialog, 'Schedule', every, 'Enter how often it runs: every 1 or more.');
      await every.fill('6');
      await dialog.getByRole('combobox', { name: 'Unit' }).click();
      await page.getByRole('option', { name: 'hours' }).click();
      const retries = dialog.getByRole('textbox', { name: 'Retries', exact: true });
      await retries.fill('-1');
      await refusedAt(dialog, 'Schedule', retries, 'Enter a whole number of retries: 0 for none.');
      await retries.fill('2');

      const runs = dialog.getByRole('region', { name: 'Next runs' });
      await expect(runs.getByRole('listitem')).toHaveCount(5);

      await dialog.getByRole('switch', { name: 'Transfer only in chosen hours' }).check();
      const grid = dialog.getByRole('grid', { name: 'Transfer window' });
      await expect(grid.getByRole('gridcell')).toHaveCount(7 * 24);
      await dialog.getByRole('button', { name: 'Deny all' }).click();
      await expect(grid.getByRole('row').nth(1).getByRole('rowheader')).toHaveAccessibleName('Monday');
      await refusedAt(dialog, 'Schedule', cell(grid, 'Monday 00:00'), 'The transfer window never opens: allow at least one hour, or disable the job.');

      // Keyboard: Space allows Monday 22:00, Shift+Right extends to 23:00, Down moves on.
      const monday22 = cell(grid, 'Monday 22:00');
      await monday22.click();
      await expect(monday22).toHaveAttribute('aria-selected', 'true');
      await monday22.press('Space');
      await expect(monday22).toHaveAttribute('aria-selected', 'false');
      await monday22.press('Space');
      await monday22.press('Shift+ArrowRight');
      await expect(cell(grid, 'Monday 23:00')).toHaveAttribute('aria-selected', 'true');
      await expect(cell(grid, 'Monday 23:00')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(cell(grid, 'Tuesday 23:00')).toBeFocused();
      await expect(cell(grid, 'Tuesday 23:00')).toHaveAttribute('aria-selected', 'false');

      // Mouse: a drag from Saturday 00:00 to Sunday 05:00 allows the rectangle.
      const from = (await cell(grid, 'Saturday 00:00').boundingBox())!;
      const to = (await cell(grid, 'Sunday 05:00').boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
      await page.mouse.up();
      for (const name of ['Saturday 00:00', 'Saturday 05:00', 'Sunday 00:00', 'Sunday 05:00']) await expect(cell(grid, name)).toHaveAttribute('aria-selected', 'true');
      for (const name of ['Saturday 06:00', 'Friday 00:00']) await expect(cell(grid, name)).toHaveAttribute('aria-selected', 'false');
      await expect(dialog.getByText(/^Monday: 22:00 to 24:00; .*Saturday and Sunday: 00:00 to 06:00\.$/)).toBeVisible();

      await expect(runs.getByRole('listitem').first()).toContainText(/Transfers at once\.|Waits for the window: transfers from/);
      await look(page, 'wizard-copy-schedule', { toEnd: true });
      await next(dialog, 'Summary');
      const summary = dialog.getByRole('definition').filter({ hasText: 'Every 6 hours' });
      await expect(summary).toContainText('Transfers only in these hours: Monday: 22:00 to 24:00');
      await expect(summary).toContainText('tried 2 more times');
    });
  } finally {
    engine.close();
  }
});

test('folder wizard: the Schedule step says at the field what is wrong, and its runs come from the engine', async ({ page, served }) => {
  const docs = path.join(served.dataDir, 'docs');
  await mkdir(docs, { recursive: true });
  await open(page, served.url);
  await goTo(page, 'Jobs');
  await page.getByRole('button', { name: 'New folder backup job' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New folder backup job' });
  await dialog.getByLabel('Job name').fill('Office');
  await next(dialog, 'Workloads');
  await dialog.getByLabel('Workload name').fill('documents');
  await dialog.getByLabel('Folders').fill(docs);
  for (const step of ['Target', 'Storage', 'Schedule']) await next(dialog, step);

  await dialog.getByRole('radio', { name: 'Daily at a time' }).check();
  const monday = dialog.getByRole('button', { name: 'Monday' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) await dialog.getByRole('button', { name: day }).click();
  await expect(monday).toHaveAttribute('aria-pressed', 'false');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('Choose at least one day.')).toBeVisible();
  await expect(monday).toBeFocused();
  await monday.click();
  await dialog.getByRole('button', { name: 'Friday' }).click();
  await expect(dialog.getByRole('region', { name: 'Next runs' }).getByRole('listitem')).toHaveCount(5);

  await dialog.getByRole('radio', { name: 'Periodically' }).check();
  const first = dialog.getByLabel('First run');
  await first.fill('');
  await refusedAt(dialog, 'Schedule', first, 'Enter the first run as a date and a time.');
  await first.fill('2030-01-07T21:30');
  const every = dialog.getByRole('textbox', { name: 'Every', exact: true });
  await every.fill('1.5');
  await refusedAt(dialog, 'Schedule', every, 'Enter how often it runs as a whole number, e.g. 4.');
  await every.fill('2');
  const runs = dialog.getByRole('region', { name: 'Next runs' }).getByRole('listitem');
  await expect(runs).toHaveCount(5);
  // Every 2 days from 7 January 2030, 21:30 (en-GB dates).
  await expect(runs.nth(1)).toContainText('9 Jan 2030, 21:30');
  await look(page, 'wizard-folder-schedule-error', { toEnd: true });
  await next(dialog, 'Summary');
  await expect(dialog.getByRole('definition').filter({ hasText: 'Every 2 days' })).toContainText('A failed workload is tried 3 more times');
});
