import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../../app/catalog/catalog.ts';
import { UsageHistory } from '../../app/repositories/usage.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { FakeClock } from '../fake-clock.ts';
import { tempDir } from '../helpers.ts';
import { runJob, startEngine } from './engine-harness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Started = Awaited<ReturnType<typeof startEngine>>;

const samplesOf = async (engine: Started, repositoryId: string) => (await engine.client.call('repos.usage', { repositoryId }))[0]!.samples;

/** The samples of a repository once the newest is of `at` (the engine samples beside the answers it gives). */
async function samplesUntil(engine: Started, repositoryId: string, at: number) {
  const iso = new Date(at).toISOString();
  for (let tries = 0; tries < 300 && (await samplesOf(engine, repositoryId)).at(-1)?.at !== iso; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  return samplesOf(engine, repositoryId);
}

describe('repository usage history', () => {
  it('samples a repository after each run and at most hourly otherwise, with its stored bytes and space', async (t) => {
    const root = await tempDir(t);
    const clock = new FakeClock(Date.parse('2026-12-01T10:00:00.000Z'));
    const engine = await startEngine(t, undefined, { clock });
    const nas = await engine.client.call('repos.add', { name: 'NAS', location: { kind: 'local', path: path.join(root, 'nas') } });
    const data = path.join(root, 'data');
    await mkdir(data);
    await writeFile(path.join(data, 'a.bin'), Buffer.alloc(300_000, 7));
    clock.time += 60_000;
    const job = await engine.client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Office', repositoryId: nas.id, workloads: [{ name: 'data', folders: [data] }] },
    });
    assert.equal((await runJob(engine, job.id)).session.result, 'success');
    const [first, ...more] = await samplesUntil(engine, nas.id, clock.time);
    assert.equal(more.length, 0, "the run's sample took the place of its hour's earlier one");
    const stored = (await engine.client.call('backups.list', { repositoryId: nas.id })).reduce((sum, backup) => sum + backup.sizeBytes, 0);
    assert.ok(stored > 0);
    assert.equal(first!.storedBytes, stored);
    assert.ok(first!.totalBytes! > 0 && first!.freeBytes! > 0 && first!.freeBytes! <= first!.totalBytes!);

    clock.time += 10 * 60_000;
    await engine.client.call('repos.list', {});
    assert.deepEqual(await samplesOf(engine, nas.id), [first], 'no other sample within the hour');
    clock.time += HOUR;
    await engine.client.call('repos.list', {});
    const later = await samplesOf(engine, nas.id);
    assert.equal(later.length, 2, 'a sample in the next hour');
    assert.equal(later[1]!.at, new Date(clock.time).toISOString());

    clock.time += 5 * 60_000;
    await writeFile(path.join(data, 'b.bin'), Buffer.alloc(200_000, 9));
    assert.equal((await runJob(engine, job.id)).session.result, 'success');
    const afterRun = await samplesUntil(engine, nas.id, clock.time);
    assert.equal(afterRun.length, 2, "a run samples at once, in place of its hour's earlier sample");
    assert.ok(afterRun[1]!.storedBytes > afterRun[0]!.storedBytes);

    const all = await engine.client.call('repos.usage', {});
    assert.deepEqual(all.map((entry) => entry.repositoryId).sort(), (await engine.client.call('repos.list', {})).map((repo) => repo.id).sort());
    const error = await engine.client.call('repos.usage', { days: 401 }).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError && error.code === 'invalid_input');
    const unknown = await engine.client.call('repos.usage', { repositoryId: 'no-such' }).catch((e: unknown) => e);
    assert.ok(unknown instanceof FerryError && unknown.code === 'not_found');
  });

  it('a serving engine samples every hour by itself', async (t) => {
    const clock = new FakeClock(Date.parse('2026-12-01T10:20:00.000Z'));
    const engine = await startEngine(t, undefined, { clock, schedule: true });
    const [fallback] = await engine.client.call('repos.list', {});
    assert.deepEqual(await samplesOf(engine, fallback!.id), [], 'nothing before its first scan');
    await engine.engine.inventory.rescan(fallback!.id);
    await clock.advanceTo(Date.parse('2026-12-01T11:00:00.000Z'));
    const samples = await samplesUntil(engine, fallback!.id, clock.time);
    assert.deepEqual(samples.map((sample) => sample.at), ['2026-12-01T11:00:00.000Z']);
  });

  it('keeps a bounded history: the newest sample of each hour for a week, of each day before, nothing older than 400 days', async (t) => {
    const catalog = new Catalog(await tempDir(t));
    t.after(() => catalog.close());
    const clock = new FakeClock(Date.parse('2025-06-01T00:10:00.000Z'));
    const usage = new UsageHistory(catalog, clock);
    catalog.setSetting('scanned/r', 'yes');
    // Every 30 minutes for the last 8 days, every 6 hours before (fewer writes, the same thinning).
    const end = clock.time + 450 * DAY;
    let taken = 0;
    while (clock.time < end) {
      usage.record('r', { totalBytes: 1000, freeBytes: 500 }, true);
      taken++;
      clock.time += end - clock.time > 8 * DAY ? 6 * HOUR : 30 * 60_000;
    }
    const kept = usage.samples('r', 400);
    assert.ok(taken > 2000);
    assert.ok(kept.length <= 7 * 24 + 401, `${kept.length} samples kept`);
    assert.ok(kept.length >= 7 * 24 + 390, `${kept.length} samples kept`);
    const { count, oldest } = catalog.db.prepare('SELECT COUNT(*) AS count, MIN(at) AS oldest FROM repository_usage').get() as { count: number; oldest: string };
    assert.ok(count <= kept.length + 1, 'nothing beyond 400 days is kept');
    assert.ok(Date.parse(oldest) >= clock.time - 400 * DAY - HOUR, oldest);
    const hours = kept.filter((sample) => Date.parse(sample.at) > clock.time - 6 * DAY).map((sample) => sample.at.slice(0, 13));
    assert.equal(new Set(hours).size, hours.length, 'one sample an hour in the last week');
    assert.ok(hours.length >= 6 * 24 - 1);
    for (const sample of kept.slice(-6 * 24)) assert.equal(sample.at.slice(14, 16), '40', `the newest of its hour: ${sample.at}`);
    for (const sample of kept.filter((s) => Date.parse(s.at) < clock.time - 9 * DAY)) assert.equal(sample.at.slice(11, 16), '18:10', `the newest of its day: ${sample.at}`);
    assert.equal(usage.samples('r', 30).length, kept.filter((sample) => Date.parse(sample.at) >= clock.time - 30 * DAY).length);
  });
});
