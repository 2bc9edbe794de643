import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { childInside, isSafeName, resolveInside } from '../../app/restore/safe-path.ts';

describe('restore path safety', () => {
  it('refuses names that are not one plain segment', () => {
    for (const name of ['', '.', '..', 'a/b', 'a\\b', 'C:evil', 'x\0y', '/etc']) assert.equal(isSafeName(name), false, name);
    for (const name of ['a', '..a', 'a..', '.hidden', 'name with spaces', 'ünïcødé', '日本']) assert.ok(isSafeName(name), name);
  });

  it('never resolves outside the root, whatever the names', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('..', '.', '/', '\\', 'C:', '../x')), { maxLength: 6 }), (names) => {
        const root = '/restore/here';
        const target = resolveInside(root, names, path.posix);
        if (target === undefined) return;
        assert.ok(target === root || target.startsWith(`${root}/`), target);
      }),
    );
  });

  it('childInside gives what resolveInside gives for the longer path', () => {
    const name = fc.oneof(fc.string(), fc.constantFrom('..', '.', '/', '\\', 'C:', '../x', 'a b', 'ü'));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 5 }), name, fc.constantFrom(path.posix, path.win32), (names, last, api) => {
        const root = api === path.posix ? '/restore/here' : 'C:\\restore\\here';
        const folder = resolveInside(root, names, api);
        if (folder !== undefined) assert.equal(childInside(folder, last, api), resolveInside(root, [...names, last], api));
      }),
    );
  });

  it('keeps safe names, unicode and spaces included', () => {
    assert.equal(resolveInside('/r', ['a b', 'ü', '..c'], path.posix), '/r/a b/ü/..c');
    assert.equal(resolveInside('/r', ['..'], path.posix), undefined);
    assert.equal(resolveInside('C:\\r', ['a', 'b'], path.win32), 'C:\\r\\a\\b');
    assert.equal(resolveInside('C:\\r', ['D:x'], path.win32), undefined);
  });
});
