import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runFerry as cli, tempDir } from '../helpers.ts';

const exists = (at: string) => readdir(path.dirname(at)).then((names) => names.includes(path.basename(at)));

describe('CLI: inputs checked before anything is made', () => {
  it('repo init --encrypt without a password makes no folder', async (t) => {
    const repo = path.join(await tempDir(t), 'new-repo');
    const result = await cli(['repo', 'init', repo, '--encrypt'], { FERRY_PASSWORD: '' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /A password is needed/);
    assert.equal(await exists(repo), false);
  });

  it('restore with a --path not in the point makes no target folder', async (t) => {
    const dir = await tempDir(t);
    const source = path.join(dir, 'src');
    await mkdir(source);
    await writeFile(path.join(source, 'a.txt'), 'alpha');
    const repo = path.join(dir, 'repo');
    assert.equal((await cli(['repo', 'init', repo])).code, 0);
    const backup = await cli(['backup', repo, '--job', 'Docs', '--workload', `docs=${source}`, '--json']);
    const [task] = JSON.parse(backup.stdout) as { point: string }[];
    const target = path.join(dir, 'out');
    const result = await cli(['restore', repo, task!.point, target, '--path', 'src/no-such-file']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /src\/no-such-file is not in restore point/);
    assert.equal(await exists(target), false);
  });

  it('backup of a folder that is not there makes no backup', async (t) => {
    const dir = await tempDir(t);
    const repo = path.join(dir, 'repo');
    assert.equal((await cli(['repo', 'init', repo])).code, 0);
    const result = await cli(['backup', repo, '--job', 'Docs', '--workload', `docs=${path.join(dir, 'missing')}`]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /missing of workload docs cannot be read: it does not exist\. Nothing was backed up/);
    assert.equal(await exists(path.join(repo, 'Docs')), false);
  });

  it('a repository path that is a file is called a file, not an unplugged drive', async (t) => {
    const file = path.join(await tempDir(t), 'notes.txt');
    await writeFile(file, 'not a repository');
    for (const args of [['points', file], ['repo', 'init', file], ['verify', file]]) {
      const result = await cli(args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /notes\.txt is a file, not a folder/, args.join(' '));
      assert.doesNotMatch(result.stderr, /drive/);
    }
  });
});
