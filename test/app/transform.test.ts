process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { acquireLock } from '../../app/repository/locks.ts';
import { Repository } from '../../app/repository/repository.ts';
import type { PointManifest } from '../../app/repository/schemas.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { VirtualClock } from '../../app/util/virtual-clock.ts';
import type { JobDefinitionInput, SessionDetail } from '../../shared/domain/job.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { gfsFlagsFor } from '../../shared/retention/gfs.ts';
import { assertVerifies, chunkOf, damageChunk } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';
import { runJob, startEngine } from './engine-harness.ts';
import { dateWords } from '../../app/util/date-words.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type FolderJobInput = Extract<JobDefinitionInput, { kind: 'folder-backup' }>;
type CopyJobInput = Extract<JobDefinitionInput, { kind: 'backup-copy' }>;

/** An engine on a virtual clock with its default repository and more, and folders of data. */
async function setUp(t: TestContext, start: string, repositories: string[] = []) {
  const root = await tempDir(t);
  const clock = new VirtualClock(new Date(start));
  const harness = await startEngine(t, undefined, { clock });
  const [primary] = await harness.client.call('repos.list', {});
  assert.ok(primary?.location.kind === 'local');
  const repos: Record<string, { id: string; path: string }> = { primary: { id: primary.id, path: primary.location.path } };
  for (const name of repositories) {
    const folder = path.join(root, name);
    repos[name] = { id: (await harness.client.call('repos.add', { name, location: { kind: 'local', path: folder } })).id, path: folder };
  }
  let edits = 0;
  /** A folder whose content changes at each call (so each backup is a new point with new chunks). */
  const data = async (name: string) => {
    const folder = path.join(root, 'data', name);
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    await writeFile(path.join(folder, 'file.txt'), `${name} ${++edits}\n`.repeat(300));
    return folder;
  };
  return { ...harness, clock, root, repos, data };
}

/** The job's backup in a repository folder, opened here (plain). */
async function jobBackup(repositoryPath: string, jobId: string) {
  const repository = await Repository.open(new LocalFolderStore(repositoryPath));
  for (const folder of await repository.listBackupFolders()) {
    if ((await repository.readBackupConfig(folder)).jobId === jobId) return repository.openBackup(folder, undefined);
  }
  throw new Error(`no backup of job ${jobId}`);
}

async function pointsOf(repositoryPath: string, jobId: string): Promise<PointManifest[]> {
  return (await (await jobBackup(repositoryPath, jobId)).listPoints()).points;
}

const messages = (session: SessionDetail) => session.log.map((line) => `${line.level}: ${line.message}`);

function folderJob(name: string, repositoryId: string, workloads: Record<string, string>, more: Partial<FolderJobInput> = {}): FolderJobInput {
  return { kind: 'folder-backup', name, repositoryId, workloads: Object.entries(workloads).map(([w, folder]) => ({ name: w, folders: [folder] })), ...more };
}

describe('the transform phase of job runs', () => {
  it('a folder backup job keeps the newest N points of each workload after each run, removing exactly what applyRetention says, each named in the session with why, then compacts', async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z');
    const { client, clock, repos, data } = engine;
    const retention = { keepPoints: 3 };
    const job = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { docs: await data('docs'), mail: await data('mail') }, { retention }) });
    for (let day = 0; day < 5; day++) {
      await data('docs');
      await data('mail');
      const before = day === 0 ? [] : await pointsOf(repos['primary']!.path, job.id);
      const { session } = await runJob(engine, job.id);
      assert.equal(session.result, 'success', messages(session).join('\n'));
      const all = [...before, ...(await pointsOf(repos['primary']!.path, job.id)).filter((p) => !before.some((b) => b.id === p.id))];
      const now = new Date(clock.now()).toISOString();
      const expected = new Set<string>();
      const removedLines: string[] = [];
      for (const workload of ['docs', 'mail']) {
        const points = all.filter((p) => p.workload === workload).sort((a, b) => a.created.localeCompare(b.created));
        applyRetention(points, retention, now, 'UTC').forEach((decision, i) => {
          if (decision.keep) expected.add(decision.id);
          else removedLines.push(`info: Removed the point of ${dateWords(points[i]!.created)} of ${workload}: ${decision.reasons.join('; ')}.`);
        });
      }
      const kept = await pointsOf(repos['primary']!.path, job.id);
      assert.deepEqual(new Set(kept.map((p) => p.id)), expected, `day ${day}: the points kept are those retention keeps`);
      assert.equal(kept.length, Math.min(day + 1, 3) * 2);
      for (const line of removedLines) assert.ok(messages(session).includes(line), `day ${day}: the session says "${line}"\n${messages(session).join('\n')}`);
      assert.equal(removedLines.length, day >= 3 ? 2 : 0);
      if (day >= 3) {
        assert.ok(messages(session).includes('info: Retention (keep 3): 2 points removed, 6 kept.'), messages(session).join('\n'));
        assert.ok(messages(session).some((line) => /6 restore points need/.test(line)), 'compaction ran and said what it kept');
        assert.ok(messages(session).some((line) => /reclaimed/.test(line)), 'and what it reclaimed');
      }
      clock.setWall(clock.now() + DAY);
    }
    const backup = await jobBackup(repos['primary']!.path, job.id);
    await assertVerifies(backup, 6);
  });

  it('a copy job flags the points it writes (GFS) and keeps the newest N and the flagged points of the last weeks, day after day on a virtual clock', { timeout: 120_000 }, async (t) => {
    // Monday 2 March 2026; weeks start on Sunday.
    const engine = await setUp(t, '2026-03-02T11:00:00Z', ['offsite']);
    const { client, clock, repos, data } = engine;
    const files = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { docs: await data('docs') }) });
    const retention = { keepPoints: 2, gfs: { weekly: 2, monthly: 0, yearly: 0, weekday: 0, monthlyWeek: 'first' as const, yearlyMonth: 0 } };
    const copyJob: CopyJobInput = { kind: 'backup-copy', name: 'Offsite', repositoryId: repos['offsite']!.id, sources: [{ kind: 'job', jobId: files.id }], retention };
    const copy = await client.call('jobs.create', { definition: copyJob });
    const flaggedDays: string[] = [];
    for (let day = 0; day < 15; day++) {
      clock.setWall(Date.parse('2026-03-02T11:00:00Z') + day * DAY);
      await data('docs');
      assert.equal((await runJob(engine, files.id)).session.result, 'success');
      clock.setWall(clock.now() + HOUR);
      const before = day === 0 ? [] : await pointsOf(repos['offsite']!.path, copy.id);
      const { session } = await runJob(engine, copy.id);
      assert.equal(session.result, 'success', messages(session).join('\n'));
      const after = await pointsOf(repos['offsite']!.path, copy.id);
      const written = after.find((p) => p.id === session.tasks[0]!.pointId);
      assert.ok(written, `day ${day}: the copied point is kept`);
      assert.deepEqual(written.gfs, gfsFlagsFor(written.completed, before, retention.gfs, 'UTC'), `day ${day}: flags as gfsFlagsFor gives them`);
      if (written.gfs.weekly) flaggedDays.push(written.completed.slice(0, 10));
      const now = new Date(clock.now()).toISOString();
      const decisions = applyRetention([...before, written], retention, now, 'UTC');
      assert.deepEqual(after.map((p) => p.id).sort(), decisions.filter((d) => d.keep).map((d) => d.id).sort(), `day ${day}: kept as applyRetention says`);
      for (const decision of decisions.filter((d) => !d.keep)) {
        const created = [...before, written].find((p) => p.id === decision.id)!.created;
        assert.ok(messages(session).some((line) => line.startsWith(`info: Removed the point of ${dateWords(created)} of docs: `) && line.endsWith(`: ${decision.reasons.join('; ')}.`)), `day ${day}: the session names the point of ${created} and why`);
      }
    }
    // The first point of each week (from Sunday) is the weekly one: Monday 2 March, then Sundays.
    assert.deepEqual(flaggedDays, ['2026-03-02', '2026-03-08', '2026-03-15']);
    // On Monday 16 March: the newest 2 (15, 16) and the weekly points of this week and the one before (8, 15).
    const kept = await pointsOf(repos['offsite']!.path, copy.id);
    assert.deepEqual(kept.map((p) => p.completed.slice(0, 10)), ['2026-03-08', '2026-03-15', '2026-03-16']);
    await assertVerifies(await jobBackup(repos['offsite']!.path, copy.id), 3);
  });

  it('a workload that left a folder backup job keeps its points for the job\'s days, is forgotten when it comes back, and is removed once the days have passed', async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z');
    const { client, clock, repos, data } = engine;
    const folders = { docs: await data('docs'), mail: await data('mail') };
    const definition = folderJob('Files', repos['primary']!.id, folders, { removeDeletedWorkloadsAfterDays: 3 });
    const job = await client.call('jobs.create', { definition });
    const run = async (day: number, workloads: string[]) => {
      clock.setWall(Date.parse('2026-03-02T10:00:00Z') + day * DAY);
      await client.call('jobs.update', { id: job.id, definition: folderJob('Files', repos['primary']!.id, Object.fromEntries(workloads.map((w) => [w, folders[w as 'docs']])), { removeDeletedWorkloadsAfterDays: 3 }) });
      const { session } = await runJob(engine, job.id);
      assert.equal(session.result, 'success', messages(session).join('\n'));
      const points = await pointsOf(repos['primary']!.path, job.id);
      return { log: messages(session), mail: points.filter((p) => p.workload === 'mail').length };
    };
    assert.equal((await run(0, ['docs', 'mail'])).mail, 1);
    let day = await run(1, ['docs']);
    assert.ok(day.log.includes('info: mail is no longer in the job: its points are removed after 3 days, from 6 Mar 2026, 10:00:00, unless it comes back.'), day.log.join('\n'));
    assert.equal(day.mail, 1);
    day = await run(2, ['docs', 'mail']);
    assert.ok(day.log.includes('info: mail is in the job again (it had left on 3 Mar 2026, 10:00:00): its points are kept.'), day.log.join('\n'));
    assert.equal(day.mail, 2);
    day = await run(3, ['docs']);
    assert.ok(day.log.some((line) => line.includes('mail is no longer in the job') && line.includes('from 8 Mar 2026, 10:00:00')), 'counted again from the day it left again');
    day = await run(5, ['docs']);
    assert.ok(day.log.includes('info: mail left the job on 5 Mar 2026, 10:00:00: its points are removed from 8 Mar 2026, 10:00:00, unless it comes back.'), day.log.join('\n'));
    assert.equal(day.mail, 2);
    day = await run(6, ['docs']);
    assert.equal(day.mail, 0, 'removed 3 days after it left');
    assert.ok(day.log.includes('info: mail left the job on 5 Mar 2026, 10:00:00, more than 3 days ago: its points are removed.'), day.log.join('\n'));
    assert.equal(day.log.filter((line) => /^info: Removed the point of .+ of mail: its workload left the job on 5 Mar 2026, 10:00:00, more than 3 days ago\.$/.test(line)).length, 2);
    assert.equal((await pointsOf(repos['primary']!.path, job.id)).filter((p) => p.workload === 'docs').length, 6, 'the other workload keeps its points');
  });

  it('a copy job removes a workload its sources no longer give after N days, but never while a source cannot be read', { timeout: 60_000 }, async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z', ['branch', 'offsite']);
    const { client, clock, repos, data } = engine;
    const files = await client.call('jobs.create', { definition: folderJob('Branch files', repos['branch']!.id, { docs: await data('docs'), mail: await data('mail') }) });
    assert.equal((await runJob(engine, files.id)).session.result, 'success');
    const [source] = await client.call('backups.list', { repositoryId: repos['branch']!.id });
    const copyDefinition = (workloads: string[]): CopyJobInput => ({
      kind: 'backup-copy',
      name: 'Offsite',
      repositoryId: repos['offsite']!.id,
      sources: [{ kind: 'backup', repositoryId: repos['branch']!.id, backupId: source!.backupId, workloads }],
      removeDeletedWorkloadsAfterDays: 2,
    });
    const copy = await client.call('jobs.create', { definition: copyDefinition(['docs', 'mail']) });
    const run = async (day: number) => {
      clock.setWall(Date.parse('2026-03-02T10:00:00Z') + day * DAY);
      const { session } = await runJob(engine, copy.id);
      const points = await pointsOf(repos['offsite']!.path, copy.id);
      return { session, log: messages(session), mail: points.filter((p) => p.workload === 'mail').length };
    };
    assert.equal((await run(0)).mail, 1);
    await client.call('jobs.update', { id: copy.id, definition: copyDefinition(['docs']) });
    let day = await run(1);
    assert.ok(day.log.includes('info: mail is no longer in the job: its points are removed after 2 days, from 5 Mar 2026, 10:00:00, unless it comes back.'), day.log.join('\n'));
    // The source's repository goes offline: nothing tells whether mail is still there.
    await rename(repos['branch']!.path, `${repos['branch']!.path}.away`);
    day = await run(4);
    assert.equal(day.mail, 1, 'not removed while a source cannot be read');
    assert.ok(day.log.some((line) => line.startsWith('info: Workloads that left the job were not looked for this run: ') && line.includes('No point of mail is removed while so.')), day.log.join('\n'));
    await rename(`${repos['branch']!.path}.away`, repos['branch']!.path);
    day = await run(5);
    assert.equal(day.session.result, 'success', day.log.join('\n'));
    assert.equal(day.mail, 0, 'removed once the source is read again and the days have passed');
    assert.ok(day.log.includes('info: mail left the job on 3 Mar 2026, 10:00:00, more than 2 days ago: its points are removed.'), day.log.join('\n'));
  });

  it('a busy backup postpones compaction with a warning (the run keeps its result); the next run compacts what is owed; a stop ends a step waiting for the backup', async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z');
    const { client, clock, repos, data, engine: core } = engine;
    core.jobs.maintenanceWaitMs = 0;
    const folders = { docs: await data('docs') };
    const job = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, folders, { retention: { keepPoints: 1 } }) });
    assert.equal((await runJob(engine, job.id)).session.result, 'success');
    const backup = await jobBackup(repos['primary']!.path, job.id);
    // A restore reading the backup: runs and retention may write beside it, compaction may not.
    const reader = await acquireLock(backup.store, backup.folder, 'read', { purpose: 'a restore in the test' });
    clock.setWall(clock.now() + DAY);
    await data('docs');
    const busy = await runJob(engine, job.id);
    assert.equal(busy.session.result, 'warning', messages(busy.session).join('\n'));
    assert.equal(busy.session.tasks[0]!.result, 'success', 'the backup itself succeeded');
    assert.ok(messages(busy.session).some((line) => /^warning: Compaction postponed to the next run: .*in use: a restore in the test \(read lock\)/.test(line)), messages(busy.session).join('\n'));
    assert.equal((await pointsOf(repos['primary']!.path, job.id)).length, 1, 'retention removed the older point all the same');

    // Keeping more now, the next run forgets nothing but still owes the compaction.
    await client.call('jobs.update', { id: job.id, definition: folderJob('Files', repos['primary']!.id, folders, { retention: { keepPoints: 5 } }) });
    core.jobs.maintenanceWaitMs = 60_000;
    await data('docs');
    const started = await client.call('jobs.start', { id: job.id });
    // It waits for the reader; a stop ends the wait at once.
    for (;;) {
      const log = messages(await client.call('sessions.get', { id: started.sessionId }));
      if (log.some((line) => line.includes('Waiting for a restore in the test'))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    client.call('jobs.stop', { id: job.id }).catch(() => undefined);
    await core.jobs.settled(job.id);
    const stopped = await client.call('sessions.get', { id: started.sessionId });
    assert.equal(stopped.result, 'warning');
    assert.ok(messages(stopped).some((line) => line.startsWith('warning: Stopped during compaction')), messages(stopped).join('\n'));
    await reader.release();

    core.jobs.maintenanceWaitMs = 0;
    const owed = await runJob(engine, job.id);
    assert.equal(owed.session.result, 'success', messages(owed.session).join('\n'));
    assert.ok(messages(owed.session).some((line) => /^info: Compaction owed since \d{1,2} \w{3} \d{4}, [\d:]{8} runs now\.$/.test(line)), messages(owed.session).join('\n'));
    assert.ok(messages(owed.session).some((line) => /1 pack no kept point needs deleted/.test(line)), messages(owed.session).join('\n'));
    const again = await runJob(engine, job.id);
    assert.ok(!messages(again.session).some((line) => /Compaction/.test(line)), 'nothing owed any more');
    await assertVerifies(await jobBackup(repos['primary']!.path, job.id), 4);
  });
  it('the health check runs on its scheduled day (not on the job\'s first run), once a day, and damage it finds makes the session a warning', async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z');
    const { client, clock, repos, data } = engine;
    // Weekly on Mondays; 2 March 2026 is a Monday.
    const healthCheck = { enabled: true, frequency: 'weekly' as const, weekday: 1, week: 'last' as const };
    const job = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { docs: await data('docs') }, { healthCheck }) });
    const run = async (day: number) => {
      clock.setWall(Date.parse('2026-03-02T10:00:00Z') + day * DAY);
      const { session } = await runJob(engine, job.id);
      return { result: session.result, log: messages(session), checked: messages(session).some((line) => line.includes('Health check of ')) };
    };
    assert.equal((await run(0)).checked, false, 'a backup just begun is not checked at once');
    assert.equal((await run(3)).checked, false, 'Thursday is no check day');
    const monday = await run(7);
    assert.equal(monday.checked, true, monday.log.join('\n'));
    assert.ok(monday.log.includes('info: Health check due (the last: 2026-03-02T10:00:00.000Z).'), monday.log.join('\n'));
    assert.ok(monday.log.includes('info: No damage found.'));
    assert.equal(monday.result, 'success');
    assert.equal((await run(7.1)).checked, false, 'once a day');
    const backup = await jobBackup(repos['primary']!.path, job.id);
    const [point] = (await backup.listPoints()).points;
    await damageChunk(await chunkOf(backup, point!, 'docs/file.txt'));
    const damaged = await run(14);
    assert.equal(damaged.checked, true);
    assert.equal(damaged.result, 'warning', damaged.log.join('\n'));
    assert.ok(damaged.log.some((line) => /^warning: (DAMAGED chunk|LOST blob) \w+ (in|of) pack \w+/.test(line)), damaged.log.join('\n'));
    assert.ok(damaged.log.some((line) => /^warning: \d+ points? damaged until healed/.test(line)), damaged.log.join('\n'));
    assert.ok(damaged.log.some((line) => /^warning: DAMAGED point \w+ of docs: 1 chunk it needs is not in the backup any more; the next backup run stores them again/.test(line)), damaged.log.join('\n'));
  });
  it('a transform step that fails is a warning saying what happens next; the run keeps its points and tasks', async (t) => {
    const engine = await setUp(t, '2026-03-02T10:00:00Z');
    const { client, clock, repos, data } = engine;
    const job = await client.call('jobs.create', { definition: folderJob('Files', repos['primary']!.id, { docs: await data('docs') }, { retention: { keepPoints: 1 } }) });
    assert.equal((await runJob(engine, job.id)).session.result, 'success');
    const [listed] = await client.call('backups.list', { repositoryId: repos['primary']!.id });
    // A point file that does not read: retention counts the others, compaction refuses (what it needs cannot be known).
    await writeFile(path.join(repos['primary']!.path, listed!.folder, 'points', 'a'.repeat(32)), 'not a point');
    clock.setWall(clock.now() + DAY);
    await data('docs');
    const { session } = await runJob(engine, job.id);
    assert.equal(session.result, 'warning', messages(session).join('\n'));
    assert.equal(session.tasks[0]!.result, 'success');
    assert.ok(messages(session).some((line) => /^warning: Compaction failed: Compaction of .* refused: .*The next run tries again\.$/.test(line)), messages(session).join('\n'));
    assert.ok(messages(session).includes('info: Retention (keep 1): 1 point removed, 1 kept.'), messages(session).join('\n'));
  });
});
