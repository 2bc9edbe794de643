import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, readlink, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { escapingLinks } from '../../app/restore/link-check.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { tempDir } from '../helpers.ts';
import { craftedRepository, dir, file, link } from './crafted.ts';

/** Every link under `root` whose resolution (as the kernel resolves it now) is outside `root`. */
async function escapes(root: string): Promise<string[]> {
  const realRoot = await realpath(root);
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const name of await readdir(folder)) {
      const at = path.join(folder, name);
      const info = await lstat(at);
      if (info.isSymbolicLink()) {
        const resolved = await realpath(at).catch(() => undefined);
        if (resolved !== undefined && resolved !== realRoot && !resolved.startsWith(`${realRoot}/`)) found.push(`${path.relative(root, at)} -> ${resolved}`);
      } else if (info.isDirectory()) await walk(at);
    }
  };
  await walk(root);
  return found;
}

describe('restore of crafted links', () => {
  it('refuses links that look inside but lead out through links to "."', async (t) => {
    const crafted = await craftedRepository(t);
    // Textually Data/a/a/a/../../../.. is the restore folder; a is Data itself, so it is /.
    const inner = await crafted.tree([link('a', '.'), link('root', 'a/a/a/../../../..'), link('passwd', 'a/a/a/../../../../etc/passwd'), link('fine', 'a/a/../x')]);
    const nested = await crafted.tree([link('b', '.'), link('far', 'b/b/b/b/../../../../../..')]);
    const data = await crafted.tree([dir('inner', inner), dir('nested', nested), link('up', '.'), file('x', [], 0)]);
    const point = await crafted.point([dir('Data', data)], { files: 1, dirs: 2, symlinks: 7 });
    const target = path.join(crafted.dir, 'target');

    const result = await restorePoint({ backup: crafted.backup, point, target });

    assert.deepEqual(await escapes(target), []);
    const refused = result.problems.map((p) => p.path).sort();
    assert.deepEqual(refused, ['Data/inner/passwd', 'Data/inner/root', 'Data/nested/far']);
    for (const problem of result.problems) assert.match(problem.message, /^refused: the link leads to .*outside the restore folder/);
    // The links that do stay inside are restored.
    assert.equal(await readlink(path.join(target, 'Data', 'inner', 'a')), '.');
    assert.equal(await readlink(path.join(target, 'Data', 'inner', 'fine')), 'a/a/../x');
    assert.equal(await realpath(path.join(target, 'Data', 'inner', 'fine')), await realpath(path.join(target, 'Data', 'x')));
    assert.equal(result.symlinks, 4);
  });

  it('refuses links that lead out through a link already in the target folder', async (t) => {
    const crafted = await craftedRepository(t);
    const data = await crafted.tree([link('through', 'planted/etc/passwd')]);
    const point = await crafted.point([dir('Data', data)], { dirs: 0, symlinks: 1 });
    const target = path.join(crafted.dir, 'target');
    await mkdir(path.join(target, 'Data'), { recursive: true });
    // Left there earlier (or by someone else): Data/planted is /.
    await symlink('../../../../../../../../../../../../../..', path.join(target, 'Data', 'planted'));

    const result = await restorePoint({ backup: crafted.backup, point, target });

    assert.deepEqual(result.problems.map((p) => p.path), ['Data/through']);
    assert.match(result.problems[0]!.message, /leads to \/etc\/passwd, outside the restore folder/);
    await assert.rejects(lstat(path.join(target, 'Data', 'through')), { code: 'ENOENT' });
  });

  it('refuses a link that goes up from a name that does not exist (a later link there would make it escape)', async (t) => {
    const crafted = await craftedRepository(t);
    const data = await crafted.tree([link('armed', 'm/m/m/../../../..')]);
    const point = await crafted.point([dir('Data', data)], { symlinks: 1 });
    const target = path.join(crafted.dir, 'target');

    const result = await restorePoint({ backup: crafted.backup, point, target });

    assert.equal(result.symlinks, 0);
    assert.match(result.problems[0]?.message ?? '', /goes up \('\.\.'\) from Data\/m, which does not exist/);
  });

  it('never writes a file through a link: one in the way is replaced, what it points to is left alone', async (t) => {
    const crafted = await craftedRepository(t);
    const content = await crafted.chunk(Buffer.from('restored content'));
    const sub = await crafted.tree([file('inside.txt', [content], 16)]);
    const data = await crafted.tree([file('victim.txt', [content], 16), dir('sub', sub)]);
    const point = await crafted.point([dir('Data', data)], { files: 2, dirs: 1, bytes: 32 });
    const outside = await tempDir(t);
    await writeFile(path.join(outside, 'precious.txt'), 'precious');
    const target = path.join(crafted.dir, 'target');
    await mkdir(path.join(target, 'Data'), { recursive: true });
    await symlink(path.join(outside, 'precious.txt'), path.join(target, 'Data', 'victim.txt'));
    await symlink(outside, path.join(target, 'Data', 'sub'));

    const result = await restorePoint({ backup: crafted.backup, point, target });

    assert.equal(await readFile(path.join(outside, 'precious.txt'), 'utf8'), 'precious');
    assert.deepEqual(await readdir(outside), ['precious.txt']);
    assert.ok((await lstat(path.join(target, 'Data', 'victim.txt'))).isFile());
    assert.equal(await readFile(path.join(target, 'Data', 'victim.txt'), 'utf8'), 'restored content');
    // A link where a folder goes is not followed: that folder and its content are reported.
    assert.deepEqual(result.problems.map((p) => p.path), ['Data/sub']);
    assert.match(result.problems[0]!.message, /exists and is not a folder/);
    assert.equal(result.files, 1);
  });

  it('resolves again the links that went through a refused one', async (t) => {
    const root = await realpath(await tempDir(t));
    const outside = path.basename(root);
    await mkdir(path.join(root, 'Data'));
    const at = (name: string) => path.join(root, 'Data', name);
    const refused = await escapingLinks(root, [
      // Back in through "out" (out of the root, resolved last), by the root's name.
      { at: at('back'), target: `out/${outside}/Data/x` },
      { at: at('back-up'), target: `out/${outside}/Data/../x` },
      { at: at('out'), target: '../..' },
    ]);
    assert.deepEqual([...refused.keys()].sort(), [at('back-up'), at('out')]);
    // Without "out", "back" ends in names that do not exist (inside); "back-up" goes up from one.
    assert.match(refused.get(at('back-up'))!, /goes up \('\.\.'\) from Data\/out/);
  });
});
