import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runFerry as cli, tempDir } from '../helpers.ts';

describe('ferry CLI', () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /Usage: ferry <command>/);
    assert.match(stdout, /serve/);
  });

  it('exits 2 with a message on unknown commands and options', async () => {
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
    const option = await cli(['info', '--frob']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--frob/);
  });

  it('refuses numbers out of range or malformed with exit 2, naming the option and its range, before touching anything', async (t) => {
    const dir = await tempDir(t);
    const copy = ['copy', '--from', path.join(dir, 'a'), '--to', path.join(dir, 'b'), '--job', 'J'];
    const cases: [string[], RegExp][] = [
      // 1 byte/s overflowed the throttle's timer, and the copy ran unthrottled.
      ...['1', '65535', '0.5K', '200G', '1e9', 'abc', '-5M', '999999999999999999999E', ''].map((v): [string[], RegExp] => [
        [...copy, `--limit=${v}`],
        /--limit must be a rate from 64KiB to 100GiB \(bytes per second\)/,
      ]),
      ...['0', '17', '', '1.5', '0x2', ' 2'].map((v): [string[], RegExp] => [[...copy, `--parallel=${v}`], /--parallel must be 1–16/]),
      ...['', '-1', '65536', '1e3', '0x50'].map((v): [string[], RegExp] => [['serve', '--data-dir', dir, `--port=${v}`], /--port must be 0–65535/]),
      ...['-1', '3601', '1.5', 'x', ''].map((v): [string[], RegExp] => [[...copy, `--s3-retry=${v}`], /--s3-retry must be a whole number of seconds from 0 to 3600/]),
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    });
    const ok = await cli([...copy, '--limit', '64KiB', '--parallel', '16', '--s3-retry', '0']);
    assert.equal(ok.code, 1, 'valid numbers pass: the missing repository is what fails');
    assert.match(ok.stderr, /not reachable/);
  });

  it('uses FERRY_DATA_DIR, and --data-dir over it', async (t) => {
    const dir = await tempDir(t);
    const fromEnv = await cli(['info', '--json'], { FERRY_DATA_DIR: path.join(dir, 'env') });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(JSON.parse(fromEnv.stdout).dataDir, path.join(dir, 'env'));
    const fromFlag = await cli(['info', '--json', '--data-dir', path.join(dir, 'flag')], { FERRY_DATA_DIR: path.join(dir, 'env') });
    assert.equal(JSON.parse(fromFlag.stdout).dataDir, path.join(dir, 'flag'));
  });

  it('lists repositories as text and as JSON', async (t) => {
    const dir = await tempDir(t);
    const text = await cli(['repo', 'list', '--data-dir', dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Default repository \(default\)/);
    assert.match(text.stdout, /free of/);
    const json = await cli(['repo', 'list', '--json', '--data-dir', dir]);
    const repos = JSON.parse(json.stdout) as { name: string; location: { path: string } }[];
    assert.equal(repos.length, 1);
    assert.equal(repos[0]!.location.path, path.join(dir, 'repositories', 'default'));
  });
});

describe('ferry repository commands', () => {
  it('init, backup, points, restore and verify a repository from the command line', async (t) => {
    const dir = await tempDir(t);
    const { mkdir, writeFile, readFile } = await import('node:fs/promises');
    const source = path.join(dir, 'src');
    await mkdir(path.join(source, 'sub'), { recursive: true });
    await writeFile(path.join(source, 'a.txt'), 'alpha');
    await writeFile(path.join(source, 'sub', 'b.txt'), 'beta');
    const repo = path.join(dir, 'repo');
    const env = { FERRY_PASSWORD: 'cli secret' };

    assert.equal((await cli(['repo', 'init', repo, '--encrypt'], env)).code, 0);
    const again = await cli(['repo', 'init', repo], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already a Ferry repository/);

    const backup = await cli(['backup', repo, '--job', 'Docs', '--workload', `docs=${source}`, '--json'], env);
    assert.equal(backup.code, 0, backup.stderr);
    const [task] = JSON.parse(backup.stdout) as { point: string; result: string }[];
    assert.equal(task?.result, 'success');

    const wrong = await cli(['points', repo], { FERRY_PASSWORD: 'nope' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /password is wrong.*\(wrong_password\)/i);

    const points = JSON.parse((await cli(['points', repo, '--json'], env)).stdout) as { id: string; workload: string }[];
    assert.deepEqual(points.map((p) => [p.id, p.workload]), [[task!.point, 'docs']]);

    const target = path.join(dir, 'out');
    const restore = await cli(['restore', repo, task!.point.slice(0, 12), target, '--path', 'src/sub'], env);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(await readFile(path.join(target, 'src', 'sub', 'b.txt'), 'utf8'), 'beta');
    await assert.rejects(readFile(path.join(target, 'src', 'a.txt')));

    const verify = await cli(['verify', repo, '--json'], env);
    assert.equal(verify.code, 0, verify.stderr);
    assert.deepEqual((JSON.parse(verify.stdout) as { backups: { damage: unknown[] }[] }).backups[0]!.damage, []);

    // A password change rewraps key files only: packs stay byte for byte.
    const { readdir } = await import('node:fs/promises');
    const packs = async () => (await readdir(path.join(repo, 'Docs', 'packs'), { recursive: true })).sort();
    const before = await packs();
    const wrongOld = await cli(['repo', 'passwd', repo], { FERRY_PASSWORD: 'nope', FERRY_NEW_PASSWORD: 'x' });
    assert.equal(wrongOld.code, 1);
    const passwd = await cli(['repo', 'passwd', repo], { ...env, FERRY_NEW_PASSWORD: 'new secret' });
    assert.equal(passwd.code, 0, passwd.stderr);
    assert.deepEqual(await packs(), before);
    assert.equal((await cli(['points', repo], env)).code, 1, 'the old password no longer opens it');
    assert.equal((await cli(['verify', repo], { FERRY_PASSWORD: 'new secret' })).code, 0);
  });

  it('names the path when the repository is missing, and fails with exit code 1', async (t) => {
    const dir = await tempDir(t);
    const missing = path.join(dir, 'no-such-repo');
    const result = await cli(['points', missing]);
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(missing), result.stderr);
    const usage = await cli(['backup', missing, '--job', 'x']);
    assert.equal(usage.code, 2, 'bad usage');
    assert.match(usage.stderr, /--workload/);
  });
});
