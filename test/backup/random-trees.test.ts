import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runBackup } from '../../app/backup/run-backup.ts';
import { Repository } from '../../app/repository/repository.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { tempDir } from '../helpers.ts';
import { snapshot } from './tree-fixtures.ts';

type Entry =
  | { kind: 'file'; names: string[]; content: Uint8Array }
  | { kind: 'dir'; names: string[] }
  | { kind: 'link'; names: string[]; target: string };

// Names with spaces, unicode, dots and dashes; never '.', '..' or a separator.
const name = fc
  .stringMatching(/^[a-zA-Z0-9 ._\-éüß日本한]{1,12}$/)
  .filter((n) => n !== '.' && n !== '..' && n.trim() === n);
const names = fc.array(name, { minLength: 1, maxLength: 5 });
const entry: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({ kind: fc.constant('file' as const), names, content: fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ maxLength: 3000 })) }),
  fc.record({ kind: fc.constant('dir' as const), names }),
  fc.record({ kind: fc.constant('link' as const), names, target: name }),
);

/** Writes what it can of the entries (a later entry whose path crosses a file is dropped). */
async function materialise(root: string, entries: Entry[]): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const e of entries) {
    const at = path.join(root, ...e.names);
    try {
      await mkdir(path.dirname(at), { recursive: true });
      if (e.kind === 'file') await writeFile(at, e.content, { flag: 'wx' });
      else if (e.kind === 'dir') await mkdir(at);
      else await symlink(e.target, at);
    } catch {
      // a clash with an earlier entry: this tree just has fewer entries
    }
  }
}

describe('random trees', () => {
  it('back up and restore byte-identical (names, empty files, deep folders, links)', { timeout: 180_000 }, async (t) => {
    const dir = await tempDir(t);
    const repoDir = path.join(dir, 'repo');
    await mkdir(repoDir);
    const store = new LocalFolderStore(repoDir);
    await Repository.init(store);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 25 }), async (entries) => {
        run++;
        const source = path.join(dir, `source-${run}`, 'tree');
        await materialise(source, entries);
        const { tasks, backup } = await runBackup({ store, jobName: `job ${run}`, workloads: [{ name: 'w', folders: [source] }] });
        assert.equal(tasks[0]?.result, 'success', tasks[0]?.reason);
        const target = path.join(dir, `restore-${run}`);
        const restored = await restorePoint({ backup, point: tasks[0]!.point!, target });
        // Links whose target leaves the folder are refused by design; every other one must come back.
        const refused = restored.problems.filter((p) => !p.message.startsWith('refused: the link points outside'));
        assert.deepEqual(refused, []);
        const expected = await snapshot(source);
        for (const p of restored.problems) delete expected[p.path.split('/').slice(1).join('/')];
        assert.deepEqual(await snapshot(path.join(target, 'tree')), expected);
      }),
      { numRuns: 25, seed: 1122 },
    );
  });
});
