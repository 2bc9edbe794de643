import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSameOrInside, normaliseUserPath } from '../../app/repositories/paths.ts';

const segment = fc.stringMatching(/^[A-Za-z0-9 ._-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
const segments = fc.array(segment, { minLength: 1, maxLength: 6 });

describe('path containment', () => {
  it('a folder contains itself and everything below it', () => {
    fc.assert(
      fc.property(segments, segments, (base, below) => {
        const parent = path.posix.join('/', ...base);
        assert.ok(isSameOrInside(parent, parent, 'linux'));
        assert.ok(isSameOrInside(parent, path.posix.join(parent, ...below), 'linux'));
      }),
    );
  });

  it('a sibling with a common name prefix is not inside', () => {
    fc.assert(
      fc.property(segments, segment, (base, suffix) => {
        const parent = path.posix.join('/', ...base);
        assert.equal(isSameOrInside(parent, `${parent}${suffix.replace(/^[. ]+/, 'x')}`, 'linux'), false);
      }),
    );
  });

  it('containment runs one way unless the paths are equal', () => {
    fc.assert(
      fc.property(segments, segments, (a, b) => {
        const pa = path.posix.join('/', ...a);
        const pb = path.posix.join('/', ...b);
        if (isSameOrInside(pa, pb, 'linux') && isSameOrInside(pb, pa, 'linux')) assert.equal(pa, pb);
      }),
    );
  });

  it('ignores case on Windows and macOS, not on Linux', () => {
    assert.ok(isSameOrInside('C:\\Backups', 'c:\\backups\\Copies', 'win32'));
    assert.ok(isSameOrInside('/Volumes/USB', '/volumes/usb/ferry', 'darwin'));
    assert.equal(isSameOrInside('/srv/Backups', '/srv/backups/x', 'linux'), false);
    assert.equal(isSameOrInside('D:\\Backups', 'E:\\Backups', 'win32'), false);
  });

  it('expands ~ and refuses relative paths', () => {
    assert.equal(normaliseUserPath('~/copies', '/home/admin'), '/home/admin/copies');
    assert.equal(normaliseUserPath('  /srv//ferry/../copies/ '), '/srv/copies');
    assert.equal(normaliseUserPath('copies'), undefined);
    assert.equal(normaliseUserPath('./copies'), undefined);
  });
});
