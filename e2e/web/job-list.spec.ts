import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright/test';
import { checkAndShoot, shoot, SIZES } from './axe.ts';
import { dismissNotices, engineClient, goTo, jobRow, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';

type Client = Awaited<ReturnType<typeof engineClient>>['client'];

/** A small folder to back up, next to the served data folder. */
async function smallFolder(dataDir: string, name: string): Promise<string> {
  const folder = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-${name}`);
  await mkdir(path.join(folder, 'letters'), { recursive: true });
  await writeFile(path.join(folder, 'readme.txt'), 'Quarterly figures and letters.\n');
  await writeFile(path.join(folder, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(300));
  return folder;
}

async function repositoryId(client: Client, name: string): Promise<string> {
  const found = (await client.call('repos.list', {})).find((repository) => repository.name === name);
  if (!found) throw new Error(`no repository ${name}`);
  return found.id;
}

/** The grid's scrolling part as the page sees it (the e2e project's types have no DOM). */
interface Scroller {
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  scrollTo(options: { top: number }): void;
}

/** Every cell of the grid lies inside it: nothing scrolls sideways, no action is cut off. */
async function expectFits(page: Page): Promise<void> {
  const scroller = page.getByRole('grid', { name: 'Jobs' }).locator('.MuiDataGrid-virtualScroller');
  // Polled: the grid picks its layout when its ResizeObserver fires, a moment after the window changed size.
  const overflow = () =>
    scroller.evaluate((element) => {
      const box = element as unknown as Scroller;
      return box.scrollWidth - box.clientWidth;
    });
  await expect.poll(overflow, { message: `the job list scrolls sideways at ${page.viewportSize()?.width}` }).toBeLessThanOrEqual(1);
  await expect.poll(async () => Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')), { message: 'the page scrolls sideways' }).toBeLessThanOrEqual(0);
}

test('the job list names what each job does and fits 1280×800 and 1024×700 with every action', async ({ page, served }) => {
  const docs = await smallFolder(served.dataDir, 'docs');
  const { client, close } = await engineClient(served.url);
  try {
    const main = await repositoryId(client, 'Default repository');
    const nas = (await client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: path.join(served.dataDir, 'nas') } })).id;
    const usb = (await client.call('repos.add', { name: 'USB drive', location: { kind: 'local', path: path.join(served.dataDir, 'usb') } })).id;
    const office = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Office documents',
        description: 'Letters and figures.',
        repositoryId: main,
        workloads: [
          { name: 'docs', folders: [docs] },
          { name: 'letters', folders: [path.join(docs, 'letters')] },
        ],
        schedule: { mode: 'daily', at: '22:00', weekdays: [1, 2, 3, 4, 5] },
      },
    });
    await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        sources: [{ kind: 'job', jobId: office.id }],
        repositoryId: nas,
        schedule: { mode: 'periodic', every: 6, unit: 'hours', startAt: '2026-01-05T01:00:00Z' },
        retention: { keepPoints: 7, gfs: { weekly: 4, monthly: 12, yearly: 0 } },
      },
    });
    await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Old archive', repositoryId: main, workloads: [{ name: 'archive', folders: [docs] }], enabled: false },
    });
    await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Travel laptop', repositoryId: usb, workloads: [{ name: 'laptop', folders: [docs] }] },
    });
    await client.call('repos.remove', { id: usb });

    await open(page, served.url);
    await goTo(page, 'Jobs');
    const grid = page.getByRole('grid', { name: 'Jobs' });
    await expect(grid.getByRole('row')).toHaveCount(5);

    // Each row says what the job does, in words.
    const officeRow = jobRow(page, 'Office documents');
    await expect(officeRow).toContainText('Backs up docs, letters');
    await expect(officeRow).toContainText('Mon–Fri');
    await expect(jobRow(page, 'Offsite copy')).toContainText('Every 6 hours');
    await expect(jobRow(page, 'Old archive')).toContainText('Disabled');
    await expect(jobRow(page, 'Travel laptop')).toContainText('Missing repository');
    await expect(jobRow(page, 'Travel laptop').getByRole('button', { name: 'Start Travel laptop' })).toBeDisabled();

    // The schedule is one short line.
    const mode = officeRow.locator('[data-field="mode"] .MuiTypography-body2');
    expect((await mode.boundingBox())?.height).toBeLessThan(24);

    await officeRow.getByRole('button', { name: 'Start Office documents' }).click();
    await expect(officeRow.getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    await dismissNotices(page);

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectFits(page);
      for (const name of ['Office documents', 'Offsite copy', 'Old archive', 'Travel laptop']) {
        const row = jobRow(page, name);
        // The grid scrolls up and down, never sideways: in view, each row shows all its actions.
        await row.scrollIntoViewIfNeeded();
        await expect(row.getByRole('button', { name: `Start ${name}` })).toBeInViewport({ ratio: 1 });
        await expect(row.getByRole('button', { name: `Stop ${name}` })).toBeInViewport({ ratio: 1 });
        await expect(row.getByRole('button', { name: 'More actions' })).toBeInViewport({ ratio: 1 });
      }
    }
    await page.setViewportSize(SIZES[0]);
    await page.mouse.move(0, 0);
    await checkAndShoot(page, 'jobs-list');

    // The same folder added again is the same repository: its job can run again.
    await client.call('repos.add', { name: 'USB drive', location: { kind: 'local', path: path.join(served.dataDir, 'usb') } });
    const laptop = jobRow(page, 'Travel laptop');
    await expect(laptop.locator('[data-field="status"]')).toHaveText('Idle');
    await expect(laptop.locator('[data-field="target"]')).toHaveText('USB drive');
    await expect(laptop.getByRole('button', { name: 'Start Travel laptop' })).toBeEnabled();
  } finally {
    close();
    await rm(docs, { recursive: true, force: true });
  }
});

test('500 jobs: the list stays virtualized, scrolls and keeps its header', async ({ page, served }) => {
  test.setTimeout(240_000);
  const docs = await smallFolder(served.dataDir, 'many');
  const { client, close } = await engineClient(served.url);
  try {
    const main = await repositoryId(client, 'Default repository');
    for (let index = 0; index < 500; index++) {
      await client.call('jobs.create', {
        definition: {
          kind: 'folder-backup',
          name: `Branch ${String(index).padStart(3, '0')}`,
          repositoryId: main,
          workloads: [{ name: 'docs', folders: [docs] }],
          schedule: index % 2 ? { mode: 'manual' } : { mode: 'periodic', every: 1 + (index % 12), unit: 'hours', startAt: '2026-01-05T01:00:00Z' },
        },
      });
    }
    await open(page, served.url);
    await goTo(page, 'Jobs');
    await expect(page.getByText('500 jobs', { exact: true })).toBeVisible();
    const grid = page.getByRole('grid', { name: 'Jobs' });
    await expect(page.getByText('1–100 of 500')).toBeVisible();
    await expect(jobRow(page, 'Branch 000')).toBeVisible();
    // Only the rows in view (and a few around them) are in the page.
    expect(await grid.locator('[role="row"][data-rowindex]').count()).toBeLessThan(40);

    const scroller = grid.locator('.MuiDataGrid-virtualScroller');
    const header = grid.getByRole('columnheader', { name: 'Name' });
    for (const step of [0.5, 1]) {
      await scroller.evaluate((element, share) => {
        const box = element as unknown as Scroller;
        box.scrollTo({ top: (box.scrollHeight - box.clientHeight) * share });
      }, step);
      await expect(header).toBeInViewport();
    }
    // The last of the first page of 100, then the next page.
    await expect(jobRow(page, 'Branch 099')).toBeInViewport();
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await expect(jobRow(page, 'Branch 100')).toBeVisible();
    await expect(page.getByText('101–200 of 500')).toBeVisible();

    // Search narrows the list at once: 012, 112, 212, 312, 412 and 120 to 129.
    await page.getByLabel('Search jobs').fill('branch 12');
    await expect(page.getByText('15 of 500 jobs', { exact: true })).toBeVisible();
    await expect(page.getByText('1–15 of 15')).toBeVisible();
    await expect(jobRow(page, 'Branch 012')).toBeVisible();
  } finally {
    close();
    await rm(docs, { recursive: true, force: true });
  }
});

test('a double-click on Start starts the job once; its session ends Success and the notice says started', async ({ page, served }) => {
  const docs = await smallFolder(served.dataDir, 'twice');
  const { client, close } = await engineClient(served.url);
  try {
    // A few seconds of reading (a sparse file takes no room): the job is still running at the second click.
    await writeFile(path.join(docs, 'image.raw'), '');
    await truncate(path.join(docs, 'image.raw'), 192 * 1024 ** 2);
    const main = await repositoryId(client, 'Default repository');
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Quick job', repositoryId: main, workloads: [{ name: 'docs', folders: [docs] }] },
    });
    await open(page, served.url);
    await goTo(page, 'Jobs');
    const row = jobRow(page, 'Quick job');
    const start = await row.getByRole('button', { name: 'Start Quick job' }).boundingBox();
    if (!start) throw new Error('no Start button');
    const [x, y] = [start.x + start.width / 2, start.y + start.height / 2];
    // A slow double-click: the second click comes once the list shows the job running.
    await page.mouse.click(x, y);
    await expect(row.getByRole('button', { name: 'Stop Quick job' })).toBeEnabled();
    await page.mouse.click(x, y);
    // The notices now, while they show (they hide by themselves before a slow run ends).
    await expect(page.getByRole('alert').filter({ hasText: 'Job “Quick job” started' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: /Could not|stop/i })).toHaveCount(0);
    await expect(row.getByText('Success', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('alert').filter({ hasText: /Could not|stop/i })).toHaveCount(0);
    const sessions = await client.call('sessions.list', { jobId: job.id, limit: 10 });
    expect(sessions.map((session) => session.result)).toEqual(['success']);
  } finally {
    close();
    await rm(docs, { recursive: true, force: true });
  }
});

test('a running job shows each workload live beside the list, and Stop ends it Stopped with what it moved', async ({ page, served }) => {
  // The screenshots are taken while the engine reads at full speed on a shared machine.
  test.setTimeout(150_000);
  const docs = await smallFolder(served.dataDir, 'busy-docs');
  const photos = path.join(path.dirname(served.dataDir), `${path.basename(served.dataDir)}-busy-photos`);
  const { client, close } = await engineClient(served.url);
  try {
    // A large sparse file: seconds of reading that take no room on the disk.
    await mkdir(photos, { recursive: true });
    await writeFile(path.join(photos, 'disk-image.raw'), '');
    await truncate(path.join(photos, 'disk-image.raw'), 64 * 1024 ** 3);
    const main = await repositoryId(client, 'Default repository');
    const job = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Busy share',
        repositoryId: main,
        workloads: [
          { name: 'docs', folders: [docs] },
          { name: 'photos', folders: [photos] },
        ],
      },
    });
    await open(page, served.url);
    await goTo(page, 'Jobs');
    const row = jobRow(page, 'Busy share');
    await row.getByRole('button', { name: 'Start Busy share' }).click();
    await expect(row.getByRole('status')).toHaveText(/^[\d,]+ files?, [\d.]+ [kMG]?B read$/);
    await expect(row.getByRole('button', { name: 'Start Busy share' })).toBeDisabled();
    await expect(row.getByRole('button', { name: 'Stop Busy share' })).toBeEnabled();
    // A running job cannot be deleted: its session would lose its job mid-run.
    await row.getByRole('button', { name: 'More actions' }).click();
    await expect(page.getByRole('menuitem', { name: 'Delete…' })).toBeDisabled();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();

    await row.getByRole('button', { name: 'Working: open the live session of Busy share' }).click();
    const view = page.getByRole('dialog', { name: 'Busy share' });
    const workloads = view.getByRole('table', { name: 'Workloads' });
    const photosRow = workloads.getByRole('row').filter({ hasText: 'photos' });
    await expect(photosRow).toContainText('Backing up');
    await expect(photosRow.getByRole('progressbar', { name: 'photos progress' })).toBeVisible();
    await expect(workloads.getByRole('row').filter({ hasText: 'docs' })).toContainText('Done');
    await expect(view.getByRole('log', { name: 'Log' })).toContainText('Started by hand.');
    await expect(view.getByRole('link', { name: 'Open in History' })).toHaveAttribute('href', /^#\/history\/.+/);
    await dismissNotices(page);
    await page.mouse.move(0, 0);
    await checkAndShoot(page, 'jobs-live-session');

    await view.getByRole('button', { name: 'Stop job' }).click();
    await expect(view.getByText('This session has ended.')).toBeVisible({ timeout: 30_000 });
    await expect(view.locator('[data-result="stopped"]')).toBeVisible();
    await expect(workloads.getByRole('row').filter({ hasText: 'docs' })).toContainText('Success');
    await view.getByRole('button', { name: 'Close the live session' }).click();
    await expect(row.getByText('Stopped', { exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: 'Start Busy share' })).toBeEnabled();

    const [session] = await client.call('sessions.list', { jobId: job.id, limit: 1 });
    expect(session?.result).toBe('stopped');
    expect(session?.bytesRead).toBeGreaterThan(0);
  } finally {
    close();
    await rm(docs, { recursive: true, force: true });
    await rm(photos, { recursive: true, force: true });
  }
});

test('selected jobs start, disable and enable together; Edit and Clone open the wizard; Delete says what is lost', async ({ page, served }) => {
  test.setTimeout(150_000);
  const docs = await smallFolder(served.dataDir, 'several');
  const { client, close } = await engineClient(served.url);
  try {
    const main = await repositoryId(client, 'Default repository');
    const make = (name: string) =>
      client.call('jobs.create', { definition: { kind: 'folder-backup', name, repositoryId: main, workloads: [{ name: 'docs', folders: [docs] }] } });
    const sales = await make('Sales share');
    await make('HR share');
    await make('Scans');
    // Sales share has a backup to lose: one run, through the contract.
    await client.call('jobs.start', { id: sales.id });
    await expect.poll(async () => (await client.call('sessions.list', { jobId: sales.id, limit: 1 }))[0]?.result, { timeout: 30_000 }).toBe('success');

    await open(page, served.url);
    await goTo(page, 'Jobs');
    // Delete: the dry run says what its backup holds; with the box ticked, it goes too.
    await jobRow(page, 'Sales share').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete job “Sales share”?' });
    await expect(confirm.getByRole('list', { name: 'The job’s backups' })).toContainText(/On Default repository \(folder .+\): 1 workload, 1 restore point, [\d.]+ [kM]?B/);
    await expect(confirm).toContainText('They stay in the repository, untouched');
    await confirm.getByRole('checkbox', { name: 'Also delete its backups' }).check();
    await expect(confirm).toContainText('deleted for good');
    await page.mouse.move(0, 0);
    await checkAndShoot(page, 'jobs-delete-with-backups');
    await confirm.getByRole('button', { name: 'Delete job and backups' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole('alert').filter({ hasText: 'Job “Sales share” and its backups deleted' })).toBeVisible();
    await expect(jobRow(page, 'Sales share')).toHaveCount(0);
    const backups = await client.call('backups.list', { repositoryId: main });
    expect(backups.map((backup) => backup.jobId)).not.toContain(sales.id);
    await make('Sales share');
    const selected = page.getByRole('toolbar', { name: 'Selected jobs' });
    // Selecting a row never moves the others: the next click lands where it was aimed.
    const before = await jobRow(page, 'HR share').getByRole('checkbox').boundingBox();
    expect(before, 'the HR share row should be on screen').not.toBeNull();
    await jobRow(page, 'Sales share').getByRole('checkbox').check();
    await expect(selected).toContainText('1 selected');
    expect(await jobRow(page, 'HR share').getByRole('checkbox').boundingBox()).toEqual(before);
    await jobRow(page, 'HR share').getByRole('checkbox').check();
    await expect(selected).toContainText('2 selected');
    await dismissNotices(page);
    await page.mouse.move(0, 0);
    await shoot(page, 'jobs-list-selected');

    await selected.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '2 jobs disabled' })).toBeVisible();
    for (const name of ['Sales share', 'HR share']) await expect(jobRow(page, name).locator('[data-field="status"]')).toHaveText('Disabled');
    await expect(jobRow(page, 'Scans').locator('[data-field="status"]')).toHaveText('Idle');
    await selected.getByRole('button', { name: 'Enable' }).click();
    for (const name of ['Sales share', 'HR share']) await expect(jobRow(page, name).locator('[data-field="status"]')).toHaveText('Idle');

    await selected.getByRole('button', { name: 'Start' }).click();
    for (const name of ['Sales share', 'HR share']) await expect(jobRow(page, name).getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(jobRow(page, 'Scans').locator('[data-field="result"]')).toHaveText('—');
    await selected.getByRole('button', { name: 'Clear selection' }).click();
    await expect(selected).toHaveCount(0);

    // The Show filter and the search.
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Folder backups' }).click();
    await expect(page.getByText('3 of 3 jobs', { exact: true })).toBeVisible();
    await page.getByLabel('Search jobs').fill('share');
    await expect(page.getByText('2 of 3 jobs', { exact: true })).toBeVisible();
    await expect(jobRow(page, 'Scans')).toHaveCount(0);
    await page.getByLabel('Search jobs').fill('');

    // Edit and Clone open the same wizard, filled in.
    await jobRow(page, 'Sales share').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit “Sales share”' });
    await expect(edit.getByLabel('Job name')).toHaveValue('Sales share');
    await page.keyboard.press('Escape');
    await expect(edit).toBeHidden();
    await jobRow(page, 'HR share').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Clone…' }).click();
    const clone = page.getByRole('dialog', { name: 'Clone “HR share”' });
    await expect(clone.getByLabel('Job name')).toHaveValue('Copy of HR share');
    await page.keyboard.press('Escape');
    await expect(clone).toBeHidden();

  } finally {
    close();
    await rm(docs, { recursive: true, force: true });
  }
});
