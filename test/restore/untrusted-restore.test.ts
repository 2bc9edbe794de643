import assert from 'node:assert/strict';
import { mkdir, readdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { escapeForTerminal, escapeName, jsonForTerminal } from '../../app/cli/escape.ts';
import { restorePoint } from '../../app/restore/restore.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { runFerry } from '../helpers.ts';
import { craftedRepository, dir, file, link } from './crafted.ts';

/** A point with a setuid file, a setgid file and a setgid + sticky folder. */
async function specialPoint(t: TestContext) {
  const crafted = await craftedRepository(t);
  const content = await crafted.chunk(Buffer.from('#!/bin/sh\n'));
  const shared = await crafted.tree([file('tool', [content], 10, 0o104755), file('group', [content], 10, 0o102755)]);
  const point = await crafted.point([dir('Data', await crafted.tree([dir('shared', shared, 0o43777)]))], { files: 2, dirs: 1, bytes: 20 });
  return { crafted, point };
}

/** Characters a terminal acts on (ESC, BEL, CSI, RLO…), other than line breaks. */
function active(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.charCodeAt(0);
    return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
  });
}

const modeOf = async (at: string) => (await stat(at)).mode & 0o7777;

describe('restoring from an untrusted repository', () => {
  it('drops setuid, setgid and sticky bits unless asked to keep them', async (t) => {
    const { crafted, point } = await specialPoint(t);
    const plain = path.join(crafted.dir, 'plain');
    const kept = path.join(crafted.dir, 'kept');

    assert.deepEqual((await restorePoint({ backup: crafted.backup, point, target: plain })).problems, []);
    assert.deepEqual((await restorePoint({ backup: crafted.backup, point, target: kept, keepSpecialBits: true })).problems, []);

    assert.equal(await modeOf(path.join(plain, 'Data', 'shared', 'tool')), 0o755);
    assert.equal(await modeOf(path.join(plain, 'Data', 'shared', 'group')), 0o755);
    assert.equal(await modeOf(path.join(plain, 'Data', 'shared')), 0o777);
    assert.equal(await modeOf(path.join(kept, 'Data', 'shared', 'tool')), 0o4755);
    assert.equal(await modeOf(path.join(kept, 'Data', 'shared', 'group')), 0o2755);
    assert.equal(await modeOf(path.join(kept, 'Data', 'shared')), 0o3777);
  });

  it('the CLI keeps them only with --keep-special-bits', async (t) => {
    const { crafted, point } = await specialPoint(t);
    const plain = await runFerry(['restore', crafted.repo, point.id, path.join(crafted.dir, 'plain')]);
    const kept = await runFerry(['restore', crafted.repo, point.id, path.join(crafted.dir, 'kept'), '--keep-special-bits']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(await modeOf(path.join(crafted.dir, 'plain', 'Data', 'shared', 'tool')), 0o755);
    assert.equal(await modeOf(path.join(crafted.dir, 'kept', 'Data', 'shared', 'tool')), 0o4755);
  });

  it("refuses a target that is, is inside or contains the repository's folder, links resolved, before writing anything", async (t) => {
    const crafted = await craftedRepository(t);
    const point = await crafted.point([dir('Data', await crafted.tree([]))], {});
    const alias = path.join(crafted.dir, 'alias');
    await symlink(crafted.repo, alias);
    const before = await readdir(crafted.repo, { recursive: true });
    for (const target of [crafted.repo, path.join(crafted.repo, 'restored', 'here'), crafted.dir, path.join(alias, 'restored')]) {
      await assert.rejects(restorePoint({ backup: crafted.backup, point, target }), (error: unknown) => {
        assert.ok(error instanceof FerryError);
        assert.equal(error.code, 'invalid_input');
        assert.match(error.message, /(is|is inside|contains) the repository's folder .*choose a folder outside it/);
        return true;
      }, target);
    }
    assert.deepEqual(await readdir(crafted.repo, { recursive: true }), before);
    // A folder beside it is fine.
    await mkdir(path.join(crafted.dir, 'beside'));
    assert.deepEqual((await restorePoint({ backup: crafted.backup, point, target: path.join(crafted.dir, 'beside') })).problems, []);
  });

  it('prints names with control characters escaped', async (t) => {
    const crafted = await craftedRepository(t);
    const evil = 'evil\u001b]0;owned\u0007\u009b2J\u202etxt.exe\nFAILED nothing';
    const point = await crafted.point([dir('Data', await crafted.tree([link(evil, '/etc/passwd')]))], { symlinks: 1 });

    const result = await runFerry(['restore', crafted.repo, point.id, path.join(crafted.dir, 'target')]);

    assert.equal(result.code, 1);
    assert.deepEqual(active(result.stdout), []);
    assert.match(result.stdout, /FAILED Data\/evil\\x1b\]0;owned\\x07\\x9b2J\\u202etxt\.exe\\nFAILED nothing: refused: the link points outside the restore folder \(\/etc\/passwd\)/);
    assert.equal(result.stdout.trim().split('\n').length, 2);
    const json = await runFerry(['restore', crafted.repo, point.id, path.join(crafted.dir, 'target'), '--json']);
    assert.deepEqual(active(json.stdout), []);
    assert.equal(JSON.parse(json.stdout).problems[0].path, `Data/${evil}`);
  });

  it('escapes what a terminal acts on, in text and in JSON', () => {
    assert.equal(escapeName('a\tb\nc\rd\u001b[2J\u0000'), 'a\\tb\\nc\\rd\\x1b[2J\\x00');
    assert.equal(escapeForTerminal('line one\n\tline two \u001b[31m\u2066'), 'line one\n\tline two \\x1b[31m\\u2066');
    assert.equal(escapeName('ünïcødé 日本 name.txt'), 'ünïcødé 日本 name.txt');
    const value = { name: '\u009b\u202e\u001b' };
    assert.deepEqual(active(jsonForTerminal(value)), []);
    assert.deepEqual(JSON.parse(jsonForTerminal(value)), value);
  });
});
