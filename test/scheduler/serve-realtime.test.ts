import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { Engine } from '../../app/engine.ts';
import { jobDefinition, type JobSummary } from '../../shared/domain/job.ts';
import { ferryBin, runFerry, tempDir } from '../helpers.ts';
import { startServeProcess, stopProcess } from '../serve-process.ts';
import { dataFolder, folderJob } from './harness.ts';

const built = existsSync(fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url)));

// The one real-time test of the scheduler (everything else runs on the virtual clock): about 70 s. Needs the built console, as the other ferry serve tests.
it('ferry serve runs a folder backup every minute and an immediate copy of each point, unattended; ferry job ls shows status and next run', { timeout: 150_000, skip: built ? false : 'the console is not built (npm run build)' }, async (t) => {
  const root = await tempDir(t);
  const dataDir = path.join(root, 'data');
  const setup = await Engine.start({ dataDir, host: 'cli' });
  const [primary] = await setup.repositories.list();
  const offsite = await setup.repositories.add({ name: 'offsite', location: { kind: 'local', path: path.join(root, 'offsite') } });
  const firstRun = new Date(Date.now() + 8_000);
  const files = await setup.jobs.create(
    jobDefinition.parse(folderJob('Files', primary!.id, { docs: await dataFolder(root, 'docs') }, { schedule: { mode: 'periodic', every: 1, unit: 'minutes', startAt: firstRun.toISOString() } })),
    undefined,
  );
  const copy = await setup.jobs.create(
    jobDefinition.parse({ kind: 'backup-copy', name: 'Offsite', repositoryId: offsite.id, sources: [{ kind: 'job', jobId: files.id }], schedule: { mode: 'immediate' } }),
    undefined,
  );
  await setup.close();

  const { child } = await startServeProcess([ferryBin, 'serve', '--json', '--data-dir', dataDir]);
  t.after(() => stopProcess(child));
  const catalog = new DatabaseSync(path.join(dataDir, 'catalog.sqlite'), { readOnly: true });
  t.after(() => catalog.close());
  const ended = (jobId: string) =>
    catalog.prepare("SELECT id, started_at, result FROM sessions WHERE job_id = ? AND ended_at IS NOT NULL ORDER BY started_at").all(jobId) as { id: string; started_at: string; result: string }[];
  const copiedPoints = () =>
    (catalog.prepare('SELECT t.point_id FROM session_tasks t JOIN sessions s ON s.id = t.session_id WHERE s.job_id = ? AND t.point_id IS NOT NULL').all(copy.id) as { point_id: string }[]).length;

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (ended(files.id).length >= 2 && copiedPoints() >= 2) break;
    await sleep(1000);
  }
  const backups = ended(files.id);
  assert.equal(backups.length, 2, 'two scheduled runs ended');
  assert.ok(backups.every((s) => s.result === 'success'));
  const late = Date.parse(backups[0]!.started_at) - firstRun.getTime();
  assert.ok(late >= 0 && late < 1500, `the first run started ${late} ms after its time`);
  assert.equal(copiedPoints(), 2, 'every point made was copied');

  const ls = await runFerry(['job', 'ls', '--json', '--data-dir', dataDir]);
  assert.equal(ls.code, 0, ls.stderr);
  const listed = JSON.parse(ls.stdout) as JobSummary[];
  const shown = listed.find((job) => job.id === files.id);
  assert.ok(shown?.nextRun, 'the job list shows the next run');
  assert.ok(Date.parse(shown.nextRun) > Date.parse(backups[1]!.started_at));
  assert.ok(['idle', 'working', 'queued'].includes(shown.status));
  assert.equal(listed.find((job) => job.id === copy.id)?.status === 'disabled', false);
  const text = await runFerry(['job', 'ls', '--data-dir', dataDir]);
  assert.match(text.stdout, /Files .*next: \d{4}-\d\d-\d\dT/);
});
