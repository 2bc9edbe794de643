import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addFolderRepository, cliBackup, ferry, goTo, open, repositoryCell, shot } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

/** Two runs of the CLI's "Docs job" into the default repository, one file more in the second; the repository's folder. */
async function twoBackupRuns(dataDir: string, docs: string): Promise<string> {
  const repository = path.join(dataDir, 'repositories', 'default');
  await writeFile(path.join(docs, 'notes.txt'), 'first\n');
  await cliBackup(repository, 'Docs job', 'docs', docs);
  await writeFile(path.join(docs, 'more-notes.txt'), 'second\n');
  await cliBackup(repository, 'Docs job', 'docs', docs);
  return repository;
}

test('a backup made with the CLI shows up after a rescan, with its restore points', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-docs-'));
  try {
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(200));
    await writeFile(path.join(docs, 'figures.csv'), 'month,amount\n1,100\n2,250\n');

    await open(page, served.url);
    await goTo(page, 'Backups');
    await expect(page.getByRole('heading', { name: 'No backups found' })).toBeVisible();
    await expect(page.getByText('Run a backup, or rescan a repository where backups were copied by hand.')).toBeVisible();

    await goTo(page, 'Repositories');
    const folder = path.join(served.dataDir, 'offsite');
    await addFolderRepository(page, 'Offsite disk', folder);
    // Adding a repository lists it at once: an empty one says 0 backups, not "not scanned".
    await expect(await repositoryCell(page, 'Offsite disk', 'Backups')).toHaveText('0');

    const output = await cliBackup(folder, 'Docs job', 'docs', docs);
    expect(output).toMatch(/docs\s+success/);

    await page.getByRole('button', { name: 'Rescan Offsite disk' }).click();
    await expect(page.getByText('Found 1 backup in “Offsite disk”')).toBeVisible();
    await expect(await repositoryCell(page, 'Offsite disk', 'Backups')).toHaveText('1');
    await expect(await repositoryCell(page, 'Offsite disk', 'Used')).not.toHaveText('—');
    // The other repository was never scanned.
    await expect(await repositoryCell(page, 'Default repository', 'Backups')).toHaveText('—');
    await shot(page, 'repositories-rescanned');

    await goTo(page, 'Backups');
    const backup = page.getByRole('region', { name: 'Docs job' });
    await expect(backup).toBeVisible();
    await expect(backup.getByText('Folder backup')).toBeVisible();
    await expect(backup.getByText('1 restore point', { exact: false })).toBeVisible();
    await shot(page, 'backups-list');

    await backup.getByRole('button', { name: /^docs/ }).click();
    await expect(page.getByRole('heading', { name: 'Restore points of “docs”' })).toBeVisible();
    const points = page.getByRole('table', { name: 'Restore points' });
    await expect(points.getByRole('row')).toHaveCount(2); // the header and one point
    await expect(points.getByRole('cell', { name: '3', exact: true })).toBeVisible(); // files
    await expect(points.getByRole('cell', { name: 'Original' })).toBeVisible();
    await shot(page, 'backups-points');

    await page.getByRole('button', { name: 'Toggle dark mode' }).click();
    // Off the button, so its tooltip does not cover the screenshot.
    await page.mouse.move(640, 600);
    await expect(points.getByRole('row')).toHaveCount(2);
    await shot(page, 'backups-points-dark');
  } finally {
    await rm(docs, { recursive: true, force: true });
  }
});

test('a second backup run adds a restore point, shown after the next rescan', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-docs-'));
  try {
    await twoBackupRuns(served.dataDir, docs);

    await open(page, served.url);
    await goTo(page, 'Backups');
    await page.getByRole('button', { name: 'Rescan repositories' }).click();
    await expect(page.getByText(/^Found 1 backup in/)).toBeVisible();
    const backup = page.getByRole('region', { name: 'Docs job' });
    await expect(backup.getByRole('button', { name: /^docs/ })).toContainText('2 restore points');
    const points = page.getByRole('table', { name: 'Restore points' });
    await expect(points.getByRole('row')).toHaveCount(3);
    // Newest first: the second run saw two files.
    await expect(points.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('2');
    await expect(points.getByRole('row').nth(2).getByRole('cell').nth(1)).toHaveText('1');
  } finally {
    await rm(docs, { recursive: true, force: true });
  }
});

test('an encrypted backup whose password Ferry does not know is listed, with a warning', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-docs-'));
  try {
    await writeFile(path.join(docs, 'secret-plans.txt'), 'nothing to see\n');
    const folder = path.join(served.dataDir, 'sealed');
    const password = { FERRY_PASSWORD: 'correct horse battery staple' };
    await ferry(['repo', 'init', folder, '--encrypt'], password);
    await cliBackup(folder, 'Sealed job', 'plans', docs, password);

    await open(page, served.url);
    await goTo(page, 'Repositories');
    await addFolderRepository(page, 'Sealed disk', folder);
    await page.getByRole('button', { name: 'Rescan Sealed disk' }).click();
    await expect(await repositoryCell(page, 'Sealed disk', 'Backups')).toHaveText('1');

    await goTo(page, 'Backups');
    const backup = page.getByRole('region', { name: 'Sealed job' });
    await expect(backup.getByRole('img', { name: 'Encrypted' })).toBeVisible();
    await expect(backup.getByRole('alert')).toContainText('password Ferry does not know');
    await expect(page.getByRole('table', { name: 'Restore points' })).toHaveCount(0);
    await shot(page, 'backups-encrypted');
  } finally {
    await rm(docs, { recursive: true, force: true });
  }
});

test('a damaged restore point file is named, and the intact points of the backup are still listed', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-docs-'));
  try {
    const repository = await twoBackupRuns(served.dataDir, docs);
    // One of the two point files loses its content (a bad sector, a copy cut short).
    const pointFiles = path.join(repository, 'Docs_job', 'points');
    const [damaged] = await readdir(pointFiles);
    await writeFile(path.join(pointFiles, damaged!), '');

    await open(page, served.url);
    await goTo(page, 'Backups');
    await page.getByRole('button', { name: 'Rescan repositories' }).click();
    await expect(page.getByText(/^Found 1 backup in/)).toBeVisible();
    const backup = page.getByRole('region', { name: 'Docs job' });
    await expect(backup.getByRole('alert').first()).toContainText(`1 damaged fileDocs_job/points/${damaged}`);
    await expect(backup.getByRole('button', { name: /^docs/ })).toContainText('1 restore point');
    const points = page.getByRole('table', { name: 'Restore points' });
    await expect(points.getByRole('row')).toHaveCount(2); // the header and the intact point
    await expect(page.getByText('1 restore point file cannot be read; the points below are intact.')).toBeVisible();
    await shot(page, 'backups-damaged-point');
  } finally {
    await rm(docs, { recursive: true, force: true });
  }
});
