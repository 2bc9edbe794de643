import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3RVER_KEY, startS3Server } from '../../test/storage/s3-server.ts';
import { cliBackup, goTo, open, repositoryCell, shot } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

test('S3 form: bad input is explained per field, and an unreachable endpoint is reported by Test connection', async ({
  page,
  served,
}) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  const storageType = dialog.getByRole('group', { name: 'Storage type' });
  await expect(storageType.getByRole('button', { name: 'Folder' })).toHaveAttribute('aria-pressed', 'true');

  // Something typed for a folder survives a trip to the S3 form and back.
  await dialog.getByLabel('Name').fill('Offsite bucket');
  await dialog.getByLabel('Folder').fill('/mnt/somewhere');
  await storageType.getByRole('button', { name: 'S3-compatible' }).click();
  await expect(dialog.getByLabel('Folder')).toHaveCount(0);
  await expect(dialog.getByText('Leave empty for Amazon S3', { exact: false })).toBeVisible();
  await expect(dialog.getByLabel('Region')).toHaveValue('us-east-1');
  await expect(dialog.getByLabel('Path-style addressing')).toBeChecked();

  const endpoint = dialog.getByLabel('Endpoint URL');
  const bucket = dialog.getByLabel('Bucket');
  const accessKey = dialog.getByLabel('Access key');
  const secret = dialog.getByLabel('Secret key');
  await accessKey.fill('AKIAEXAMPLE');
  await secret.fill('not-a-real-secret');
  await expect(secret).toHaveAttribute('type', 'password');
  await dialog.getByRole('button', { name: 'Show secret' }).click();
  await expect(secret).toHaveAttribute('type', 'text');
  await dialog.getByRole('button', { name: 'Hide secret' }).click();
  await expect(secret).toHaveAttribute('type', 'password');

  // An empty bucket is caught before anything is sent.
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog.getByText(/^Bucket names are 3–63 lowercase letters/)).toBeVisible();
  await expect(bucket).toHaveAttribute('aria-invalid', 'true');
  await expect(bucket).toBeFocused();

  // A server that is not there: the test says so, naming the endpoint, and keeps everything.
  await endpoint.fill('http://127.0.0.1:9');
  await bucket.fill('ferry-backups');
  await expect(bucket).toHaveAttribute('aria-invalid', 'false');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('alert').filter({ hasText: 'http://127.0.0.1:9' });
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result).toHaveClass(/MuiAlert-.*[Ee]rror/);
  await expect(dialog.getByLabel('Name')).toHaveValue('Offsite bucket');
  await expect(endpoint).toHaveValue('http://127.0.0.1:9');
  await expect(bucket).toHaveValue('ferry-backups');
  await expect(accessKey).toHaveValue('AKIAEXAMPLE');
  await expect(secret).toHaveValue('not-a-real-secret');
  await shot(page, 'repositories-add-s3');

  await storageType.getByRole('button', { name: 'Folder' }).click();
  await expect(dialog.getByLabel('Folder')).toHaveValue('/mnt/somewhere');
  await storageType.getByRole('button', { name: 'S3-compatible' }).click();
  await expect(bucket).toHaveValue('ferry-backups');

  // The theme follows the OS until chosen: look at the dialog in dark too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'repositories-add-s3-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Nothing was registered.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('cell', { name: 'Offsite bucket' })).toHaveCount(0);
});

test('Test connection on a folder reports success in green', async ({ page, served }) => {
  await open(page, served.url);
  await goTo(page, 'Repositories');
  await page.getByRole('button', { name: 'Add repository' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add repository' });
  await dialog.getByLabel('Folder').fill(`${served.dataDir}/elsewhere`);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('alert').filter({ hasText: 'reachable and writable' });
  await expect(result).toBeVisible();
  await expect(result).toHaveClass(/MuiAlert-.*[Ss]uccess/);
  await shot(page, 'repositories-test-folder');
});

test('an S3 repository: tested, added, backed up to with the CLI and rescanned', async ({ page, served }) => {
  const cleanups: (() => Promise<void>)[] = [];
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-docs-'));
  cleanups.push(() => rm(docs, { recursive: true, force: true }));
  try {
    const s3 = await startS3Server({ after: (fn) => cleanups.push(fn) }, 'ferry-e2e');
    await writeFile(path.join(docs, 'report.txt'), 'Annual report\n'.repeat(50));

    await open(page, served.url);
    await goTo(page, 'Repositories');
    await page.getByRole('button', { name: 'Add repository' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add repository' });
    await dialog.getByRole('group', { name: 'Storage type' }).getByRole('button', { name: 'S3-compatible' }).click();
    await dialog.getByLabel('Name').fill('Object store');
    await dialog.getByLabel('Endpoint URL').fill(s3.endpoint);
    await dialog.getByLabel('Bucket').fill(s3.bucket);
    await dialog.getByLabel('Prefix').fill('offsite');
    await dialog.getByLabel('Access key').fill(S3RVER_KEY);
    await dialog.getByLabel('Secret key').fill(S3RVER_KEY);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByRole('alert').filter({ hasText: 'reachable and writable' });
    await expect(result).toBeVisible();
    await expect(result).toHaveClass(/MuiAlert-.*[Ss]uccess/);
    await shot(page, 'repositories-add-s3-tested');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();

    const where = `s3://${s3.bucket}/offsite at ${s3.endpoint}`;
    await expect(page.getByRole('cell', { name: where })).toBeVisible();
    await expect(await repositoryCell(page, 'Object store', 'Space')).toContainText('Object storage');
    await expect(await repositoryCell(page, 'Object store', 'Backups')).toHaveText('0');

    // The secret is never shown again: a new dialog starts empty.
    await page.getByRole('button', { name: 'Add repository' }).click();
    await dialog.getByRole('group', { name: 'Storage type' }).getByRole('button', { name: 'S3-compatible' }).click();
    await expect(dialog.getByLabel('Secret key')).toHaveValue('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await cliBackup(`s3://${s3.bucket}/offsite`, 'Docs job', 'docs', docs, {
      AWS_ACCESS_KEY_ID: S3RVER_KEY,
      AWS_SECRET_ACCESS_KEY: S3RVER_KEY,
      FERRY_S3_ENDPOINT: s3.endpoint,
    });
    await page.getByRole('button', { name: 'Rescan Object store' }).click();
    await expect(page.getByText('Found 1 backup in “Object store”')).toBeVisible();
    await expect(await repositoryCell(page, 'Object store', 'Backups')).toHaveText('1');
    await expect(await repositoryCell(page, 'Object store', 'Space')).toContainText(/used/);
    await shot(page, 'repositories-s3-list');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'repositories-s3-list-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await goTo(page, 'Backups');
    await expect(page.getByRole('region', { name: 'Docs job' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Restore points' }).getByRole('row')).toHaveCount(2);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
});
