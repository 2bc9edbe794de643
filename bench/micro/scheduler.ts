// The scheduler's idle cost and start latency: `node bench/micro/scheduler.ts [--seconds 60] [--jobs 500]`.
//
// An engine that schedules (as `ferry serve` does, on the system clock) with 500 folder
// backup jobs whose next runs are hours away: the process's CPU time over 60 s, as a share
// of one core (target ≤ 0.1%). Then one job due 3 s later: how late its session starts
// (target ≤ 1 s). Prints one JSON line.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../../app/engine.ts';
import { jobDefinition } from '../../shared/domain/job.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, jobs: { type: 'string', default: '500' } } });
const seconds = Number(values.seconds);
const count = Number(values.jobs);

const root = await mkdtemp(path.join(tmpdir(), 'ferry-bench-scheduler-'));
try {
  const docs = path.join(root, 'docs');
  await mkdir(docs);
  await writeFile(path.join(docs, 'a.txt'), 'a');
  const engine = await Engine.start({ dataDir: path.join(root, 'data'), host: 'serve', schedule: true });
  const [repository] = await engine.repositories.list();
  const folderJob = (name: string, startAt: Date, unit: 'hours' | 'minutes' | 'days') =>
    jobDefinition.parse({
      kind: 'folder-backup',
      name,
      repositoryId: repository!.id,
      workloads: [{ name: 'docs', folders: [docs] }],
      schedule: { mode: 'periodic', every: 1, unit, startAt: startAt.toISOString() },
    });
  // Spread over the day, the first one hours away.
  for (let i = 0; i < count; i++) {
    await engine.jobs.create(folderJob(`Job ${i}`, new Date(Date.now() + 2 * 3_600_000 + i * 60_000), i % 2 ? 'days' : 'hours'), undefined);
  }
  // Let the creation's work settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const idleShare = (cpu.user + cpu.system) / 1000 / wall;

  const due = new Date(Date.now() + 3000);
  const timed = await engine.jobs.create(folderJob('Timed', due, 'days'), undefined);
  const started = await new Promise<number>((resolve) => {
    const poll = setInterval(() => {
      const row = engine.catalog.db.prepare('SELECT started_at FROM sessions WHERE job_id = ?').get(timed.id) as { started_at: string } | undefined;
      if (!row) return;
      clearInterval(poll);
      resolve(Date.parse(row.started_at));
    }, 20);
  });
  await engine.jobs.settled(timed.id);
  await engine.close();
  process.stdout.write(
    `${JSON.stringify({ jobs: count, seconds: Math.round(wall / 1000), cpuMs: Math.round((cpu.user + cpu.system) / 1000), idleCorePercent: +(idleShare * 100).toFixed(4), startLatencyMs: started - due.getTime() })}\n`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
