import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../app/engine.ts';
import { jobDefinition } from '../../shared/domain/job.ts';
import { writeRandomFiles } from '../copy/fixtures.ts';
import { ferryBin, tempDir } from '../helpers.ts';
import { startServeProcess, stopProcess } from '../serve-process.ts';
import { folderJob } from './harness.ts';

const built = existsSync(fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url)));
const MiB = 1024 * 1024;

async function packsIn(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && /[\\/]packs[\\/][0-9a-f]{2}$/.test(entry.parentPath)).length;
}

// A real kill (SIGKILL of ferry serve) in the middle of a scheduled copy, as a crash or a power cut does it.
it('ferry serve killed during a scheduled copy: restarted, it runs the copy once more and stores only what is missing', { timeout: 120_000, skip: built ? false : 'the console is not built (npm run build)' }, async (t) => {
  const root = await tempDir(t);
  const dataDir = path.join(root, 'data');
  const docs = path.join(root, 'docs');
  await writeRandomFiles(docs, 6, 16 * MiB);
  const setup = await Engine.start({ dataDir, host: 'cli' });
  const [primary] = await setup.repositories.list();
  const offsite = await setup.repositories.add({ name: 'offsite', location: { kind: 'local', path: path.join(root, 'offsite') } });
  const files = await setup.jobs.create(jobDefinition.parse(folderJob('Files', primary!.id, { docs })), undefined);
  await setup.jobs.start(files.id);
  await setup.jobs.settled(files.id);
  const due = new Date(Date.now() + 3_000);
  const copy = await setup.jobs.create(
    jobDefinition.parse({
      kind: 'backup-copy',
      name: 'Offsite',
      repositoryId: offsite.id,
      sources: [{ kind: 'job', jobId: files.id }],
      schedule: { mode: 'periodic', every: 1, unit: 'days', startAt: due.toISOString() },
      // Slow enough to be killed in the middle: 96 MiB at 12 MiB/s.
      dataPath: { parallelWorkloads: 1, throttleBytesPerSecond: 12 * MiB },
    }),
    undefined,
  );
  await setup.close();

  const first = await startServeProcess([ferryBin, 'serve', '--json', '--data-dir', dataDir]);
  t.after(() => stopProcess(first.child));
  // Past the first indexed checkpoint (an index file every 4 packs of 16 MiB), before the end.
  const deadline = Date.now() + 60_000;
  while ((await packsIn(path.join(root, 'offsite'))) < 5) {
    assert.ok(Date.now() < deadline, 'the scheduled copy did not get going');
    await sleep(100);
  }
  const killed = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await killed;

  const second = await startServeProcess([ferryBin, 'serve', '--json', '--data-dir', dataDir]);
  t.after(() => stopProcess(second.child));
  const catalog = new DatabaseSync(path.join(dataDir, 'catalog.sqlite'), { readOnly: true });
  t.after(() => catalog.close());
  const copies = () =>
    catalog.prepare('SELECT id, result, bytes_stored FROM sessions WHERE job_id = ? AND ended_at IS NOT NULL ORDER BY started_at').all(copy.id) as {
      id: string;
      result: string | null;
      bytes_stored: number;
    }[];
  const ended = () => copies().filter((session) => session.result === 'success');
  while (ended().length === 0) {
    assert.ok(Date.now() < deadline + 30_000, `the copy did not run again after the restart: ${JSON.stringify(copies())}`);
    await sleep(250);
  }
  const [rerun] = ended();
  assert.ok(rerun!.bytes_stored > 0 && rerun!.bytes_stored < 64 * MiB, `the rerun stored ${rerun!.bytes_stored} bytes of 96 MiB`);
  await sleep(2_000);
  assert.equal(ended().length, 1, 'the missed run ran once');
  const points = catalog.prepare('SELECT COUNT(*) AS n FROM session_tasks t JOIN sessions s ON s.id = t.session_id WHERE s.job_id = ? AND t.point_id IS NOT NULL AND t.result = ?').get(copy.id, 'success') as { n: number };
  assert.equal(points.n, 1, 'the point was copied once');
});
