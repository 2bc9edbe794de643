import type { TestContext } from 'node:test';
import { checkAndShoot, expectNoSeriousA11yViolations } from './axe.ts';
import { engineClient, goTo, open } from './console-helpers.ts';
import { expect, test } from './serve-fixture.ts';
import { startSmtpServer } from '../../test/notify/smtp-server.ts';

/**
 * Settings: every engine setting is checked at its field with the engine's own schema,
 * saved, and read back after a reload; the test mail goes through a real SMTP server.
 */
test('settings: email with a test mail, traffic rules, scheduler and theme, each checked at its field', async ({ page, served }) => {
  test.setTimeout(180_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  const smtp = await startSmtpServer({ after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as TestContext);
  const engine = await engineClient(served.url);
  try {
    const { client } = engine;
    await client.call('repos.add', { name: 'Branch NAS', location: { kind: 'local', path: `${served.dataDir}/branch-nas` } });
    await open(page, served.url);
    await goTo(page, 'Settings');

    // Email: bad input is explained at each field, and nothing typed is lost.
    const mail = page.getByRole('form', { name: 'Email settings' });
    await mail.getByLabel('Port', { exact: true }).fill('70000');
    await mail.getByLabel('Sender', { exact: true }).fill('nobody');
    await mail.getByLabel('Recipients', { exact: true }).fill('admin@example.com, oops');
    await mail.getByRole('button', { name: 'Save' }).click();
    await expect(mail.getByText('Enter the SMTP server.')).toBeVisible();
    await expect(mail.getByText('Enter a port from 1 to 65535.')).toBeVisible();
    await expect(mail.getByText('Enter an email address.')).toBeVisible();
    await expect(mail.getByText('oops is not an email address.')).toBeVisible();
    await expect(mail.getByLabel('Server', { exact: true })).toBeFocused();
    // The focused field and its label are in view below the app bar, not scrolled under it.
    const banner = (await page.getByRole('banner').boundingBox())!;
    expect((await mail.getByLabel('Server', { exact: true }).boundingBox())!.y).toBeGreaterThan(banner.y + banner.height + 12);
    await expect(mail.getByLabel('Recipients', { exact: true })).toHaveValue('admin@example.com, oops');
    await checkAndShoot(page, 'settings-mail-errors');

    await mail.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await mail.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await mail.getByLabel('Security', { exact: true }).click();
    await page.getByRole('option', { name: /^None: plain text/ }).click();
    await expect(mail.getByLabel('Port', { exact: true })).toHaveValue(String(smtp.port));
    await mail.getByLabel('Sender', { exact: true }).fill('ferry@example.com');
    await mail.getByLabel('Recipients', { exact: true }).fill('admin@example.com\nops@example.com');
    await expect(mail.getByRole('button', { name: 'Send test mail' })).toBeDisabled();
    await mail.getByRole('button', { name: 'Save' }).click();
    await expect(mail.getByRole('status')).toContainText('Saved.');
    await mail.getByRole('button', { name: 'Send test mail' }).click();
    await expect(mail.getByRole('status')).toContainText('A test mail went to admin@example.com, ops@example.com.');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['admin@example.com', 'ops@example.com']);

    // Traffic rules: checked per rule, saved, and the engine has them.
    const traffic = page.getByRole('form', { name: 'Traffic rules' });
    await expect(traffic.getByText(/^No rules:/)).toBeVisible();
    await traffic.getByRole('button', { name: 'Add rule' }).click();
    const rule = traffic.getByRole('group', { name: 'Rule 1' });
    await rule.getByLabel('From', { exact: true }).click();
    await page.getByRole('option', { name: 'Branch NAS' }).click();
    await rule.getByLabel('To', { exact: true }).click();
    await page.getByRole('option', { name: 'Branch NAS' }).click();
    await traffic.getByRole('button', { name: 'Save rules' }).click();
    await expect(rule.getByText('Enter the limit in MB/s, a number such as 20.')).toBeVisible();
    await expect(rule.getByText(/^From and To are the same repository/)).toBeVisible();
    await expect(rule.getByLabel('Limit', { exact: true })).toBeFocused();
    await rule.getByLabel('To', { exact: true }).click();
    await page.getByRole('option', { name: 'Default repository' }).click();
    await rule.getByLabel('Limit', { exact: true }).fill('2,5');
    await rule.getByLabel('When', { exact: true }).click();
    await page.getByRole('option', { name: 'Between' }).click();
    await traffic.getByRole('button', { name: 'Save rules' }).click();
    await expect(traffic.getByRole('status')).toContainText('Saved.');
    const [saved] = await client.call('traffic.list', {});
    expect(saved).toMatchObject({ bytesPerSecond: 2_500_000, hours: { from: 8, to: 18 }, fromRepositoryId: expect.any(String) });

    // Scheduler: the rescan interval.
    const scheduler = page.getByRole('form', { name: 'Scheduler settings' });
    await scheduler.getByLabel('Rescan every', { exact: true }).fill('0');
    await scheduler.getByRole('button', { name: 'Save' }).click();
    await expect(scheduler.getByText('At least every minute.')).toBeVisible();
    await scheduler.getByLabel('Rescan every', { exact: true }).fill('15');
    await scheduler.getByRole('button', { name: 'Save' }).click();
    await expect(scheduler.getByRole('status')).toContainText('Saved.');
    expect((await client.call('scheduler.getSettings', {})).rescanMinutes).toBe(15);

    // After a reload every section shows what was saved; the password never comes back.
    await page.reload();
    await expect(mail.getByLabel('Server', { exact: true })).toHaveValue('127.0.0.1');
    await expect(mail.getByLabel('Recipients', { exact: true })).toHaveValue('admin@example.com\nops@example.com');
    await expect(traffic.getByRole('group', { name: 'Rule 1' }).getByLabel('Limit', { exact: true })).toHaveValue('2.5');
    await expect(scheduler.getByLabel('Rescan every', { exact: true })).toHaveValue('15');

    // The theme: a choice is kept in this browser; following the system is the default.
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => page.evaluate('document.documentElement.style.colorScheme')).toBe('dark');
    expect(await page.evaluate('localStorage.getItem("ferry.theme")')).toBe('dark');
    await page.getByRole('radio', { name: 'Follow the system' }).check();
    expect(await page.evaluate('localStorage.getItem("ferry.theme")')).toBeNull();
    await expectNoSeriousA11yViolations(page, 'Settings with a traffic rule and mail set up');
  } finally {
    engine.close();
    // The SMTP server's close waits for idle connections to time out: nothing to wait for.
    for (const cleanup of cleanups) void cleanup();
  }
});
