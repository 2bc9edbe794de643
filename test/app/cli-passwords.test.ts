import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { runBackup } from '../../app/backup/run-backup.ts';
import { openBackups } from '../../app/cli/open-backups.ts';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { FAST_KDF } from '../copy/fixtures.ts';
import { runFerry as cli, tempDir } from '../helpers.ts';

/**
 * A plain repository holding a plain backup ("Plain") and two encrypted ones made by jobs
 * with their own passwords ("Secret": "secret pw", "Other": "other pw"), as the console
 * makes them; the point of each.
 */
async function mixedRepository(t: TestContext) {
  const dir = await tempDir(t);
  const source = path.join(dir, 'src');
  await mkdir(source);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(source, 'a.txt'), 'alpha');
  const repo = path.join(dir, 'repo');
  await mkdir(repo);
  const store = new LocalFolderStore(repo);
  await Repository.init(store);
  const points: Record<string, string> = {};
  for (const [job, password] of [['Plain', undefined], ['Secret', 'secret pw'], ['Other', 'other pw']] as const) {
    const { tasks } = await runBackup({ store, jobName: job, workloads: [{ name: job.toLowerCase(), folders: [source] }], kdf: FAST_KDF, ...(password ? { password } : {}) });
    points[job] = tasks[0]!.point!.id;
  }
  return { dir, repo, store, points };
}

describe('CLI: each backup opened with the password it needs', () => {
  it('lists, restores and verifies the backups it can open and names the one it cannot', async (t) => {
    const { dir, repo, points } = await mixedRepository(t);
    const listed = (result: { stdout: string }) => (JSON.parse(result.stdout) as { job: string }[]).map((row) => row.job).sort();

    const withSecret = await cli(['points', repo, '--json'], { FERRY_PASSWORD: 'secret pw' });
    assert.deepEqual(listed(withSecret), ['Plain', 'Secret']);
    assert.match(withSecret.stderr, /could not open the backup "Other" \(Other\): The password is wrong .*\(wrong_password\)/);
    assert.equal(withSecret.code, 1, 'a backup asked for (all of them) could not be opened');

    const none = await cli(['points', repo, '--json'], { FERRY_PASSWORD: '' });
    assert.deepEqual(listed(none), ['Plain']);
    assert.match(none.stderr, /"Secret" .*is encrypted and no password was given for it: set FERRY_PASSWORD/);
    assert.equal(none.code, 1);

    const one = await cli(['points', repo, '--job', 'Secret', '--json'], { FERRY_PASSWORD: 'secret pw' });
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(listed(one), ['Secret']);

    const plain = await cli(['restore', repo, points['Plain']!, path.join(dir, 'out-plain')], { FERRY_PASSWORD: '' });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(await readFile(path.join(dir, 'out-plain', 'src', 'a.txt'), 'utf8'), 'alpha');
    const secret = await cli(['restore', repo, points['Secret']!, path.join(dir, 'out-secret')], { FERRY_PASSWORD: 'secret pw' });
    assert.equal(secret.code, 0, secret.stderr);
    assert.equal(await readFile(path.join(dir, 'out-secret', 'src', 'a.txt'), 'utf8'), 'alpha');
    const hidden = await cli(['restore', repo, points['Other']!, path.join(dir, 'out-other')], { FERRY_PASSWORD: 'secret pw' });
    assert.equal(hidden.code, 1);
    assert.match(hidden.stderr, /No restore point .* It may be in "Other", which could not be opened/);

    const verify = await cli(['verify', repo, '--json'], { FERRY_PASSWORD: 'secret pw' });
    const report = JSON.parse(verify.stdout) as { backups: { backup: string; damage: unknown[] }[]; unopened: { folder: string }[] };
    assert.deepEqual(report.backups.map((b) => [b.backup, b.damage.length]), [['Plain', 0], ['Secret', 0]]);
    assert.deepEqual(report.unopened.map((b) => b.folder), ['Other']);
    assert.equal(verify.code, 1);
    const other = await cli(['verify', repo, '--job', 'Other'], { FERRY_PASSWORD: 'other pw' });
    assert.equal(other.code, 0, other.stderr);
  });

  it('copies from the backups it can open and fails only the part of one it cannot', async (t) => {
    const { dir, repo } = await mixedRepository(t);
    const target = path.join(dir, 'target');
    assert.equal((await cli(['repo', 'init', target])).code, 0);
    // The target is plain: storing the encrypted backup's points there must be asked for.
    const copy = await cli(['copy', '--from', repo, '--to', target, '--job', 'Offsite', '--allow-plaintext', '--json'], { FERRY_PASSWORD: 'secret pw' });
    const output = JSON.parse(copy.stdout) as { tasks: { workload: string; result: string; reason?: string }[] };
    const results = output.tasks.map((task) => [task.workload, task.result]).sort();
    assert.deepEqual(results, [['backup "Other" (Other)', 'failed'], ['plain', 'success'], ['secret', 'success']]);
    assert.match(output.tasks.find((task) => task.result === 'failed')!.reason!, /could not be opened: The password is wrong/);
    assert.equal(copy.code, 1);
  });

  it('asks per backup where the given password does not open it, and reuses a password that worked', async (t) => {
    const { store } = await mixedRepository(t);
    const asked: string[] = [];
    const answers: Record<string, string> = { Secret: 'secret pw', Other: 'other pw' };
    const ask = async (what: string) => {
      asked.push(what);
      return answers[/"(\w+)"/.exec(what)![1]!];
    };
    const all = await openBackups(await Repository.open(store), { given: undefined, ask });
    assert.deepEqual(all.opened.map((b) => b.folder).sort(), ['Other', 'Plain', 'Secret']);
    assert.deepEqual(all.unopened, []);
    assert.equal(asked.length, 2);

    asked.length = 0;
    const given = await openBackups(await Repository.open(store), { given: 'other pw', ask });
    assert.deepEqual(given.opened.map((b) => b.folder).sort(), ['Other', 'Plain', 'Secret']);
    assert.deepEqual(asked.map((what) => /"(\w+)"/.exec(what)![1]), ['Secret'], 'asked only where FERRY_PASSWORD does not open it');

    const skipped = await openBackups(await Repository.open(store), { given: undefined, ask: async () => undefined });
    assert.deepEqual(skipped.opened.map((b) => b.folder), ['Plain']);
    assert.deepEqual(skipped.unopened.map((b) => b.name).sort(), ['Other', 'Secret']);
  });
});
