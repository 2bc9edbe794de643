import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { MailSettings } from '../../shared/domain/after-run.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { describeSmtpFailure } from '../../app/notify/mail.ts';
import { tempDir } from '../helpers.ts';
import { startEngine } from '../app/engine-harness.ts';
import { bodyText, closedPort, selfSignedCertificate, startSmtpServer } from './smtp-server.ts';

const settings = (port: number, more: Partial<MailSettings> = {}): MailSettings => ({
  enabled: true,
  host: '127.0.0.1',
  port,
  security: 'none',
  user: '',
  sender: 'ferry@example.com',
  recipients: ['admin@example.com', 'backup@example.com'],
  ...more,
});

const fieldFailure = (field: string, pattern: RegExp) => (e: unknown) =>
  e instanceof FerryError && e.code === 'invalid_input' && pattern.test(e.details?.fields?.[field] ?? '');

/** Every byte of the data folder but the sealed secrets (catalog, WAL, settings). */
async function dataFolderBytesOutsideSecrets(dataDir: string): Promise<string> {
  const names = await readdir(dataDir, { recursive: true, withFileTypes: true });
  const files = names.filter((entry) => entry.isFile() && entry.name !== 'secrets.sealed').map((entry) => path.join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, 'latin1')))).join('\n');
}

async function sourceFolder(root: string): Promise<string> {
  const folder = path.join(root, 'docs');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'a.txt'), 'report me\n'.repeat(300));
  return folder;
}

async function runJob({ client, engine }: Awaited<ReturnType<typeof startEngine>>, id: string) {
  const { sessionId } = await client.call('jobs.start', { id });
  await engine.jobs.settled(id);
  return client.call('sessions.get', { id: sessionId });
}

describe('mail settings and the test mail', () => {
  it('keeps the password in the secret store only, never answers it, and authenticates with it', async (t) => {
    const smtp = await startSmtpServer(t, { auth: { user: 'ferry', pass: 'S3cret-mail-pass' } });
    const { client, dataDir } = await startEngine(t);
    assert.equal(await client.call('mail.get', {}), null);

    const saved = await client.call('mail.set', { ...settings(smtp.port, { user: 'ferry' }), password: 'S3cret-mail-pass' });
    assert.equal(saved.passwordStored, true);
    assert.ok(!JSON.stringify(saved).includes('S3cret-mail-pass'));
    assert.ok(!JSON.stringify(await client.call('mail.get', {})).includes('S3cret-mail-pass'));
    assert.ok(!(await dataFolderBytesOutsideSecrets(dataDir)).includes('S3cret-mail-pass'), 'not in the catalog');

    assert.deepEqual(await client.call('mail.test', {}), { recipients: ['admin@example.com', 'backup@example.com'] });
    assert.equal(smtp.mails.length, 1);
    assert.equal(smtp.mails[0]!.user, 'ferry');
    assert.deepEqual(smtp.mails[0]!.to, ['admin@example.com', 'backup@example.com']);
    assert.equal(smtp.mails[0]!.from, 'ferry@example.com');
    assert.match(smtp.mails[0]!.raw, /Subject: \[Ferry\] Test mail/);

    // Saved again without a password: the stored one stays.
    await client.call('mail.set', settings(smtp.port, { user: 'ferry', recipients: ['other@example.com'] }));
    await client.call('mail.test', {});
    assert.deepEqual(smtp.mails[1]!.to, ['other@example.com']);

    // A wrong one is refused by the server, at the password.
    await client.call('mail.set', { ...settings(smtp.port, { user: 'ferry' }), password: 'wrong' });
    await assert.rejects(client.call('mail.test', {}), fieldFailure('password', /127\.0\.0\.1:\d+ did not take the message: .*Invalid username or password/));

    // No user: no password kept.
    assert.equal((await client.call('mail.set', settings(smtp.port))).passwordStored, false);
    await assert.rejects(client.call('mail.set', { ...settings(smtp.port), password: 'x' }), fieldFailure('user', /user the password belongs to/));
  });

  it('refuses settings that make no sense at the field', async (t) => {
    const { client } = await startEngine(t);
    await assert.rejects(client.call('mail.set', settings(0)), fieldFailure('port', /from 1 to 65535/));
    await assert.rejects(client.call('mail.set', settings(25, { sender: 'not an address' })), fieldFailure('sender', /email address/));
    await assert.rejects(client.call('mail.set', settings(25, { recipients: [] })), fieldFailure('recipients', /at least one recipient/));
    await assert.rejects(client.call('mail.set', settings(25, { host: 'smtp.example.com\r\nRCPT TO:<x@y>' })), fieldFailure('host', /host name/));
    await assert.rejects(client.call('mail.test', {}), (e: unknown) => e instanceof FerryError && e.code === 'not_found' && /Mail is not set up/.test(e.message));
  });

  it('says what to check when the server cannot be reached, never a bare errno', () => {
    const cases: [string | undefined, string, RegExp][] = [
      ['ESOCKET', 'connect ECONNREFUSED 10.0.0.9:25', /^Nothing accepts connections at mail\.example:25: check the server and the port\.$/],
      ['EDNS', 'getaddrinfo ENOTFOUND mail.example', /^The server name mail\.example is not known/],
      ['ETIMEDOUT', 'Connection timeout', /^mail\.example:25 did not answer in time/],
      ['ESOCKET', 'read ECONNRESET', /^The connection to mail\.example:25 broke off/],
      ['EAUTH', 'Invalid login: 535 Invalid username or password', /^The mail server mail\.example:25 did not take the message: Invalid login: 535/],
    ];
    for (const [code, message, words] of cases) {
      const said = describeSmtpFailure(code, message, 'mail.example', 25);
      assert.match(said, words);
      if (code !== 'EAUTH') assert.doesNotMatch(said, /\bE[A-Z]{4,}\b/);
    }
  });

  it('fails the test mail at the host, within seconds, when nothing answers', async (t) => {
    const { client } = await startEngine(t);
    await client.call('mail.set', settings(await closedPort()));
    const began = Date.now();
    await assert.rejects(client.call('mail.test', {}), fieldFailure('host', /^Nothing accepts connections at 127\.0\.0\.1:\d+: check the server and the port\.$/));
    assert.ok(Date.now() - began < 10_000);
  });

  it('speaks STARTTLS and TLS, checks the certificate, and never falls back to plain text', async (t) => {
    const certificate = await selfSignedCertificate(t);
    if (!certificate) return t.skip('openssl is not installed: no certificate for the TLS server');
    const starttls = await startSmtpServer(t, { tls: certificate, auth: { user: 'u', pass: 'p' } });
    const tls = await startSmtpServer(t, { tls: certificate, secure: true });
    const plainOnly = await startSmtpServer(t);

    const trusting = await startEngine(t, undefined, { mailCa: certificate.cert });
    await trusting.client.call('mail.set', { ...settings(starttls.port, { security: 'starttls', user: 'u' }), password: 'p' });
    await trusting.client.call('mail.test', {});
    assert.equal(starttls.mails[0]?.secure, true, 'upgraded before the message');
    await trusting.client.call('mail.set', settings(tls.port, { security: 'tls' }));
    await trusting.client.call('mail.test', {});
    assert.equal(tls.mails[0]?.secure, true);

    await trusting.client.call('mail.set', settings(plainOnly.port, { security: 'starttls' }));
    await assert.rejects(trusting.client.call('mail.test', {}), fieldFailure('security', /STARTTLS/));
    assert.equal(plainOnly.mails.length, 0, 'nothing sent in plain text');

    // An engine that does not trust the self-signed certificate refuses the server.
    const wary = await startEngine(t);
    await wary.client.call('mail.set', settings(tls.port, { security: 'tls' }));
    await assert.rejects(wary.client.call('mail.test', {}), fieldFailure('host', /self-signed certificate/));
    assert.equal(tls.mails.length, 1);
  });
});

describe('mail reports after a run', () => {
  async function setUp(t: TestContext) {
    const root = await tempDir(t);
    const smtp = await startSmtpServer(t);
    const harness = await startEngine(t);
    const [repo] = await harness.client.call('repos.list', {});
    await harness.client.call('mail.set', settings(smtp.port, { recipients: ['ops@example.com'] }));
    const docs = await sourceFolder(root);
    return { ...harness, smtp, root, repositoryId: repo!.id, docs };
  }

  it('reports a failed session by default: the job, the result, each workload with its reason, bytes, duration', async (t) => {
    const engine = await setUp(t);
    // A folder there when the job is made (the engine refuses one that is not), gone by its run.
    const gone = path.join(engine.root, 'missing');
    await mkdir(gone);
    const job = await engine.client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Office files',
        repositoryId: engine.repositoryId,
        workloads: [
          { name: 'docs', folders: [engine.docs] },
          { name: 'gone', folders: [gone] },
        ],
      },
    });
    await rm(gone, { recursive: true });
    const session = await runJob(engine, job.id);
    assert.equal(session.result, 'failed');
    assert.equal(engine.smtp.mails.length, 1);
    const mail = engine.smtp.mails[0]!;
    assert.deepEqual(mail.to, ['ops@example.com']);
    assert.match(mail.raw, /Subject: \[Ferry\] Failed: Office files/);
    const text = bodyText(mail.raw);
    assert.match(text, /^Job: Office files \(folder backup\)$/m);
    assert.match(text, /^Result: Failed$/m);
    assert.match(text, /^Started: \d{1,2} \w{3} \d{4}, [\d:]{8}$/m);
    assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:/, 'dates in words, never ISO');
    assert.match(text, /^Duration: \d+ s$/m);
    assert.match(text, /^Read: [\d.]+ (B|KiB|kB|KB), new: /m);
    assert.match(text, /^- docs: Success \(read [\d.]+ \S+, stored [\d.]+ \S+, \d+ s\)$/m);
    assert.match(text, /^- gone: Failed — .*missing.*cannot be read/m);
    assert.match(text, new RegExp(`Session ${session.id}`));
    assert.ok(session.log.some((line) => line.level === 'info' && line.message === 'Mail report sent to ops@example.com.'));
  });

  it('sends on success only when the job asks for it, and never when mail is disabled', async (t) => {
    const engine = await setUp(t);
    const definition = { kind: 'folder-backup' as const, name: 'Docs', repositoryId: engine.repositoryId, workloads: [{ name: 'docs', folders: [engine.docs] }] };
    const job = await engine.client.call('jobs.create', { definition });
    assert.equal((await runJob(engine, job.id)).result, 'success');
    assert.equal(engine.smtp.mails.length, 0, 'success is not reported by default');

    await engine.client.call('jobs.update', { id: job.id, definition: { ...definition, mailReport: { onSuccess: true } } });
    await runJob(engine, job.id);
    assert.equal(engine.smtp.mails.length, 1);
    assert.match(engine.smtp.mails[0]!.raw, /Subject: \[Ferry\] Success: Docs/);

    await engine.client.call('mail.set', settings(1025, { enabled: false }));
    await runJob(engine, job.id);
    assert.equal(engine.smtp.mails.length, 1);
  });

  it('an unreachable mail server is a warning line in the session; the session keeps its result', async (t) => {
    const engine = await setUp(t);
    await engine.client.call('mail.set', settings(await closedPort()));
    const job = await engine.client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Docs', repositoryId: engine.repositoryId, workloads: [{ name: 'docs', folders: [engine.docs] }], mailReport: { onSuccess: true } },
    });
    const session = await runJob(engine, job.id);
    assert.equal(session.result, 'success');
    assert.deepEqual(session.tasks.map((task) => task.result), ['success']);
    assert.ok(session.log.some((line) => line.level === 'warning' && /The mail report could not be sent: Nothing accepts connections at 127\.0\.0\.1:\d+/.test(line.message) && !/ECONNREFUSED/.test(line.message)));
    assert.equal((await engine.client.call('jobs.list', {}))[0]?.running, false);
  });
});
