import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expectNoSeriousA11yViolations, PICTURES, shoot, SIZES, THEMES } from './axe.ts';
import { addFolderRepository, dismissNotices, engineClient, goTo, open } from './console-helpers.ts';
import { artifacts, expect, test } from './serve-fixture.ts';

test('removing a repository names the jobs that use it; adding its folder again gives them their repository back', async ({ page, served }) => {
  const engine = await engineClient(served.url);
  try {
    const docs = path.join(served.dataDir, 'docs');
    await mkdir(docs, { recursive: true });
    await writeFile(path.join(docs, 'letter.txt'), 'Dear bank,\n');
    await open(page, served.url);
    await goTo(page, 'Repositories');
    const nas = path.join(served.dataDir, 'nas');
    await addFolderRepository(page, 'NAS', nas);
    const repositories = await engine.client.call('repos.list', {});
    const target = repositories.find((repo) => repo.name === 'NAS')!;
    const fallback = repositories.find((repo) => repo.name === 'Default repository')!;
    const office = await engine.client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Office', repositoryId: target.id, workloads: [{ name: 'docs', folders: [docs] }] },
    });
    await engine.client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Offsite copy', repositoryId: fallback.id, sources: [{ kind: 'job', jobId: office.id }] },
    });

    await page.getByRole('button', { name: 'Remove NAS' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove repository “NAS”?' });
    const warning = confirm.getByRole('alert');
    await expect(warning).toContainText('2 jobs use it and cannot run until it is added again');
    await expect(warning.getByRole('listitem')).toHaveText(['“Office” keeps its backups here', '“Offsite copy” copies from it']);
    await expectNoSeriousA11yViolations(page, 'remove repository used by jobs');
    await shoot(page, 'repositories-remove-used');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(confirm).toBeHidden();
    expect((await engine.client.call('jobs.list', {})).find((job) => job.id === office.id)?.repositoryMissing).toBe(true);

    await dismissNotices(page);
    await addFolderRepository(page, 'NAS again', nas);
    await expect.poll(async () => (await engine.client.call('repos.list', {})).find((repo) => repo.name === 'NAS again')?.id).toBe(target.id);
    expect((await engine.client.call('jobs.list', {})).find((job) => job.id === office.id)?.repositoryMissing).toBe(false);

    await page.getByRole('button', { name: 'Remove Default repository' }).click();
    const unused = page.getByRole('dialog', { name: 'Remove repository “Default repository”?' });
    await expect(unused.getByText('One job uses it and cannot run until it is added again')).toBeVisible();
    await unused.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    engine.close();
  }
});

test('a browser without the token gets a page saying where the link is', async ({ page, served }) => {
  const response = await page.goto(new URL(served.url).origin);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole('heading', { level: 1, name: 'This Ferry console needs its access link' })).toBeVisible();
  await expect(page.getByText(/Ferry console: http:\/\/…\/\?token=…/)).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'access page');
  // Not the console (no theme of its own to wait for): it follows the OS's colours.
  if (!PICTURES) return;
  await mkdir(artifacts, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(artifacts, `access-page-${theme}-${size.width}.png`) });
    }
  }
});
