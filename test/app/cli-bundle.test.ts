/**
 * The bundled CLI (dist/engine/ferry.mjs, what the benchmarks run) does what the CLI from
 * its sources does: back up, copy between encrypted repositories, restore through its
 * restore threads (restore-worker.cjs beside it), verify, and serve the built console.
 * Skips when not built (npm run build).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startServeProcess, stopProcess } from '../serve-process.ts';
import { fileURLToPath } from 'node:url';
import { hugePagesRestart, transparentHugePages } from '../../app/cli/huge-pages.ts';
import { digestTree, writeRandomFiles } from '../copy/fixtures.ts';
import { runFerry, tempDir } from '../helpers.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = path.join(root, 'dist', 'engine', 'ferry.mjs');
const console = path.join(root, 'dist', 'renderer', 'index.html');
const missing = [bundle, console].filter((file) => !existsSync(file)).map((file) => path.relative(root, file));

describe('bundled CLI', { skip: missing.length > 0 ? `not built: ${missing.join(', ')} (npm run build)` : false }, () => {
  const ferry = (args: string[], env: NodeJS.ProcessEnv = {}) => runFerry(args, env, bundle);

  it('backs up, copies, restores and verifies like the CLI from its sources', async (t) => {
    const dir = await tempDir(t);
    const data = path.join(dir, 'data');
    await writeRandomFiles(path.join(data, 'sub'), 3, 300 * 1024);
    await writeRandomFiles(data, 2, 2 * 1024 * 1024);
    const source = path.join(dir, 'source');
    const target = path.join(dir, 'target');
    const env = { FERRY_DATA_DIR: path.join(dir, 'ferry-data'), FERRY_PASSWORD: 'bundle source', FERRY_TARGET_PASSWORD: 'bundle target' };

    assert.equal((await ferry(['--version'])).stdout.trim(), (await runFerry(['--version'])).stdout.trim());
    for (const repo of [source, target]) {
      const init = await ferry(['repo', 'init', repo, '--encrypt'], repo === target ? { ...env, FERRY_PASSWORD: env.FERRY_TARGET_PASSWORD } : env);
      assert.equal(init.code, 0, init.stderr);
    }
    const backup = await ferry(['backup', source, '--job', 'Files', '--workload', `data=${data}`, '--json'], env);
    assert.equal(backup.code, 0, backup.stderr);

    const copy = await ferry(['copy', '--from', source, '--to', target, '--job', 'Offsite', '--json'], env);
    assert.equal(copy.code, 0, copy.stderr);
    const { tasks } = JSON.parse(copy.stdout) as { tasks: { workload: string; result: string; points: string[] }[] };
    assert.deepEqual(tasks.map((task) => [task.workload, task.result, task.points.length]), [['data', 'success', 1]]);

    const targetEnv = { ...env, FERRY_PASSWORD: env.FERRY_TARGET_PASSWORD };
    const into = path.join(dir, 'restored');
    await mkdir(into);
    const restore = await ferry(['restore', target, tasks[0]!.points[0]!, into], targetEnv);
    assert.equal(restore.code, 0, restore.stderr);
    assert.deepEqual(await digestTree(path.join(into, 'data')), await digestTree(data));

    const verify = await ferry(['verify', target, '--json'], targetEnv);
    assert.equal(verify.code, 0, verify.stderr);
    assert.deepEqual((JSON.parse(verify.stdout) as { backups: { damage: unknown[] }[] }).backups[0]!.damage, []);
  });

  it('serves the built console', async (t) => {
    const dir = await tempDir(t);
    const { child, url } = await startServeProcess([bundle, 'serve', '--json', '--data-dir', dir]);
    t.after(() => stopProcess(child));
    if (hugePagesRestart(process.platform, process.env, 'serve', transparentHugePages)) {
      const environ = (await readFile(`/proc/${child.pid}/environ`, 'utf8')).split('\0');
      assert.ok(environ.includes('GLIBC_TUNABLES=glibc.malloc.hugetlb=1'), 'serve started again with huge pages (see huge-pages.ts)');
    }
    const exchange = await fetch(url, { redirect: 'manual' });
    assert.equal(exchange.status, 303, 'the printed token is taken');
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(new URL('/', url), { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Ferry<\/title>/);
  });
});
