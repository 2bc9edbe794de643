import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** scripts/check-builder-config.mjs on a config: its exit code and output. */
function check(configFile: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/check-builder-config.mjs', configFile], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('packaging config', () => {
  it("sets Electron's fuses as the security checklist recommends, and the check refuses a weakened one", async (t) => {
    assert.deepEqual(await check('electron-builder.yml').then(({ code }) => code), 0);
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-builder-config-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const original = await readFile(path.join(root, 'electron-builder.yml'), 'utf8');
    for (const [fuse, weak] of [
      ['grantFileProtocolExtraPrivileges', 'true'],
      ['runAsNode', 'true'],
      ['onlyLoadAppFromAsar', 'false'],
    ] as const) {
      const pattern = new RegExp(`^(\\s+${fuse}:) \\w+$`, 'm');
      assert.match(original, pattern, `${fuse} is set`);
      const weakened = path.join(dir, `${fuse}.yml`);
      await writeFile(weakened, original.replace(pattern, `$1 ${weak}`));
      const { code, output } = await check(weakened);
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`electronFuses\\.${fuse} must be`));
    }
  });
});
