import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { goTo, open, PAGES, shot } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

test('every page renders, in light and dark', async ({ page, served }) => {
  await open(page, served.url);
  for (const name of PAGES) {
    await goTo(page, name);
    await shot(page, `page-${name.toLowerCase()}-light`);
  }
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  for (const name of PAGES) {
    await goTo(page, name);
    await shot(page, `page-${name.toLowerCase()}-dark`);
  }
});

test('a repository added in the console is still there after a reload and a restart', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await expect(page.getByRole('cell', { name: /Default repository/ })).toBeVisible();

  const folder = path.join(served.dataDir, 'offsite', 'nas-copies');
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  await dialog.getByLabel('Name').fill('NAS copies');
  await dialog.getByLabel('Folder').fill(folder);
  await shot(page, 'repositories-add-dialog');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: 'NAS copies' })).toBeVisible();
  await expect(page.getByRole('cell', { name: folder })).toBeVisible();
  await shot(page, 'repositories-list');

  await page.reload();
  await expect(page.getByRole('cell', { name: 'NAS copies' })).toBeVisible();

  await served.restart();
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await expect(page.getByRole('cell', { name: 'NAS copies' })).toBeVisible();
});

test('after a restart, an open console asks for the new link and takes it without a reload', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  const staleLink = served.url;
  await served.restart({ samePort: true });

  const prompt = page.getByRole('alert').filter({ hasText: 'This console needs the new link' });
  await expect(prompt).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status').getByText('New link needed')).toBeVisible();
  await shot(page, 'console-new-link-needed');

  const field = prompt.getByLabel('New link');
  await field.fill(staleLink);
  await prompt.getByRole('button', { name: 'Connect' }).click();
  await expect(prompt.getByText(/does not accept that link: it may be from an earlier start/)).toBeVisible();
  await shot(page, 'console-new-link-stale');

  await field.fill(served.url);
  await prompt.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('status').getByText(/^Connected/)).toBeVisible();
  await expect(prompt).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Repositories' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Default repository/ })).toBeVisible();
});

test('bad input is explained next to its field and nothing typed is lost', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  const name = dialog.getByLabel('Name');
  const folder = dialog.getByLabel('Folder');
  const add = dialog.getByRole('button', { name: 'Add', exact: true });

  await add.click();
  await expect(dialog.getByText('Enter a name.')).toBeVisible();
  await shot(page, 'repositories-errors-empty');

  await name.fill('default repository');
  await folder.fill(path.join(served.dataDir, 'elsewhere'));
  await add.click();
  await expect(dialog.getByText(/already exists/)).toBeVisible();
  await expect(folder).toHaveValue(path.join(served.dataDir, 'elsewhere'));

  await name.fill('Nested');
  await folder.fill(path.join(served.dataDir, 'repositories', 'default', 'inner'));
  await add.click();
  await expect(dialog.getByText(/inside the repository "Default repository"/)).toBeVisible();
  await expect(name).toHaveValue('Nested');
  await shot(page, 'repositories-errors-nested');

  const file = path.join(served.dataDir, 'plain-file');
  await writeFile(file, 'not a folder');
  await folder.fill(path.join(file, 'sub'));
  await add.click();
  await expect(dialog.getByText(/is a file, not a folder/)).toBeVisible();

  await folder.fill('relative/path');
  await add.click();
  await expect(dialog.getByText(/Enter a full path/)).toBeVisible();
  await shot(page, 'repositories-errors-relative');

  await page.reload();
  await goTo(page, 'Repositories');
  await expect(page.getByRole('cell', { name: 'Nested' })).toHaveCount(0);
});

test('removing a repository asks first and keeps its folder', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await page.getByRole('button', { name: 'Remove Default repository' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove repository “Default repository”?' });
  await expect(confirm).toBeVisible();
  await shot(page, 'repositories-remove-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('cell', { name: /Default repository/ })).toBeVisible();

  await page.getByRole('button', { name: 'Remove Default repository' }).click();
  await page.getByRole('dialog', { name: 'Remove repository “Default repository”?' }).getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('cell', { name: /Default repository/ })).toHaveCount(0);
  const { stat } = await import('node:fs/promises');
  expect((await stat(path.join(served.dataDir, 'repositories', 'default'))).isDirectory()).toBe(true);
  await shot(page, 'repositories-empty');
});

test('the console refuses visitors without the printed link', async ({ page, served }) => {
  const origin = new URL(served.url).origin;
  const response = await page.goto(origin);
  expect(response?.status()).toBe(401);
  await expect(page.getByText(/link that `ferry serve` printed/)).toBeVisible();
});
