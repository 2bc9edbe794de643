import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExcluder } from '../../app/backup/exclude.ts';

describe('exclusion globs', () => {
  it('matches names at any depth and paths from the workload folder', () => {
    const excluded = makeExcluder(['*.tmp', 'node_modules', 'cache/**', './logs/*.log', 'C:\\ignored\\']);
    assert.ok(excluded('a.tmp'));
    assert.ok(excluded('deep/down/b.tmp'));
    assert.ok(excluded('app/node_modules'));
    assert.ok(excluded('cache/x/y'));
    assert.ok(excluded('logs/today.log'));
    assert.equal(excluded('logs/sub/today.log'), false);
    assert.equal(excluded('src/cache/x'), false);
    assert.equal(excluded('keep.txt'), false);
  });

  it('excludes nothing without patterns', () => {
    assert.equal(makeExcluder([])('anything'), false);
    assert.equal(makeExcluder(['  '])('anything'), false);
  });
});
