process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { fieldsOf, startEngine } from './engine-harness.ts';

const folderJob = (repositoryId: string, extra: object) => ({
  kind: 'folder-backup' as const,
  name: 'Office',
  repositoryId,
  // A folder that exists: the engine refuses one that does not.
  workloads: [{ name: 'docs', folders: [tmpdir()] }],
  ...extra,
});
const copyJob = (repositoryId: string, extra: object) => ({
  kind: 'backup-copy' as const,
  name: 'Offsite',
  repositoryId,
  sources: [{ kind: 'workload' as const, workload: 'docs' }],
  ...extra,
});
const NEVER = [0, 0, 0, 0, 0, 0, 0];
const NIGHTS = Array.from({ length: 7 }, () => 0xffffff & ~0b11111111111111000000);

describe('schedules at the contract', () => {
  it('refuses schedules and retries that make no sense, with the message at the field', async (t) => {
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const create = (definition: object) => fieldsOf(client.call('jobs.create', { definition } as never));
    const periodic = { mode: 'periodic', every: 1, unit: 'hours', startAt: '2026-12-07T00:00:00Z' };

    assert.match((await create(folderJob(repo!.id, { schedule: { ...periodic, every: 0 } })))['definition.schedule.every']!, /every 1 or more/);
    assert.match((await create(folderJob(repo!.id, { schedule: { ...periodic, startAt: '2026-02-30T10:00:00Z' } })))['definition.schedule.startAt']!, /date and time/);
    assert.match((await create(folderJob(repo!.id, { schedule: { ...periodic, startAt: 'tomorrow' } })))['definition.schedule.startAt']!, /date and time/);
    const daily = await create(folderJob(repo!.id, { schedule: { mode: 'daily', at: '24:00', weekdays: [] } }));
    assert.match(daily['definition.schedule.at']!, /HH:MM/);
    assert.match(daily['definition.schedule.weekdays']!, /at least one weekday/);
    assert.match((await create(folderJob(repo!.id, { schedule: { mode: 'daily', at: '7:5', weekdays: [1] } })))['definition.schedule.at']!, /HH:MM/);
    assert.match((await create(folderJob(repo!.id, { retries: { count: -1, intervalMinutes: 10 } })))['definition.retries.count']!, /cannot be negative/);
    assert.match((await create(copyJob(repo!.id, { retries: { count: 3, intervalMinutes: 0 } })))['definition.retries.intervalMinutes']!, /at least 1 minute/);
    assert.match((await create(copyJob(repo!.id, { schedule: { ...periodic, every: 0, lookForward: true } })))['definition.schedule.every']!, /every 1 or more/);
    for (const schedule of [periodic, { mode: 'immediate' }]) {
      assert.match((await create(copyJob(repo!.id, { schedule, window: NEVER })))['definition.window']!, /never opens/);
    }
    assert.deepEqual(await client.call('jobs.list', {}), [], 'a refused job was stored');
  });

  it('accepts a daily folder job and a periodic copy job with a window, with the retry and window defaults', async (t) => {
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const folder = await client.call('jobs.create', { definition: folderJob(repo!.id, { schedule: { mode: 'daily', at: '22:30', weekdays: [1, 2, 3, 4, 5] } }) });
    assert.deepEqual(folder.schedule, { mode: 'daily', at: '22:30', weekdays: [1, 2, 3, 4, 5] });
    const stored = (await client.call('jobs.get', { id: folder.id })).definition;
    assert.deepEqual(stored.retries, { count: 3, intervalMinutes: 10 });

    const schedule = { mode: 'periodic' as const, every: 1, unit: 'days' as const, startAt: '2026-12-07T00:00:00+01:00' };
    const copy = await client.call('jobs.create', { definition: copyJob(repo!.id, { schedule, window: NIGHTS }) });
    const copyDefinition = (await client.call('jobs.get', { id: copy.id })).definition;
    assert.ok(copyDefinition.kind === 'backup-copy');
    assert.deepEqual(copyDefinition.schedule, { ...schedule, lookForward: false });
    assert.equal(copyDefinition.terminateOnWindowClose, false);
    assert.deepEqual(copyDefinition.retries, { count: 3, intervalMinutes: 10 });

    // A window that never opens is fine for a job that does not run by itself.
    const manual = await client.call('jobs.create', { definition: copyJob(repo!.id, { name: 'By hand', window: NEVER }) });
    const disabled = await client.call('jobs.create', { definition: copyJob(repo!.id, { name: 'Paused', schedule, window: NEVER, enabled: false }) });
    assert.equal((await client.call('jobs.list', {})).length, 4);
    // …until it is enabled to run by itself.
    const update = (id: string, definition: object) => fieldsOf(client.call('jobs.update', { id, definition } as never));
    assert.match((await update(manual.id, copyJob(repo!.id, { name: 'By hand', schedule, window: NEVER })))['definition.window']!, /never opens/);
    assert.match((await update(disabled.id, copyJob(repo!.id, { name: 'Paused', schedule, window: NEVER })))['definition.window']!, /never opens/);
  });

  it('still loads a job stored with a window that never opens before the rule existed', async (t) => {
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const job = await client.call('jobs.create', { definition: copyJob(repo!.id, { window: NEVER }) });
    engine.catalog.db
      .prepare("UPDATE jobs SET definition = json_set(definition, '$.schedule', json('{\"mode\":\"immediate\"}')) WHERE id = ?")
      .run(job.id);
    const [listed] = await client.call('jobs.list', {});
    assert.deepEqual(listed!.schedule, { mode: 'immediate' });
  });
});

describe('schedules.preview', () => {
  it('returns the next runs of a schedule in the engine\'s time zone, each with when its window lets it transfer', async (t) => {
    const { client } = await startEngine(t);
    const preview = await client.call('schedules.preview', {
      schedule: { mode: 'periodic', every: 6, unit: 'hours', startAt: '2026-12-07T00:00:00Z' },
      after: '2026-12-07T05:00:00Z',
      count: 3,
      window: NIGHTS,
    });
    assert.equal(preview.timeZone, 'Europe/Berlin');
    assert.deepEqual(
      preview.runs.map((run) => run.at),
      ['2026-12-07T06:00:00.000Z', '2026-12-07T12:00:00.000Z', '2026-12-07T18:00:00.000Z'],
    );
    for (const run of preview.runs) {
      const at = new Date(run.at);
      const expected = at.getHours() >= 20 || at.getHours() < 6 ? at : new Date(at.getFullYear(), at.getMonth(), at.getDate(), 20);
      assert.equal(run.transfersFrom, expected.toISOString());
    }

    const daily = await client.call('schedules.preview', { schedule: { mode: 'daily', at: '22:00', weekdays: [6] } });
    assert.equal(daily.runs.length, 10, 'ten runs by default');
    assert.ok(daily.runs.every((run) => new Date(run.at).getDay() === 6 && new Date(run.at).getHours() === 22 && run.transfersFrom === run.at));
    assert.ok(new Date(daily.runs[0]!.at).getTime() > Date.now());

    assert.deepEqual((await client.call('schedules.preview', { schedule: { mode: 'immediate' } })).runs, []);
    const never = await client.call('schedules.preview', { schedule: { mode: 'daily', at: '22:00', weekdays: [1] }, window: NEVER, count: 1 });
    assert.equal(never.runs[0]!.transfersFrom, null);
  });

  it('refuses a schedule that makes no sense, or too many runs, at the field', async (t) => {
    const { client } = await startEngine(t);
    const preview = (input: object) => fieldsOf(client.call('schedules.preview', input as never));
    assert.match((await preview({ schedule: { mode: 'daily', at: '25:00', weekdays: [1] } }))['schedule.at']!, /HH:MM/);
    assert.match((await preview({ schedule: { mode: 'periodic', every: 0, unit: 'days', startAt: '2026-12-07T00:00:00Z' } }))['schedule.every']!, /every 1 or more/);
    assert.match((await preview({ schedule: { mode: 'manual' }, count: 1000 }))['count']!, /at most 100/);
    assert.ok((await preview({ schedule: { mode: 'manual' }, after: 'soon' }))['after']);
  });
});
