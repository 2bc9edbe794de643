import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type CopyJobRecord, rpoLate } from '../../app/jobs/rpo.ts';
import type { RpoStatus } from '../../shared/domain/after-run.ts';
import type { BackupSummary } from '../../shared/domain/backup.ts';
import { backupCopyJob } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { FakeClock } from '../fake-clock.ts';
import { tempDir } from '../helpers.ts';
import { startEngine } from './engine-harness.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function backup(repositoryId: string, jobId: string | null, workloads: Record<string, number | undefined>): BackupSummary {
  return {
    repositoryId,
    folder: `${jobId ?? 'foreign'}-folder`,
    backupId: `${repositoryId}-${jobId}`,
    name: 'b',
    kind: jobId === 'copy' ? 'backup-copy' : 'folder-backup',
    jobId,
    encrypted: false,
    created: iso(T0),
    sizeBytes: 0,
    readable: true,
    damaged: [],
    workloads: Object.entries(workloads).map(([name, newest]) => ({ name, points: newest === undefined ? 0 : 1, ...(newest === undefined ? {} : { newest: iso(newest) }) })),
  };
}

const job = (more: Record<string, unknown> = {}): CopyJobRecord => ({
  id: 'copy',
  createdAt: iso(T0),
  definition: backupCopyJob.parse({ kind: 'backup-copy', name: 'Offsite', repositoryId: 'target', sources: [{ kind: 'repository', repositoryId: 'primary' }], ...more }),
});

describe('RPO', () => {
  it('names the workloads whose newest copy is older than the RPO, and when the next falls behind', () => {
    const backups = [
      backup('primary', 'files', { fresh: T0 + 40 * HOUR, stale: T0 + 40 * HOUR, never: T0 + 40 * HOUR, skipped: T0 }),
      backup('target', 'copy', { fresh: T0 + 30 * HOUR, stale: T0 + 1 * HOUR }),
    ];
    const now = T0 + 50 * HOUR;
    const result = rpoLate(job({ exclusions: ['skipped'] }), backups, () => undefined, now);
    assert.deepEqual(result.status, {
      hours: 48,
      late: [
        { workload: 'never', newestCopy: null },
        { workload: 'stale', newestCopy: iso(T0 + 1 * HOUR) },
      ],
    });
    assert.equal(result.nextLate, T0 + 78 * HOUR, 'fresh falls behind 48 h after its copy');

    // A job younger than its RPO has time to make its first copies.
    const young = rpoLate({ ...job({ rpoHours: 24 }), createdAt: iso(now - HOUR) }, backups, () => undefined, now);
    assert.deepEqual(young.status.late.map((entry) => entry.workload), ['stale']);
    assert.equal(young.nextLate, T0 + 54 * HOUR, 'fresh (30 h + 24 h) before never (49 h + 24 h)');
    // Nothing to copy, nothing late, nothing to wait for.
    assert.deepEqual(rpoLate(job(), [], () => undefined, now), { status: { hours: 48, late: [] }, nextLate: null });
  });

  it('refuses an RPO under an hour at the field', async (t) => {
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    await assert.rejects(
      client.call('jobs.create', {
        definition: { kind: 'backup-copy', name: 'C', repositoryId: repo!.id, sources: [{ kind: 'workload', workload: 'w' }], rpoHours: 0 },
      }),
      (e: unknown) => e instanceof FerryError && /at least 1 hour/.test(e.details?.fields?.['definition.rpoHours'] ?? ''),
    );
  });

  it('in the engine: one timer for the moment a workload falls behind, a warning event once, on the job until a copy catches up', async (t) => {
    const root = await tempDir(t);
    const clock = new FakeClock(Date.now());
    const { client, engine } = await startEngine(t, undefined, { clock });
    const [primary] = await client.call('repos.list', {});
    const offsite = await client.call('repos.add', { name: 'offsite', location: { kind: 'local', path: path.join(root, 'offsite') } });
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'a.txt'), 'first');
    const files = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Files', repositoryId: primary!.id, workloads: [{ name: 'docs', folders: [docs] }] },
    });
    const copy = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'Offsite', repositoryId: offsite.id, sources: [{ kind: 'job', jobId: files.id }] },
    });
    assert.deepEqual(copy.rpo, { hours: 48, late: [] });
    const run = async (id: string) => {
      const { sessionId } = await client.call('jobs.start', { id });
      await engine.jobs.settled(id);
      assert.notEqual((await client.call('sessions.get', { id: sessionId })).result, 'failed');
    };
    await run(files.id);
    await run(copy.id);
    const rpoOf = async () => (await client.call('jobs.list', {})).find((job) => job.id === copy.id)?.rpo;
    assert.deepEqual(await rpoOf(), { hours: 48, late: [] });
    const [copied] = (await client.call('backups.list', { repositoryId: offsite.id }))[0]!.workloads;
    const due = Date.parse(copied!.newest!) + 48 * HOUR;
    assert.equal(clock.sleeping, 1, 'one timer, no polling');
    assert.equal(clock.nextWake, due);

    const events: { jobName: string; rpo: RpoStatus }[] = [];
    client.on('jobs.rpoLate', (event) => events.push(event));
    await clock.advanceTo(due - 1);
    assert.equal(events.length, 0);
    await clock.advanceTo(due);
    await waitFor(() => events.length === 1);
    assert.deepEqual(events[0], { jobId: copy.id, jobName: 'Offsite', rpo: { hours: 48, late: [{ workload: 'docs', newestCopy: copied!.newest }] } });
    assert.deepEqual(await rpoOf(), { hours: 48, late: [{ workload: 'docs', newestCopy: copied!.newest }] });
    assert.equal(clock.sleeping, 0, 'nothing left to wait for');

    // A run that copies nothing new leaves it late without a second warning.
    await run(copy.id);
    assert.equal(events.length, 1);
    assert.equal((await rpoOf())?.late.length, 1);

    // A new point copied: no longer late.
    await writeFile(path.join(docs, 'a.txt'), 'second');
    clock.time = Date.now() + 1000;
    await run(files.id);
    await run(copy.id);
    assert.deepEqual(await rpoOf(), { hours: 48, late: [] });
    assert.equal(clock.sleeping, 1);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check());
}
