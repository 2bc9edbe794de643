import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addFolderRepository, cliBackup, dismissNotices, engineClient, ferry, goTo, jobRow, open, repositoryCell, shot } from './console-helpers.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { expect, test } from './serve-fixture.ts';

test('a backup copy job runs from the job list, and its session names what was copied', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-copy-'));
  const engine = await engineClient(served.url);
  try {
    await mkdir(path.join(docs, 'letters'), { recursive: true });
    await writeFile(path.join(docs, 'readme.txt'), 'Quarterly figures and letters.\n');
    await writeFile(path.join(docs, 'letters', 'to-the-bank.txt'), 'Dear bank,\n'.repeat(2000));

    // The primary backups: made with the CLI on a branch NAS folder, found by a rescan.
    await open(page, served.url);
    await goTo(page, 'Repositories');
    const nas = path.join(served.dataDir, 'branch-nas');
    await addFolderRepository(page, 'Branch NAS', nas);
    expect(await cliBackup(nas, 'Office', 'docs', docs)).toMatch(/docs\s+success/);
    await page.getByRole('button', { name: 'Rescan Branch NAS' }).click();
    await expect(await repositoryCell(page, 'Branch NAS', 'Backups')).toHaveText('1');

    // The job, through the contract (the copy job wizard comes with the full console).
    const repositories = await engine.client.call('repos.list', {});
    const source = repositories.find((r) => r.name === 'Branch NAS')!;
    const target = repositories.find((r) => r.name === 'Default repository')!;
    const refused = await engine.client
      .call('jobs.create', { definition: { kind: 'backup-copy', name: 'Loop', sources: [{ kind: 'repository', repositoryId: target.id }], repositoryId: target.id } })
      .catch((error: unknown) => error as FerryError);
    expect(refused).toBeInstanceOf(FerryError);
    expect((refused as FerryError).details?.fields?.['repositoryId']).toMatch(/^The target is a source's repository/);
    await engine.client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite copy',
        description: 'A second copy of the branch backups.',
        sources: [{ kind: 'repository', repositoryId: source.id }],
        repositoryId: target.id,
      },
    });

    await goTo(page, 'Jobs');
    const row = jobRow(page, 'Offsite copy');
    await expect(row).toContainText('Backup copy');
    await expect(row).toContainText('From repository Branch NAS');
    await expect(row.locator('[data-field="target"]')).toHaveText('Default repository');
    await expect(page.getByText('Loop', { exact: true })).toHaveCount(0);
    await row.getByRole('button', { name: 'Start Offsite copy' }).click();
    await expect(row.getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    await page.mouse.move(640, 780);
    await dismissNotices(page);
    await shot(page, 'jobs-list-copy');

    await goTo(page, 'History');
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await sessions.getByRole('link', { name: 'Offsite copy' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Offsite copy' })).toBeVisible();
    const task = page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'docs' });
    await expect(task.getByText('Success', { exact: true })).toBeVisible();
    const log = page.getByRole('log', { name: 'Log' });
    await expect(log).toContainText(/docs: copying the point of \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d from /);
    await expect(log).toContainText('docs: success');
    await shot(page, 'history-session-copy');

    // A second run finds nothing new: the point is never copied twice.
    await goTo(page, 'Jobs');
    await row.getByRole('button', { name: 'Start Offsite copy' }).click();
    await goTo(page, 'History');
    await expect(sessions.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
    await sessions.getByRole('link', { name: 'Offsite copy' }).first().click();
    await expect(page.getByRole('log', { name: 'Log' })).toContainText('up to date', { timeout: 30_000 });
    await shot(page, 'history-session-copy-up-to-date');

    // The copy's backup, found without a rescan, with the lineage of its point.
    await goTo(page, 'Backups');
    const copy = page.getByRole('region', { name: 'Offsite copy' });
    await expect(copy.getByText('Backup copy')).toBeVisible();
    await copy.getByRole('button', { name: /^docs/ }).click();
    const points = page.getByRole('table', { name: 'Restore points' });
    await expect(points.getByRole('row')).toHaveCount(2);
    await expect(points).toContainText('Copied from “Office” in Branch NAS');
    await shot(page, 'backups-with-copy');

    // A throttled job shows its chunks, bytes and time left while it runs, and stops
    // leaving no point.
    await writeFile(path.join(docs, 'scan.raw'), randomBytes(1536 * 1024));
    expect(await cliBackup(nas, 'Office', 'docs', docs)).toMatch(/docs\s+success/);
    await engine.client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Slow copy',
        sources: [{ kind: 'repository', repositoryId: source.id }],
        repositoryId: target.id,
        dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 64 * 1024 },
      },
    });
    await goTo(page, 'Jobs');
    const slow = jobRow(page, 'Slow copy');
    await slow.getByRole('button', { name: 'Start Slow copy' }).click();
    // Beside the list: the workload's phase, progress, bytes, rate and time left.
    await slow.getByRole('button', { name: 'Working: open the live session of Slow copy' }).click();
    const view = page.getByRole('dialog', { name: 'Slow copy' });
    const line = view.getByRole('table', { name: 'Workloads' }).getByRole('row').filter({ hasText: 'docs' });
    await expect(line).toContainText('Copying', { timeout: 15_000 });
    await expect(line.getByRole('progressbar', { name: 'docs progress' })).toHaveAttribute('aria-valuenow', /\d+/);
    await expect(line).toContainText(/\/s.*\d+ (s|min)$/);
    await shot(page, 'jobs-live-session-copy');
    await view.getByRole('link', { name: 'Open in History' }).click();
    const progress = page.getByRole('region', { name: 'Progress' }).getByRole('group', { name: 'docs' });
    await expect(progress.getByText('Copying', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(progress).toContainText(/\d+ of \d+ chunks · .*B written · .*\/s · .* left/);
    await expect(progress.getByRole('progressbar', { name: 'docs in progress' })).toHaveAttribute('aria-valuenow', /\d+/);
    await shot(page, 'history-session-copy-running');
    await page.getByRole('button', { name: 'Stop job' }).click();
    const stopped = page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'docs' });
    await expect(stopped.getByText('Stopped', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(stopped).toContainText('stopped before its point was complete');
    await shot(page, 'history-session-copy-stopped');
  } finally {
    engine.close();
    await rm(docs, { recursive: true, force: true });
  }
});

test('an encrypted source is not copied into an unencrypted target unasked: History says why, and a job that allows it is marked', async ({ page, served }) => {
  const ledger = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-plaintext-'));
  const engine = await engineClient(served.url);
  try {
    await writeFile(path.join(ledger, 'accounts.txt'), 'Salaries and accounts.\n'.repeat(500));
    // An encrypted repository made with the CLI, registered while still empty.
    const vault = path.join(served.dataDir, 'vault-nas');
    await ferry(['repo', 'init', vault, '--encrypt'], { FERRY_PASSWORD: 'vault secret' });
    await open(page, served.url);
    await goTo(page, 'Repositories');
    await addFolderRepository(page, 'Vault NAS', vault);
    const repositories = await engine.client.call('repos.list', {});
    const source = repositories.find((r) => r.name === 'Vault NAS')!;
    const target = repositories.find((r) => r.name === 'Default repository')!;
    const definition = { kind: 'backup-copy' as const, name: 'Plain copy', sources: [{ kind: 'repository' as const, repositoryId: source.id }], repositoryId: target.id };
    const job = await engine.client.call('jobs.create', { definition });

    // Its first backup appears later: known to be encrypted only when the copy runs.
    expect(await cliBackup(vault, 'Ledger', 'ledger', ledger, { FERRY_PASSWORD: 'vault secret' })).toMatch(/ledger\s+success/);
    await page.getByRole('button', { name: 'Rescan Vault NAS' }).click();
    await expect(await repositoryCell(page, 'Vault NAS', 'Backups')).toHaveText('1');
    const [backup] = await engine.client.call('backups.list', { repositoryId: source.id });
    await engine.client.call('backups.unlock', { repositoryId: source.id, folder: backup!.folder, password: 'vault secret' });
    // Now it is known, a new job like it is refused at once, naming the option.
    const refused = await engine.client.call('jobs.create', { definition: { ...definition, name: 'Plain copy 2' } }).catch((error: unknown) => error as FerryError);
    expect((refused as FerryError).details?.fields?.['allowPlaintext']).toMatch(/^This copy is not encrypted, and its sources include encrypted ones \(the backup "Ledger"\)/);

    await goTo(page, 'Jobs');
    const row = jobRow(page, 'Plain copy');
    await row.getByRole('button', { name: 'Start Plain copy' }).click();
    await expect(row.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
    await goTo(page, 'History');
    await page.getByRole('table', { name: 'Sessions' }).getByRole('link', { name: 'Plain copy' }).click();
    const task = page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'ledger' });
    await expect(task.getByText('Failed', { exact: true })).toBeVisible();
    await expect(task).toContainText(
      `not copied: its source ${vault}/Ledger is encrypted and the target backup is not, so its data would be stored there unencrypted. Make the copy job encrypted, or turn on its allowPlaintext option to store it unencrypted.`,
    );
    await dismissNotices(page);
    await shot(page, 'history-session-copy-plaintext-refused');

    // Allowed explicitly: the job list says so at the job.
    await engine.client.call('jobs.update', { id: job.id, definition: { ...definition, allowPlaintext: true } });
    await goTo(page, 'Jobs');
    await expect(row.getByRole('img', { name: 'Plain copy stores encrypted sources unencrypted' })).toBeVisible();
    await row.getByRole('button', { name: 'Start Plain copy' }).click();
    await expect(row.getByText('Success', { exact: true })).toBeVisible({ timeout: 30_000 });
    await page.mouse.move(640, 780);
    await dismissNotices(page);
    await shot(page, 'jobs-list-copy-plaintext');
  } finally {
    engine.close();
    await rm(ledger, { recursive: true, force: true });
  }
});

test('the job list shows each job\'s status and next run from the engine\'s schedule', async ({ page, served }) => {
  const docs = await mkdtemp(path.join(tmpdir(), 'ferry-e2e-sched-'));
  const engine = await engineClient(served.url);
  try {
    await writeFile(path.join(docs, 'readme.txt'), 'Figures.\n');
    const [target] = await engine.client.call('repos.list', {});
    const nas = path.join(served.dataDir, 'branch-nas');
    await ferry(['repo', 'init', nas]);
    const source = await engine.client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: nas } });
    await engine.client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Weeknights',
        repositoryId: source.id,
        workloads: [{ name: 'docs', folders: [docs] }],
        schedule: { mode: 'daily', at: '22:00', weekdays: [1, 2, 3, 4, 5] },
      },
    });
    await engine.client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Offsite as it comes', sources: [{ kind: 'repository', repositoryId: source.id }], repositoryId: target!.id, schedule: { mode: 'immediate' } },
    });
    await engine.client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite paused',
        sources: [{ kind: 'repository', repositoryId: source.id }],
        repositoryId: target!.id,
        schedule: { mode: 'periodic', every: 1, unit: 'days', startAt: new Date().toISOString(), lookForward: false },
        enabled: false,
      },
    });

    await open(page, served.url);
    await goTo(page, 'Jobs');
    const row = (name: string) => jobRow(page, name);
    const schedule = (name: string) => row(name).locator('[data-field="mode"]');
    await expect(schedule('Weeknights')).toContainText(/^Mon–Fri (22:00|10:00\sPM)/);
    await expect(schedule('Weeknights')).toContainText(/Next: .+ \d{1,2}:00/);
    await expect(row('Weeknights').getByText('Idle')).toBeVisible();
    await expect(schedule('Offsite as it comes')).toContainText('Next: on a new point');
    await expect(row('Offsite paused').getByText('Disabled')).toBeVisible();
    await expect(schedule('Offsite paused')).not.toContainText('Next:');
    await page.mouse.move(640, 780);
    await shot(page, 'jobs-list-scheduled');
  } finally {
    engine.close();
    await rm(docs, { recursive: true, force: true });
  }
});
