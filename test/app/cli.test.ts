import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from '../helpers.ts';

const run = promisify(execFile);
const ferry = new URL('../../bin/ferry.mjs', import.meta.url).pathname;

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ferry, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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
