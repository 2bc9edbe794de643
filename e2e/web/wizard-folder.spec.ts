import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { engineClient, goTo, jobRow, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';
import { look, next } from './wizard-helpers.ts';

/**
 * The folder backup job wizard on the shared frame: every step's bad input shows its
 * message at the field (the page's own checks, then the engine's at Finish), Escape asks
 * before discarding, Back keeps everything.
 */
test.describe.configure({ timeout: 180_000 });

test('the folder wizard says what is wrong at each field, and keeps what was typed', async ({ page, served }) => {
  const base = path.join(path.dirname(served.dataDir), `${path.basename(served.dataDir)}-folder`);
  const docs = path.join(base, 'docs');
  const file = path.join(base, 'notes.txt');
  const missing = path.join(base, 'not-there');
  await mkdir(docs, { recursive: true });
  await writeFile(path.join(docs, 'readme.txt'), 'hello\n');
  await writeFile(file, 'a file, not a folder\n');
  const engine = await engineClient(served.url);
  try {
    const [main] = await engine.client.call('repos.list', {});
    await engine.client.call('jobs.create', { definition: { kind: 'folder-backup', name: 'Daily', repositoryId: main!.id, workloads: [{ name: 'docs', folders: [docs] }] } });

    await open(page, served.url);
    await goTo(page, 'Jobs');
    await page.getByRole('button', { name: 'New folder backup job' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder backup job' });

    // Closing an untouched wizard asks nothing.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.getByRole('button', { name: 'New folder backup job' }).click();

    // Job.
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('Enter a job name.')).toBeVisible();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await look(page, 'wizard-folder-job-error');
    await dialog.getByLabel('Job name').fill('daily');
    await next(dialog, 'Workloads');

    // Workloads: the whole disk and a relative path are refused at the Folders field.
    await dialog.getByLabel('Workload name').fill('documents');
    await dialog.getByLabel('Folders').fill('/');
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('/ is the whole disk: choose the folders to back up.')).toBeVisible();
    await expect(dialog.getByLabel('Folders')).toBeFocused();
    await look(page, 'wizard-folder-workloads-error');
    await dialog.getByLabel('Folders').fill('documents/here');
    await expect(dialog.getByText('/ is the whole disk')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('“documents/here” is not a full path. Enter each folder from the drive or root down.')).toBeVisible();
    // What only the engine can see (a folder that is not there, a file) is said at Finish.
    await dialog.getByLabel('Folders').fill(`${missing}\n${file}`);
    await next(dialog, 'Target');

    // Target.
    await expect(dialog.getByRole('combobox', { name: 'Target repository' })).toHaveText('Default repository');
    await dialog.getByLabel('Restore points to keep').fill('1000');
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('Enter a whole number from 1 to 999.')).toBeVisible();
    await expect(dialog.getByLabel('Restore points to keep')).toBeFocused();
    await look(page, 'wizard-folder-target-error');
    await dialog.getByLabel('Restore points to keep').fill('10');
    await next(dialog, 'Storage');

    // Storage.
    await dialog.getByLabel('Encrypt the backup').check();
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('Enter a password: the backup is encrypted with it.')).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Password', exact: true })).toBeFocused();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse');
    await dialog.getByLabel('Repeat password').fill('correct hose');
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(dialog.getByText('The passwords do not match.')).toBeVisible();
    await expect(dialog.getByLabel('Repeat password')).toBeFocused();
    await look(page, 'wizard-folder-storage-error');
    await dialog.getByLabel('Encrypt the backup').uncheck();
    await next(dialog, 'Schedule');
    await next(dialog, 'Summary');
    await look(page, 'wizard-folder-summary');

    // Summary: the engine refuses the name ("Daily" exists): the Job step opens at its field.
    await dialog.getByRole('checkbox', { name: 'Run the job when I click Finish' }).uncheck();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog.getByText('A job named "Daily" already exists.')).toBeVisible();
    await expect(dialog.getByLabel('Job name')).toBeFocused();
    await look(page, 'wizard-folder-job-engine-error');

    // The folders the engine cannot back up: the Workloads step opens at the Folders field.
    await dialog.getByLabel('Job name').fill('Documents');
    await dialog.getByRole('tab', { name: 'Summary' }).click();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await expect(dialog.getByText(`${missing} does not exist. ${file} is a file, not a folder: enter the folder that holds it.`)).toBeVisible();
    await expect(dialog.getByLabel('Folders')).toBeFocused();
    await look(page, 'wizard-folder-workloads-engine-error');
    await dialog.getByLabel('Folders').fill(docs);

    // Back keeps everything: every step still holds what was typed.
    await dialog.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(dialog.getByLabel('Job name')).toHaveValue('Documents');
    await next(dialog, 'Workloads');
    await expect(dialog.getByLabel('Folders')).toHaveValue(docs);
    await next(dialog, 'Target');
    await expect(dialog.getByLabel('Restore points to keep')).toHaveValue('10');

    // Escape asks; Discard throws it away, and the next wizard starts empty.
    await page.keyboard.press('Escape');
    const discard = page.getByRole('dialog', { name: 'Discard the changes?' });
    await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
    await look(page, 'wizard-folder-discard');
    await discard.getByRole('button', { name: 'Discard' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('button', { name: 'New folder backup job' }).click();
    await expect(dialog.getByLabel('Job name')).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Edit: the same wizard, filled in; the change is stored, the rest of the job kept.
    await jobRow(page, 'Daily').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit “Daily”' });
    await edit.getByRole('tab', { name: 'Target' }).click();
    await expect(edit.getByLabel('Restore points to keep')).toHaveValue('7');
    await edit.getByLabel('Restore points to keep').fill('3');
    await edit.getByRole('tab', { name: 'Summary' }).click();
    await expect(edit.getByRole('definition').filter({ hasText: 'Restore points go to' })).toContainText('The newest 3 restore points');
    await edit.getByRole('button', { name: 'Finish' }).click();
    await expect(edit).toBeHidden();
    const [daily] = (await engine.client.call('jobs.list', {})).filter((job) => job.name === 'Daily');
    const { definition } = await engine.client.call('jobs.get', { id: daily!.id });
    expect(definition).toMatchObject({ retention: { keepPoints: 3 }, workloads: [{ name: 'docs', folders: [docs] }] });
  } finally {
    engine.close();
  }
});
