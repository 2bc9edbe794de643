import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright/test';
import { checkAndShoot } from './axe.ts';
import { dismissNotices, engineClient, goTo, open, PAGES } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

/**
 * Every page of the console with some data in it, through axe (both themes) and the
 * screenshot matrix (light and dark, 1280×800 and 1024×700) in e2e/artifacts. One served
 * engine for the whole file: the data is made once, through the contract.
 */
test.describe.configure({ mode: 'serial' });

type Client = Awaited<ReturnType<typeof engineClient>>['client'];

/** Runs a job through the contract and waits, by polling the engine, for its session to end. */
async function runToEnd(client: Client, jobId: string): Promise<void> {
  const { sessionId } = await client.call('jobs.start', { id: jobId });
  await expect.poll(async () => (await client.call('sessions.get', { id: sessionId })).endedAt, { timeout: 30_000 }).not.toBeNull();
}

/** Moves the pointer off every control (a tooltip would cover the page) and closes notices. */
async function quiet(page: Page): Promise<void> {
  await page.mouse.move(1, 1);
  await dismissNotices(page);
}

test('every page, with data, passes axe and is shot light and dark at both sizes', async ({ page, served }) => {
  // Seven pages, each: two axe runs and four to eight screenshots, a few seconds on a busy machine.
  test.setTimeout(180_000);
  const docs = `${served.dataDir}-docs`;
  const engine = await engineClient(served.url);
  try {
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(400));

    const { client } = engine;
    const nas = await client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: path.join(served.dataDir, 'branch-nas') } });
    const [primary] = await client.call('repos.list', {});
    const office = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Office documents',
        description: 'Letters and figures of the office.',
        repositoryId: primary!.id,
        workloads: [{ name: 'documents', folders: [docs] }],
        schedule: { mode: 'daily', at: '21:00', weekdays: [1, 2, 3, 4, 5] },
      },
    });
    await runToEnd(client, office.id);
    const copy = await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        description: 'A second copy of the office backups.',
        sources: [{ kind: 'job', jobId: office.id }],
        repositoryId: nas.id,
      },
    });
    await runToEnd(client, copy.id);

    await open(page, served.url);
    for (const name of PAGES) {
      await goTo(page, name);
      await quiet(page);
      await checkAndShoot(page, `page-${name.toLowerCase()}`);
    }

    // At the smaller size a table may scroll sideways, but its row actions stay in reach.
    await goTo(page, 'Repositories');
    await page.setViewportSize({ width: 1024, height: 700 });
    for (const action of ['Rescan Branch NAS', 'Remove Branch NAS']) {
      await expect(page.getByRole('button', { name: action })).toBeInViewport({ ratio: 1 });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await goTo(page, 'History');
    await page.getByRole('table', { name: 'Sessions' }).getByRole('link', { name: 'Offsite copy' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Offsite copy' })).toBeVisible();
    await quiet(page);
    await checkAndShoot(page, 'page-history-session');
  } finally {
    engine.close();
    await rm(docs, { recursive: true, force: true });
  }
});
