import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers.ts';

const utilityEntry = new URL('../../app/host/utility.ts', import.meta.url).pathname;
const harness = new URL('./fake-parent-port.ts', import.meta.url).pathname;

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('utility-process entry', () => {
  it('refuses to run outside Electron with a clear message', async () => {
    const { code, stderr } = await runNode([utilityEntry]);
    assert.equal(code, 2);
    assert.match(stderr, /runs inside the Electron utility process/);
  });

  it("speaks the main-process protocol: ready, connect a port, serve the contract, close a window's previous port, shut down", async (t) => {
    const dir = await tempDir(t);
    const { code, stdout, stderr } = await runNode([harness, utilityEntry, '--data-dir', dir]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines, ['ready', 'repos: Default repository', 'previous port closed', 'repos again: Default repository', 'closed cleanly']);
  });

  it('reports a fatal start-up error to main instead of crashing silently', async (t) => {
    const dir = await tempDir(t);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/not-a-folder`, 'x');
    const { stdout } = await runNode([harness, utilityEntry, '--data-dir', `${dir}/not-a-folder/data`]);
    assert.match(stdout, /^fatal: .*not-a-folder/m);
  });
});
