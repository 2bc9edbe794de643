import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright/test';
import { cliBackup, engineClient, goTo, jobRow, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';
import { look, next } from './wizard-helpers.ts';

/**
 * The backup copy job wizard: every step's bad input shows its message at the field,
 * Back keeps everything, Escape asks before discarding, and Edit opens it filled in.
 * One served engine for the whole file: a branch NAS with a backup of "docs" and
 * "mail" (made by the CLI), and a folder backup job "Daily" into the default repository.
 */
// Two CLI backups and a dozen steps through axe: minutes on a busy 2-core machine, seconds alone.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

function wizard(page: Page, name = 'New backup copy job'): Locator {
  return page.getByRole('dialog', { name });
}

/** A new copy job from the repository Branch NAS, up to its Map backup step. */
async function toMapStep(page: Page, name: string): Promise<void> {
  const dialog = wizard(page);
  await page.getByRole('button', { name: 'New backup copy job' }).click();
  await dialog.getByLabel('Job name').fill(name);
  await next(dialog, 'Objects');
  await dialog.getByRole('button', { name: 'Repositories' }).click();
  await dialog.getByRole('combobox', { name: 'Repository' }).click();
  await page.getByRole('option', { name: 'Branch NAS' }).click();
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await next(dialog, 'Target');
  await next(dialog, 'Map backup');
}

test('the copy wizard checks each step at its fields and keeps what was typed', async ({ page, served }) => {
  const docs = path.join(path.dirname(served.dataDir), `${path.basename(served.dataDir)}-docs`);
  await mkdir(path.join(docs, 'letters'), { recursive: true });
  await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(200));
  const nas = path.join(served.dataDir, 'branch-nas');
  const engine = await engineClient(served.url);
  try {
    const branch = await engine.client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: nas } });
    await cliBackup(nas, 'Office', 'docs', docs);
    await cliBackup(nas, 'Office', 'mail', docs);
    await engine.client.call('repos.rescan', { id: branch.id });
    const repositories = await engine.client.call('repos.list', {});
    const main = repositories.find((r) => r.name === 'Default repository')!;
    await engine.client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Daily', repositoryId: main.id, workloads: [{ name: 'letters', folders: [docs] }] },
    });

    await open(page, served.url);
    await goTo(page, 'Jobs');
    await page.getByRole('button', { name: 'New backup copy job' }).click();
    const dialog = wizard(page);
    await expect(dialog.getByRole('heading', { level: 3, name: 'Job', exact: true })).toBeVisible();

    // Job: an empty name is refused at its field, which takes the focus.
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await expect(dialog.getByText('Enter a job name.')).toBeVisible();
    await look(page, 'wizard-copy-job-error');
    await dialog.getByLabel('Job name').fill('Offsite copy');
    await expect(dialog.getByText('Enter a job name.')).toHaveCount(0);
    await dialog.getByLabel('Description').fill('The branch backups, a second time.');
    await next(dialog, 'Objects');

    // Objects: no source is refused at the Add source button.
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('Add at least one source.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Add source' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Backups' }).click();
    await dialog.getByRole('combobox', { name: 'Backup' }).click();
    await page.getByRole('option', { name: /^Office on Branch NAS/ }).click();
    await dialog.getByRole('checkbox', { name: 'docs' }).check();
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await expect(dialog.getByRole('list', { name: 'Sources' })).toContainText('Backup “Office” on Branch NAS');
    const preview = dialog.getByRole('table', { name: 'Workloads the job would process' });
    await expect(preview.getByRole('row').filter({ hasText: 'docs' })).toContainText('Yes');
    await expect(dialog.getByText(/1 workload would be copied; the first run moves at most/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Repositories' }).click();
    await dialog.getByRole('combobox', { name: 'Repository' }).click();
    await page.getByRole('option', { name: 'Branch NAS' }).click();
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await expect(preview.getByRole('row').filter({ hasText: 'mail' })).toContainText('Yes');
    // A workload by name: Enter adds it (and does not leave the step).
    await dialog.getByRole('button', { name: 'Infrastructure (workload)' }).click();
    await dialog.getByRole('combobox', { name: 'Workload', exact: true }).fill('docs');
    await dialog.getByRole('combobox', { name: 'Workload', exact: true }).press('Enter');
    await expect(dialog.getByRole('list', { name: 'Sources' })).toContainText('Workload “docs”');
    await expect(dialog.getByRole('heading', { level: 3, name: 'Objects', exact: true })).toBeVisible();
    await dialog.getByLabel('Excluded workloads').fill('mail');
    await dialog.getByLabel('Excluded workloads').press('Enter');
    await expect(preview.getByRole('row').filter({ hasText: 'mail' })).toContainText('No: excluded');
    await look(page, 'wizard-copy-objects');
    await next(dialog, 'Target');

    // Target: the source's repository cannot be chosen; the default one is preselected.
    await expect(dialog.getByRole('combobox', { name: 'Target repository' })).toHaveText('Default repository');
    await dialog.getByLabel('Restore points to keep').fill('0');
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('Keep at least 1 restore point.')).toBeVisible();
    await expect(dialog.getByLabel('Restore points to keep')).toBeFocused();
    await look(page, 'wizard-copy-target-error');
    await dialog.getByLabel('Restore points to keep').fill('14');
    await next(dialog, 'Map backup');

    // Back keeps everything.
    await dialog.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(dialog.getByLabel('Restore points to keep')).toHaveValue('14');
    await dialog.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(dialog.getByRole('list', { name: 'Sources' }).getByRole('listitem')).toHaveCount(3);
    await dialog.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(dialog.getByLabel('Job name')).toHaveValue('Offsite copy');

    // Escape asks; keeping on editing keeps it all.
    await page.keyboard.press('Escape');
    const discard = page.getByRole('dialog', { name: 'Discard the changes?' });
    await expect(discard).toBeVisible();
    await look(page, 'wizard-copy-discard');
    await discard.getByRole('button', { name: 'Keep editing' }).click();
    await expect(discard).toBeHidden();
    await expect(dialog.getByLabel('Job name')).toHaveValue('Offsite copy');

    for (const step of ['Objects', 'Target', 'Map backup', 'Advanced', 'Data path', 'Schedule', 'Summary']) await next(dialog, step);
    await expect(dialog.getByRole('definition').filter({ hasText: 'Copies go to Default repository' })).toContainText('The newest 14 restore points');
    await look(page, 'wizard-copy-summary');
    await dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' }).uncheck();

    // Summary: the engine's refusal (a job "Daily" exists) opens the Job step at its field.
    await dialog.getByRole('button', { name: 'Change job' }).click();
    await dialog.getByLabel('Job name').fill('daily');
    for (const step of ['Objects', 'Target', 'Map backup', 'Advanced', 'Data path', 'Schedule', 'Summary']) await next(dialog, step);
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog.getByText('A job named "Daily" already exists.')).toBeVisible();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await dialog.getByLabel('Job name').fill('Offsite copy');
    await dialog.getByRole('tab', { name: 'Summary' }).click();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('Offsite copy', { exact: true })).toBeVisible();

    // Map backup offers only a copy job's backup that no job continues: once "Offsite copy"
    // has run and is deleted, its backup on the target can be continued by a new job.
    const offsite = (await engine.client.call('jobs.list', {})).find((job) => job.name === 'Offsite copy')!;
    await engine.client.call('jobs.start', { id: offsite.id });
    await expect.poll(async () => (await engine.client.call('jobs.list', {})).find((job) => job.id === offsite.id)?.lastSession?.result, { timeout: 60_000 }).toBe('success');
    await toMapStep(page, 'Seeded copy');
    await expect(dialog.getByRole('radio')).toHaveCount(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog', { name: 'Discard the changes?' }).getByRole('button', { name: 'Discard' }).click();
    await engine.client.call('jobs.delete', { id: offsite.id });
    await expect(page.getByText('Offsite copy', { exact: true })).toHaveCount(0);
    await toMapStep(page, 'Seeded copy');
    await dialog.getByRole('radio', { name: /^Continue “Offsite copy”/ }).check();
    await look(page, 'wizard-copy-map-seed');
    for (const step of ['Advanced', 'Data path', 'Schedule']) {
      await next(dialog, step);
      await look(page, `wizard-copy-${step.toLowerCase().replace(' ', '-')}`);
    }
    await next(dialog, 'Summary');
    await expect(dialog.getByRole('definition').filter({ hasText: 'Continues the backup in the folder' })).toBeVisible();
  } finally {
    engine.close();
  }
});

test('Edit opens the job filled in and saves the change with the stored password kept; Clone asks for one; a running job cannot be edited', async ({ page, served }) => {
  const docs = path.join(path.dirname(served.dataDir), `${path.basename(served.dataDir)}-edit`);
  await mkdir(docs, { recursive: true });
  // Incompressible, so a throttled copy of it runs for a while.
  await writeFile(path.join(docs, 'scan.bin'), randomBytes(1024 * 1024));
  const nas = path.join(served.dataDir, 'branch-nas');
  const engine = await engineClient(served.url);
  try {
    const branch = await engine.client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: nas } });
    await cliBackup(nas, 'Office', 'docs', docs);
    await engine.client.call('repos.rescan', { id: branch.id });
    const main = (await engine.client.call('repos.list', {})).find((r) => r.name === 'Default repository')!;
    const created = await engine.client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Nightly copy',
        description: 'Before',
        sources: [{ kind: 'repository', repositoryId: branch.id }],
        repositoryId: main.id,
        retention: { keepPoints: 5 },
        storage: { compressionLevel: 3, encrypted: true },
      },
      password: 'stored secret',
    });

    await open(page, served.url);
    await goTo(page, 'Jobs');
    await jobRow(page, 'Nightly copy').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = wizard(page, 'Edit “Nightly copy”');
    await expect(dialog.getByLabel('Job name')).toHaveValue('Nightly copy');
    await dialog.getByLabel('Description').fill('After');
    await dialog.getByRole('tab', { name: 'Target' }).click();
    await expect(dialog.getByLabel('Restore points to keep')).toHaveValue('5');
    await dialog.getByLabel('Restore points to keep').fill('9');
    await dialog.getByRole('tab', { name: 'Advanced' }).click();
    await expect(dialog.getByText('A password is stored; enter one only to replace it.')).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'New password', exact: true })).toHaveValue('');
    await look(page, 'wizard-copy-edit-advanced');
    await dialog.getByRole('tab', { name: 'Summary' }).click();
    await expect(dialog.getByRole('definition').filter({ hasText: 'Compression level' })).toContainText('encrypted with the stored password');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog).toBeHidden();

    // The change is stored, and the wizard opened again shows it.
    const { definition } = await engine.client.call('jobs.get', { id: created.id });
    expect(definition).toMatchObject({ description: 'After', retention: { keepPoints: 9 }, storage: { encrypted: true } });
    await jobRow(page, 'Nightly copy').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    await expect(dialog.getByLabel('Description')).toHaveValue('After');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Clone: a new job, so a new password is asked for at its field.
    await jobRow(page, 'Nightly copy').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Clone…' }).click();
    const clone = wizard(page, 'Clone “Nightly copy”');
    await expect(clone.getByLabel('Job name')).toHaveValue('Copy of Nightly copy');
    await clone.getByRole('tab', { name: 'Advanced' }).click();
    await clone.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(clone.getByText('Enter a password: the backup is encrypted with it.')).toBeVisible();
    // Nothing was typed: Cancel closes without asking.
    await clone.getByRole('button', { name: 'Cancel' }).click();
    await expect(clone).toBeHidden();

    // The stored password still opens the target: a throttled run with it, and Edit meanwhile says to stop it first.
    if (definition.kind !== 'backup-copy') throw new Error('Nightly copy is a backup copy job');
    await engine.client.call('jobs.update', { id: created.id, definition: { ...definition, retention: { keepPoints: 9 }, dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 64 * 1024 } } });
    await engine.client.call('jobs.start', { id: created.id });
    await expect.poll(async () => (await engine.client.call('jobs.list', {})).find((job) => job.id === created.id)?.running).toBe(true);
    await jobRow(page, 'Nightly copy').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const refused = page.getByRole('dialog', { name: '“Nightly copy” is running' });
    await expect(refused).toContainText('Stop the job before changing it');
    await look(page, 'wizard-copy-edit-running');
    await refused.getByRole('button', { name: 'Close' }).click();
    await engine.client.call('jobs.stop', { id: created.id });
    await expect.poll(async () => (await engine.client.call('jobs.list', {})).find((job) => job.id === created.id)?.lastSession?.result, { timeout: 30_000 }).toBe('stopped');
  } finally {
    engine.close();
  }
});
