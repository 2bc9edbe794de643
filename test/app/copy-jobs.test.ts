import assert from 'node:assert/strict';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { JobDefinitionInput, SessionDetail } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import {
  assertRestoresLike,
  assertVerifies,
  backupFolders,
  listKeys,
  rewriteFiles,
  writeRandomFiles,
} from '../copy/fixtures.ts';
import { runFerry as cli, tempDir } from '../helpers.ts';
import { runJob, startEngine } from './engine-harness.ts';

const KiB = 1024;

/** An engine whose default repository holds the primary backups, with more repositories registered. */
async function setUp(t: TestContext, extra: string[]) {
  const root = await tempDir(t);
  const harness = await startEngine(t);
  const [primary] = await harness.client.call('repos.list', {});
  assert.ok(primary?.location.kind === 'local');
  const repos: Record<string, { id: string; path: string }> = { primary: { id: primary.id, path: primary.location.path } };
  for (const name of extra) {
    const folder = path.join(root, name);
    const added = await harness.client.call('repos.add', { name, location: { kind: 'local', path: folder } });
    repos[name] = { id: added.id, path: folder };
  }
  return { ...harness, root, repos };
}

type Engine = Awaited<ReturnType<typeof startEngine>>;

const tasksOf = (session: SessionDetail) => Object.fromEntries(session.tasks.map((task) => [task.workload, task]));

/** The job's backup on a repository folder, opened in this process. */
async function openJobBackup(repositoryPath: string, jobId: string, password?: string) {
  const repository = await Repository.open(new LocalFolderStore(repositoryPath));
  for (const folder of await repository.listBackupFolders()) {
    const config = await repository.readBackupConfig(folder);
    if (config.jobId === jobId) return repository.openBackup(folder, password);
  }
  throw new Error(`no backup of job ${jobId} in ${repositoryPath}`);
}

function folderJob(name: string, repositoryId: string, workloads: Record<string, string>): JobDefinitionInput {
  return { kind: 'folder-backup', name, repositoryId, workloads: Object.entries(workloads).map(([w, folder]) => ({ name: w, folders: [folder] })) };
}

type CopyJobInput = Extract<JobDefinitionInput, { kind: 'backup-copy' }>;

function copyJob(name: string, repositoryId: string, sources: CopyJobInput['sources'], more: Partial<CopyJobInput> = {}): CopyJobInput {
  return { kind: 'backup-copy', name, repositoryId, sources, ...more };
}

/** The folder backup job "Files" on the primary repository, with one workload of random files, run once. */
async function primaryJob(engine: Engine & { root: string; repos: Record<string, { id: string }> }, workload: string, files: number, size: number) {
  const data = path.join(engine.root, workload);
  await writeRandomFiles(data, files, size);
  const job = await engine.client.call('jobs.create', { definition: folderJob('Files', engine.repos['primary']!.id, { [workload]: data }) });
  assert.equal((await runJob(engine, job.id)).session.result, 'success');
  return { data, job };
}

const isFieldError = (field: string, pattern: RegExp) => (error: unknown) => error instanceof FerryError && pattern.test(error.details?.fields?.[field] ?? '');

describe('backup copy jobs in the engine', () => {
  it('copies from job, backup, workload and repository sources into one encrypted backup, with a session and progress', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['branch', 'archive', 'server', 'offsite']);
    const { client, root, repos } = engine;
    const folder = async (name: string) => {
      const at = path.join(root, 'data', name);
      await writeRandomFiles(at, 3, 96 * KiB);
      return at;
    };
    const docs = await folder('docs');
    const photos = await folder('photos');
    // Backups the engine did not make: an encrypted one in "branch", others in "archive" and "server".
    const branchStore = new LocalFolderStore(repos['branch']!.path);
    const branch = await backupFolders(branchStore, 'Branch', { ledger: await folder('ledger'), scans: await folder('scans') }, 'branch secret');
    await backupFolders(new LocalFolderStore(repos['archive']!.path), 'Archive', { old: await folder('old') });
    await backupFolders(new LocalFolderStore(repos['server']!.path), 'Mail server', { mail: await folder('mail'), calendar: await folder('calendar') });

    const files = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { docs, photos }) });
    assert.equal((await runJob(engine, files.id)).session.result, 'success');
    const job = await client.call('jobs.create', {
      definition: copyJob('Offsite copy', repos['offsite']!.id, [
        { kind: 'job', jobId: files.id },
        { kind: 'backup', repositoryId: repos['branch']!.id, backupId: branch.backup.config.id, workloads: ['ledger'] },
        { kind: 'workload', workload: 'mail' },
        { kind: 'repository', repositoryId: repos['archive']!.id },
      ], { storage: { encrypted: true } }),
      password: 'offsite secret',
    });
    assert.equal(job.kind, 'backup-copy');

    // The branch backup is locked: its workloads fail and say how to unlock it; the rest is copied.
    const first = await runJob(engine, job.id);
    assert.equal(first.session.result, 'failed');
    const run1 = tasksOf(first.session);
    assert.deepEqual(Object.keys(run1).sort(), ['branch/Branch', 'docs', 'mail', 'old', 'photos']);
    assert.equal(run1['branch/Branch']?.result, 'failed');
    assert.match(run1['branch/Branch']?.reason ?? '', /encrypted.*Unlock the backup on the Backups page\.$/);
    for (const w of ['docs', 'photos', 'mail', 'old']) {
      assert.equal(run1[w]?.result, 'success', `${w}: ${run1[w]?.reason}`);
      assert.match(run1[w]?.pointId ?? '', /^[0-9a-f]{32}$/);
      assert.ok(run1[w]!.bytesStored > 3 * 96 * KiB, `${w} moved its data`);
    }
    assert.ok(first.session.log.some((line) => line.level === 'info' && /^docs: copying the point of \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d from /.test(line.message)));
    assert.ok(first.session.log.some((line) => line.level === 'error' && /^branch\/Branch: failed — .*Unlock the backup/.test(line.message)));
    assert.ok(first.session.bytesStored >= 12 * 96 * KiB);

    const copying = first.progress.filter((p) => p.copy);
    for (const w of ['docs', 'photos', 'mail', 'old']) {
      const phases = copying.filter((p) => p.workload === w).map((p) => p.copy!.phase);
      assert.ok(phases.includes('copying') && phases.at(-1) === 'done', `${w}: ${phases.join(' → ')}`);
    }
    const done = copying.find((p) => p.workload === 'docs' && p.copy!.phase === 'done')!.copy!;
    assert.equal(done.chunksDone, done.chunksTotal);
    assert.ok(done.chunksTotal >= 3, 'one chunk per file at least');
    assert.ok(done.bytesTransferred >= 3 * 96 * KiB);
    assert.ok(copying.every((p) => Number.isFinite(p.copy!.rateBytesPerSecond) && p.copy!.rateBytesPerSecond >= 0));
    assert.ok(copying.some((p) => p.copy!.rateBytesPerSecond > 0));

    await assert.rejects(
      client.call('backups.unlock', { repositoryId: repos['branch']!.id, folder: branch.backup.folder, password: 'wrong' }),
      (e: unknown) => e instanceof FerryError && e.code === 'wrong_password',
    );
    assert.deepEqual(await client.call('backups.unlock', { repositoryId: repos['branch']!.id, folder: branch.backup.folder, password: 'branch secret' }), { unlocked: true });
    const second = await runJob(engine, job.id);
    assert.equal(second.session.result, 'success', JSON.stringify(second.session.tasks));
    const run2 = tasksOf(second.session);
    assert.deepEqual(Object.keys(run2).sort(), ['docs', 'ledger', 'mail', 'old', 'photos'], 'scans is not chosen, calendar not named');
    assert.match(run2['ledger']!.pointId ?? '', /^[0-9a-f]{32}$/);
    for (const w of ['docs', 'photos', 'mail', 'old']) assert.match(run2[w]!.reason ?? '', /^up to date/);

    const target = await openJobBackup(repos['offsite']!.path, job.id, 'offsite secret');
    assert.equal(target.encrypted, true);
    assert.equal(target.config.kind, 'backup-copy');
    const points = (await target.listPoints()).points;
    assert.deepEqual(points.map((p) => p.workload).sort(), ['docs', 'ledger', 'mail', 'old', 'photos']);
    const ledger = points.find((p) => p.workload === 'ledger')!;
    assert.equal(ledger.lineage?.backupId, branch.backup.config.id);
    assert.equal(ledger.lineage?.pointId, branch.points['ledger']!.id);
    assert.equal(ledger.lineage?.repository, repos['branch']!.id);
    assert.equal(ledger.created, branch.points['ledger']!.created);
    await assertVerifies(target, 5);
    await assertRestoresLike(t, target, points.find((p) => p.workload === 'docs')!, docs);
    const [listed] = await client.call('backups.list', { repositoryId: repos['offsite']!.id });
    assert.deepEqual(listed?.workloads.map((w) => [w.name, w.points]).sort(), [['docs', 1], ['ledger', 1], ['mail', 1], ['old', 1], ['photos', 1]]);
  });

  it('stops mid-run (held by a traffic rule) leaving the target consistent; the next run completes', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['offsite']);
    const { client, repos } = engine;
    const { data: big, job: files } = await primaryJob(engine, 'big', 3, 1024 * KiB);
    const job = await client.call('jobs.create', { definition: copyJob('Offsite', repos['offsite']!.id, [{ kind: 'job', jobId: files.id }]) });
    await client.call('traffic.set', { rules: [{ id: 'slow', fromRepositoryId: repos['primary']!.id, toRepositoryId: null, bytesPerSecond: 64 * KiB, hours: null }] });

    const started = Date.now();
    const stopped = await runJob(engine, job.id, (p) => {
      if (p.copy?.phase === 'copying') void client.call('jobs.stop', { id: job.id });
    });
    assert.ok(Date.now() - started < 20_000, 'the stop did not wait for the throttled transfer');
    assert.equal(stopped.session.result, 'stopped');
    assert.equal(stopped.session.tasks[0]?.result, 'stopped');
    assert.match(stopped.session.tasks[0]?.reason ?? '', /stopped/i);
    const target = await openJobBackup(repos['offsite']!.path, job.id);
    assert.deepEqual((await target.listPoints()).points, []);
    assert.deepEqual(await target.listWriting(), []);
    assert.deepEqual(await listKeys(target.store, `${target.folder}/locks/`), []);
    await assertVerifies(target, 0);

    await client.call('traffic.set', { rules: [] });
    const next = await runJob(engine, job.id);
    assert.equal(next.session.result, 'success', next.session.tasks[0]?.reason ?? '');
    const [point] = (await target.listPoints()).points;
    assert.ok(point);
    await target.refreshIndex();
    await assertVerifies(target, 1);
    await assertRestoresLike(t, target, point, big);
  });

  it('continues a seed moved by hand into the target: the first run there moves only new chunks', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['usb-drive', 'offsite']);
    const { client, repos } = engine;
    const { data, job: files } = await primaryJob(engine, 'data', 20, 256 * KiB);
    const definition = copyJob('Vault', repos['usb-drive']!.id, [{ kind: 'job', jobId: files.id }]);
    const job = await client.call('jobs.create', { definition });
    const seeded = await runJob(engine, job.id);
    assert.equal(seeded.session.result, 'success');
    const seedBytes = seeded.session.bytesStored;

    // The drive is carried to the offsite site and its folder moved into the repository there.
    await rename(path.join(repos['usb-drive']!.path, 'Vault'), path.join(repos['offsite']!.path, 'Vault'));
    await rewriteFiles(data, [3], 256 * KiB);
    const changed = tasksOf((await runJob(engine, files.id)).session)['data']!;
    await client.call('jobs.update', { id: job.id, definition: { ...definition, repositoryId: repos['offsite']!.id, mapping: { folder: 'Vault' } } });

    const run = await runJob(engine, job.id);
    assert.equal(run.session.result, 'success', run.session.tasks[0]?.reason ?? '');
    const task = tasksOf(run.session)['data']!;
    assert.ok(task.bytesStored <= 1.05 * changed.bytesStored, `moved ${task.bytesStored} B for ${changed.bytesStored} B of new chunks`);
    assert.ok(task.bytesStored < seedBytes / 10, `moved ${task.bytesStored} B; the seed holds ${seedBytes} B`);
    const offsite = await Repository.open(new LocalFolderStore(repos['offsite']!.path));
    assert.deepEqual(await offsite.listBackupFolders(), ['Vault'], 'the seed is continued, not copied again beside it');
    const backup = await offsite.openBackup('Vault');
    const points = (await backup.listPoints()).points;
    assert.equal(points.length, 2);
    assert.equal(points[1]!.id, task.pointId);
    await assertVerifies(backup, 2);
    await assertRestoresLike(t, backup, points[1]!, data);
  });

  it('makes no backup on the target while its source job has not run; the first run after it does', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['offsite']);
    const { client, root, repos } = engine;
    const data = path.join(root, 'data');
    await writeRandomFiles(data, 2, 16 * KiB);
    const files = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { data }) });
    const job = await client.call('jobs.create', { definition: copyJob('Offsite', repos['offsite']!.id, [{ kind: 'job', jobId: files.id }]) });
    const offsite = await Repository.open(new LocalFolderStore(repos['offsite']!.path));

    const early = await runJob(engine, job.id);
    assert.equal(early.session.result, 'warning');
    assert.match(early.session.tasks[0]?.reason ?? '', /the source job has no backup in .+ yet/);
    assert.deepEqual(await offsite.listBackupFolders(), [], 'no empty backup for the job');
    assert.deepEqual(await client.call('backups.list', { repositoryId: repos['offsite']!.id }), []);

    assert.equal((await runJob(engine, files.id)).session.result, 'success');
    const first = await runJob(engine, job.id);
    assert.equal(first.session.result, 'success', JSON.stringify(first.session.tasks));
    assert.deepEqual(await offsite.listBackupFolders(), ['Offsite']);
    const target = await openJobBackup(repos['offsite']!.path, job.id);
    const [point] = (await target.listPoints()).points;
    assert.equal(point?.id, tasksOf(first.session)['data']?.pointId);
    await assertRestoresLike(t, target, point!, data);
  });

  it('refuses a target that is a source\'s repository, another job\'s backup, a folder backup and a gone source', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['offsite', 'branch']);
    const { client, repos } = engine;
    const { data, job: files } = await primaryJob(engine, 'data', 2, 16 * KiB);

    const toSource = /target is a source's repository/;
    await assert.rejects(client.call('jobs.create', { definition: copyJob('Loop', repos['primary']!.id, [{ kind: 'job', jobId: files.id }]) }), isFieldError('repositoryId', toSource));
    await assert.rejects(
      client.call('jobs.create', { definition: copyJob('Loop', repos['offsite']!.id, [{ kind: 'repository', repositoryId: repos['offsite']!.id }]) }),
      isFieldError('repositoryId', toSource),
    );
    await assert.rejects(client.call('jobs.create', { definition: copyJob('Loop', repos['offsite']!.id, [{ kind: 'job', jobId: 'no-such-job' }]) }), isFieldError('definition.sources.0', /source job does not exist any more/));
    const theirs = await client.call('jobs.create', { definition: copyJob('Theirs', repos['offsite']!.id, [{ kind: 'job', jobId: files.id }]) });
    await assert.rejects(
      client.call('jobs.update', { id: theirs.id, definition: copyJob('Theirs', repos['primary']!.id, [{ kind: 'job', jobId: files.id }]) }),
      isFieldError('repositoryId', toSource),
    );
    assert.equal((await runJob(engine, theirs.id)).session.result, 'success');

    // A folder backup in the target, and a copy job mapped to each backup there.
    const local = await client.call('jobs.create', { definition: folderJob('Local', repos['offsite']!.id, { data }) });
    await runJob(engine, local.id);
    const mapped = async (name: string, folder: string) => {
      const job = await client.call('jobs.create', { definition: copyJob(name, repos['offsite']!.id, [{ kind: 'job', jobId: files.id }], { mapping: { folder } }) });
      const { session } = await runJob(engine, job.id);
      assert.equal(session.result, 'failed');
      assert.deepEqual(session.tasks, [], 'nothing was copied');
      return session.log.filter((line) => line.level === 'error').map((line) => line.message).join('\n');
    };
    assert.match(await mapped('Intruder', 'Theirs'), /Theirs belongs to the job "Theirs": a backup is continued by one job only\./);
    assert.match(await mapped('Misfit', 'Local'), /Local is the backup of a folder backup job; only a copy job's backup can be continued by a copy job\./);
    assert.match(await mapped('Lost', 'Nowhere'), /The mapped backup .+\/Nowhere is not there\./);
    const theirsBackup = await openJobBackup(repos['offsite']!.path, theirs.id);
    assert.equal((await theirsBackup.listPoints()).points.length, 1, 'the other job\'s backup is untouched');

    // A source repository whose folder is gone: its workloads fail with the reason.
    const branchStore = new LocalFolderStore(repos['branch']!.path);
    await backupFolders(branchStore, 'Branch', { ledger: data });
    const fromBranch = await client.call('jobs.create', { definition: copyJob('From branch', repos['offsite']!.id, [{ kind: 'repository', repositoryId: repos['branch']!.id }]) });
    await rm(repos['branch']!.path, { recursive: true, force: true });
    const { session } = await runJob(engine, fromBranch.id);
    assert.equal(session.result, 'failed');
    assert.equal(session.tasks.length, 1);
    assert.equal(session.tasks[0]!.result, 'failed');
    assert.match(session.tasks[0]!.reason ?? '', new RegExp(`^branch cannot be read: ${repos['branch']!.path} is not reachable`));
  });
});

describe('the plaintext rule', () => {
  it('an unencrypted copy of an encrypted source is refused: at jobs.create when known, else workload by workload at run time; allowPlaintext lets it through, saying so', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['offsite', 'branch']);
    const { client, root, repos } = engine;
    const { job: files } = await primaryJob(engine, 'docs', 2, 16 * KiB);
    const ledger = path.join(root, 'ledger');
    await writeRandomFiles(ledger, 2, 16 * KiB);
    const secret = await client.call('jobs.create', {
      definition: { ...folderJob('Secret', repos['primary']!.id, { ledger }), storage: { encrypted: true } },
      password: 'secret job',
    });
    assert.equal((await runJob(engine, secret.id)).session.result, 'success');

    // Known at creation: an encrypted source job.
    const plaintextField = /This copy is not encrypted, and its sources include encrypted ones \(the job "Secret"\).*Encrypt the copy, or allow plaintext copies\./;
    await assert.rejects(client.call('jobs.create', { definition: copyJob('Leak', repos['offsite']!.id, [{ kind: 'job', jobId: secret.id }]) }), isFieldError('allowPlaintext', plaintextField));
    const vault = await client.call('jobs.create', {
      definition: copyJob('Vault', repos['offsite']!.id, [{ kind: 'job', jobId: secret.id }, { kind: 'job', jobId: files.id }], { storage: { encrypted: true } }),
      password: 'vault',
    });
    // Encrypted into encrypted, and plain into encrypted: both fine.
    assert.equal((await runJob(engine, vault.id)).session.result, 'success');

    // Known only at run time: a repository source where an encrypted backup appears after the job was made.
    const fromBranch = await client.call('jobs.create', { definition: copyJob('From branch', repos['offsite']!.id, [{ kind: 'repository', repositoryId: repos['branch']!.id }]) });
    const branchStore = new LocalFolderStore(repos['branch']!.path);
    const scans = path.join(root, 'scans');
    const notes = path.join(root, 'notes');
    await writeRandomFiles(scans, 2, 16 * KiB);
    await writeRandomFiles(notes, 2, 16 * KiB);
    const locked = await backupFolders(branchStore, 'Locked', { scans }, 'branch secret');
    await backupFolders(branchStore, 'Open', { notes });
    assert.equal((await client.call('backups.unlock', { repositoryId: repos['branch']!.id, folder: locked.backup.folder, password: 'branch secret' })).unlocked, true);
    const refused = await runJob(engine, fromBranch.id);
    assert.equal(refused.session.result, 'failed');
    const tasks = tasksOf(refused.session);
    assert.equal(tasks['notes']?.result, 'success', 'the plain source is copied');
    assert.equal(tasks['scans']?.result, 'failed');
    assert.equal(
      tasks['scans']?.reason,
      `not copied: its source ${repos['branch']!.path}/Locked is encrypted and the target backup is not, so its data would be stored there unencrypted. Make the copy job encrypted, or turn on its allowPlaintext option to store it unencrypted.`,
    );
    const target = await openJobBackup(repos['offsite']!.path, fromBranch.id);
    assert.deepEqual((await target.listPoints()).points.map((p) => p.workload), ['notes'], 'nothing of the encrypted source is stored');

    const allowsPlaintext = async () => (await client.call('jobs.list', {})).find((job) => job.id === fromBranch.id)?.allowsPlaintext;
    assert.equal(await allowsPlaintext(), false);
    const definition = copyJob('From branch', repos['offsite']!.id, [{ kind: 'repository', repositoryId: repos['branch']!.id }], { allowPlaintext: true });
    await client.call('jobs.update', { id: fromBranch.id, definition });
    assert.equal(await allowsPlaintext(), true, 'the job list says so: the console warns');
    const allowed = await runJob(engine, fromBranch.id);
    assert.equal(tasksOf(allowed.session)['scans']?.result, 'success');
    assert.ok(
      allowed.session.log.some((line) => line.level === 'warning' && /^scans: its source .*\/Locked is encrypted and the target backup is not: its data is stored there unencrypted, as this copy allows\.$/.test(line.message)),
      'the plaintext copy is said in the log',
    );
    // With the option, an encrypted source job is accepted at creation too.
    await client.call('jobs.create', { definition: copyJob('Leak', repos['offsite']!.id, [{ kind: 'job', jobId: secret.id }], { allowPlaintext: true }) });
  });
});

describe('ferry job (catalog jobs from the command line)', () => {
  it('lists the jobs and runs one to its end, printing the result of each workload', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, ['Offsite']);
    await primaryJob(engine, 'docs', 3, 40 * KiB);
    await engine.client.call('jobs.create', { definition: copyJob('Offsite copy', engine.repos['Offsite']!.id, [{ kind: 'repository', repositoryId: engine.repos['primary']!.id }]) });
    // The CLI opens the same data folder with an engine of its own.
    await engine.engine.close();
    const dataDir = ['--data-dir', engine.dataDir];

    const before = await cli(['job', 'ls', '--json', ...dataDir]);
    assert.equal(before.code, 0, before.stderr);
    const listed = JSON.parse(before.stdout) as { name: string; kind: string; lastSession: unknown }[];
    assert.deepEqual(listed.map((j) => [j.name, j.kind]).sort(), [['Files', 'folder-backup'], ['Offsite copy', 'backup-copy']]);
    assert.equal(listed.find((j) => j.name === 'Offsite copy')?.lastSession, null);

    const run = await cli(['job', 'run', 'offsite COPY', ...dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Offsite copy: success$/m);
    assert.match(run.stdout, /success\s+docs\s+point [0-9a-f]{32}/);
    const again = await cli(['job', 'run', 'Offsite copy', '--json', ...dataDir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match((JSON.parse(again.stdout) as SessionDetail).tasks[0]?.reason ?? '', /up to date/);

    const after = await cli(['job', 'ls', ...dataDir]);
    assert.match(after.stdout, /Offsite copy {2}\(backup-copy\) {2}idle {2}next: — {2}last: success at /);
    const missing = await cli(['job', 'run', 'Nightly', ...dataDir]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No job named "Nightly"\. List them with: ferry job ls/);
  });
});

describe('copy jobs around damage', () => {
  it('a source backup whose key file is damaged is reported as damaged (not as a wrong password) and hides no other backup', async (t) => {
    const engine = await setUp(t, ['archive', 'offsite']);
    const { client, repos, root } = engine;
    const [plain, locked] = [path.join(root, 'plain'), path.join(root, 'locked')];
    await writeRandomFiles(plain, 2, 16 * KiB);
    await writeRandomFiles(locked, 2, 16 * KiB);
    const archive = new LocalFolderStore(repos['archive']!.path);
    await backupFolders(archive, 'Plain', { plain });
    const branch = await backupFolders(archive, 'Locked', { locked }, 'branch secret');
    await client.call('backups.unlock', { repositoryId: repos['archive']!.id, folder: branch.backup.folder, password: 'branch secret' });
    // One bit of the wrapped master key flipped: still valid base64, still a well-formed key file.
    const configFile = path.join(repos['archive']!.path, branch.backup.folder, 'backup.json');
    const config = JSON.parse(await readFile(configFile, 'utf8')) as { encryption: { key: { wrapped: string } } };
    const wrapped = Buffer.from(config.encryption.key.wrapped, 'base64');
    wrapped[30]! ^= 0x01;
    config.encryption.key.wrapped = wrapped.toString('base64');
    await writeFile(configFile, JSON.stringify(config));

    const job = await client.call('jobs.create', {
      definition: copyJob('Offsite', repos['offsite']!.id, [{ kind: 'repository', repositoryId: repos['archive']!.id }], { allowPlaintext: true }),
    });
    const { session } = await runJob(engine, job.id);
    const tasks = tasksOf(session);
    assert.equal(tasks['plain']?.result, 'success', tasks['plain']?.reason ?? '');
    assert.equal(tasks[`archive/${branch.backup.folder}`]?.result, 'failed');
    assert.match(tasks[`archive/${branch.backup.folder}`]?.reason ?? '', /^The key file of .*Locked is damaged: its fields do not match its check/);
  });
});
