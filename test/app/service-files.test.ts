/**
 * The service definitions the README gives for `ferry serve` (docs/service/): the systemd
 * unit passes `systemd-analyze verify` with nothing to say, is the one the README shows,
 * and runs what the CLI accepts; the launchd plist parses and runs the same command.
 * Checks that need a tool this machine lacks (systemd-analyze, python3 for plistlib)
 * skip with the reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const unitFile = path.join(root, 'docs', 'service', 'ferry.service');
const plistFile = path.join(root, 'docs', 'service', 'dev.ferry.serve.plist');
const hasTool = (command: string, args: string[]) => !spawnSync(command, args, { stdio: 'ignore' }).error;
const systemdAnalyze = hasTool('systemd-analyze', ['--version']);
const python = hasTool('python3', ['--version']);

/** systemd-analyze verify on a copy of `unit` (its ExecStart program made this Node, which exists here): what it reports. */
async function verify(dir: string, unit: string): Promise<{ status: number | null; report: string }> {
  const file = path.join(dir, 'ferry.service');
  await writeFile(file, unit.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
  const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  return { status: result.status, report: `${result.stdout}${result.stderr}`.trim() };
}

/** The `ferry serve` arguments a service runs (after node and bin/ferry.mjs); its options by name. */
function checkServeArguments(args: string[]): Map<string, string> {
  assert.equal(path.basename(args[0] ?? ''), 'ferry.mjs');
  assert.equal(args[1], 'serve');
  const options = new Map<string, string>();
  for (let index = 2; index < args.length; index += 2) options.set(args[index]!, args[index + 1]!);
  assert.deepEqual([...options.keys()].sort(), ['--data-dir', '--link-file', '--port']);
  assert.ok(path.isAbsolute(options.get('--data-dir')!), 'an absolute data folder');
  assert.ok(path.isAbsolute(options.get('--link-file')!), 'the link in a file, not in the log');
  assert.match(options.get('--port')!, /^\d+$/, 'a fixed port, so the link stays put across restarts');
  return options;
}

describe('ferry serve as a service', () => {
  it('the README shows the unit that ships in docs/service', async () => {
    const [readme, unit] = await Promise.all([readFile(path.join(root, 'README.md'), 'utf8'), readFile(unitFile, 'utf8')]);
    const shown = /```ini\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.equal(shown, unit);
  });

  it('the systemd unit: a dedicated user, a private data folder, restarts, reload rotates access', async () => {
    const unit = await readFile(unitFile, 'utf8');
    const service = unit.slice(unit.indexOf('[Service]'), unit.indexOf('[Install]'));
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(service)?.[1];
    assert.equal(value('User'), 'ferry');
    assert.equal(value('StateDirectory'), 'ferry');
    assert.equal(value('StateDirectoryMode'), '0700');
    assert.equal(value('UMask'), '0077');
    assert.equal(value('Restart'), 'on-failure');
    assert.equal(value('ExecReload'), '/bin/kill -USR2 $MAINPID', 'serve rotates access on SIGUSR2');
    assert.equal(value('RuntimeDirectory'), 'ferry');
    assert.equal(value('RuntimeDirectoryMode'), '0700');
    const [node, ...args] = (value('ExecStart') ?? '').split(' ');
    assert.ok(path.isAbsolute(node ?? ''), 'systemd needs an absolute program path');
    const options = checkServeArguments(args);
    assert.equal(options.get('--data-dir'), '/var/lib/ferry', 'the StateDirectory');
    assert.equal(path.dirname(options.get('--link-file')!), '/run/ferry', 'the RuntimeDirectory, private and gone at stop');
  });

  it('the systemd unit passes systemd-analyze verify with nothing to report', { skip: systemdAnalyze ? false : 'no systemd-analyze here' }, async (t) => {
    const dir = await tempDir(t);
    const unit = await readFile(unitFile, 'utf8');
    assert.deepEqual(await verify(dir, unit), { status: 0, report: '' });
    // verify exits 0 on a mistake it ignores: what it says is what counts.
    const mistaken = await verify(dir, unit.replace('Restart=on-failure', 'Restart=on-crash').replace('UMask=', 'Umask='));
    assert.match(mistaken.report, /Failed to parse service restart specifier/);
    assert.match(mistaken.report, /Unknown key 'Umask'/);
  });

  it('the launchd plist parses, runs ferry serve as _ferry at boot, restarts it after a failure', { skip: python ? false : 'no python3 here' }, async () => {
    const script = 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))';
    const result = spawnSync('python3', ['-c', script, plistFile], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const plist = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(plist['Label'], 'dev.ferry.serve');
    assert.equal(plist['UserName'], '_ferry');
    assert.equal(plist['Umask'], 0o077);
    assert.equal(plist['RunAtLoad'], true);
    assert.deepEqual(plist['KeepAlive'], { SuccessfulExit: false });
    const [node, ...args] = plist['ProgramArguments'] as string[];
    assert.ok(path.isAbsolute(node ?? ''));
    checkServeArguments(args);
  });
});
