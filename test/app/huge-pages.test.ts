import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { startServeProcess, stopProcess } from '../serve-process.ts';
import fc from 'fast-check';
import { hugePagesRestart, transparentHugePages } from '../../app/cli/huge-pages.ts';
import { ferryBin, tempDir } from '../helpers.ts';

const MADVISE = () => 'always [madvise] never\n';
const setting = fc.stringMatching(/^[a-z]{1,6}\.[a-z]{1,6}\.[a-z_]{1,8}=[0-9]{1,3}$/);
const tunables = fc.option(fc.array(setting, { minLength: 1, maxLength: 4 }).map((list) => list.join(':')), { nil: undefined });
const env = fc.record({ HOME: fc.constant('/home/admin'), GLIBC_TUNABLES: tunables }, { requiredKeys: ['HOME'] });

describe('huge pages for data commands', () => {
  it('starts copy, backup, restore, verify, job and serve again with the tunable, once, keeping every other setting', () => {
    fc.assert(
      fc.property(env, fc.constantFrom('backup', 'restore', 'verify', 'copy', 'job', 'serve'), (before, command) => {
        const after = hugePagesRestart('linux', before, command, MADVISE);
        if (before.GLIBC_TUNABLES?.split(':').some((s) => s.startsWith('glibc.malloc.hugetlb='))) {
          assert.equal(after, undefined, 'an admin\'s own setting stays');
          return;
        }
        assert.ok(after);
        assert.equal(after['HOME'], '/home/admin');
        const settings = after['GLIBC_TUNABLES']!.split(':');
        assert.deepEqual(settings.slice(0, -1), before.GLIBC_TUNABLES?.split(':') ?? []);
        assert.equal(settings.at(-1), 'glibc.malloc.hugetlb=1');
        assert.equal(hugePagesRestart('linux', after, command, MADVISE), undefined, 'the restarted command runs as it is');
      }),
    );
  });

  it('leaves other systems, other commands and machines without transparent huge pages alone', () => {
    assert.equal(hugePagesRestart('darwin', {}, 'copy', MADVISE), undefined);
    assert.equal(hugePagesRestart('win32', {}, 'copy', () => undefined), undefined);
    const unread = () => assert.fail('the setting is read only for a data command that would restart');
    for (const command of [undefined, 'points', 'repo', 'info', '--help', '--data-dir']) assert.equal(hugePagesRestart('linux', {}, command, unread), undefined);
    assert.equal(hugePagesRestart('linux', { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, 'copy', unread), undefined, 'the restarted command reads nothing');
    assert.equal(hugePagesRestart('linux', {}, 'copy', () => 'always madvise [never]\n'), undefined);
    assert.equal(hugePagesRestart('linux', {}, 'copy', () => undefined), undefined);
    assert.equal(hugePagesRestart('linux', { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'copy', MADVISE), undefined);
    assert.deepEqual(hugePagesRestart('linux', {}, 'copy', () => '[always] madvise never\n'), { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
  });

  const expected = hugePagesRestart(process.platform, {}, 'serve', transparentHugePages);
  it('a data command of the CLI runs in the same process, restarted with the tunable', { skip: expected ? false : 'this machine has no transparent huge pages for it to use' }, async (t) => {
    const dir = await tempDir(t);
    const env = { ...process.env };
    delete env['GLIBC_TUNABLES'];
    const { child, url } = await startServeProcess([ferryBin, 'serve', '--json', '--port', '0', '--data-dir', dir], { env });
    t.after(() => stopProcess(child));
    assert.match(url.href, /^http:\/\/127\.0\.0\.1:\d+\//);
    // execve keeps the process id: the server answering is the process spawned, with the new environment.
    const environ = (await readFile(`/proc/${child.pid}/environ`, 'utf8')).split('\0');
    assert.ok(environ.includes('GLIBC_TUNABLES=glibc.malloc.hugetlb=1'), environ.filter((v) => v.startsWith('GLIBC')).join(', '));
  });
});
