process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { fieldsOf, startEngine } from './engine-harness.ts';

const GFS = { weekly: 4, monthly: 12, yearly: 3 };

describe('retention.preview', () => {
  it('decides on given points now and simulates the schedule in the engine\'s time zone', async (t) => {
    const { client } = await startEngine(t);
    const points = [
      { id: 'sunday', created: '2026-03-01T21:00:00Z', completed: '2026-03-01T21:00:00Z', gfs: { weekly: true, monthly: true, yearly: false } },
      { id: 'monday', created: '2026-03-02T21:00:00Z', completed: '2026-03-02T21:00:00Z' },
      { id: 'tuesday', created: '2026-03-03T21:00:00Z', completed: '2026-03-03T21:00:00Z' },
    ];
    const preview = await client.call('retention.preview', {
      retention: { keepPoints: 1, gfs: GFS },
      points,
      schedule: { mode: 'daily', at: '22:00', weekdays: [1, 2, 3, 4, 5] },
      months: 2,
      now: '2026-03-04T08:00:00Z',
    });
    assert.equal(preview.timeZone, 'Europe/Berlin');
    assert.equal(preview.until, '2026-05-04T07:00:00.000Z', 'two months later at the same local time, in summer time');
    assert.deepEqual(preview.current, [
      { id: 'sunday', keep: true, reasons: ['weekly point of the week of 2026-03-01, kept for 4 weeks', 'monthly point of 2026-03, kept for 12 months'] },
      { id: 'monday', keep: false, reasons: ['older than the newest 1 and no GFS flag keeps it'] },
      { id: 'tuesday', keep: true, reasons: ['the newest point'] },
    ]);
    // Weekdays at 22:00 local (21:00 UTC in winter, 20:00 UTC from March 29).
    const simulated = preview.timeline.filter((entry) => entry.id === null);
    assert.equal(simulated[0]!.completed, '2026-03-04T21:00:00.000Z');
    assert.equal(simulated.at(-1)!.completed, '2026-05-01T20:00:00.000Z');
    assert.ok(simulated.every((entry) => [1, 2, 3, 4, 5].includes(new Date(entry.completed).getDay()) && new Date(entry.completed).getHours() === 22));
    // No run on Sundays: Monday's is the week's weekly point; April's first Sunday is the 5th, so its monthly point is Monday the 6th.
    assert.deepEqual(
      simulated.filter((entry) => entry.gfs.monthly).map((entry) => entry.completed),
      ['2026-04-06T20:00:00.000Z'],
    );
    assert.ok(simulated.filter((entry) => entry.gfs.weekly).every((entry) => new Date(entry.completed).getDay() === 1));
    assert.equal(preview.timeline.find((entry) => entry.id === 'tuesday')!.removedAt, '2026-03-04T21:00:00.000Z');
    assert.equal(preview.timeline.find((entry) => entry.id === 'sunday')!.removedAt, null);

    // Times with an offset or without milliseconds order by the moment they name.
    const offsets = await client.call('retention.preview', {
      retention: { keepPoints: 1 },
      points: [
        { id: 'later', created: '2026-03-01T23:00:00Z', completed: '2026-03-01T23:00:00Z' },
        { id: 'earlier', created: '2026-03-02T00:30:00+02:00', completed: '2026-03-02T00:30:00+02:00' },
        { id: 'earliest', created: '2026-03-01T22:00:00.000Z', completed: '2026-03-01T22:00:00.000Z' },
      ],
      months: 1,
      now: '2026-03-04T08:00:00Z',
    });
    assert.deepEqual(offsets.current.map((decision) => [decision.id, decision.keep]), [['later', true], ['earlier', false], ['earliest', false]]);
  });

  it('reads one workload\'s points from a backup, as points.list lists them', async (t) => {
    const root = await tempDir(t);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'a.txt'), 'a');
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Office', repositoryId: repo!.id, workloads: [{ name: 'docs', folders: [docs] }] },
    });
    for (let run = 0; run < 2; run++) {
      const { sessionId } = await client.call('jobs.start', { id: job.id });
      await engine.jobs.settled(job.id);
      assert.equal((await client.call('sessions.get', { id: sessionId })).result, 'success');
    }
    const [backup] = await client.call('backups.list', { repositoryId: repo!.id });
    const listed = await client.call('points.list', { repositoryId: repo!.id, folder: backup!.folder, workload: 'docs' });
    const preview = await client.call('retention.preview', { retention: { keepPoints: 1 }, backup: { repositoryId: repo!.id, folder: backup!.folder, workload: 'docs' }, months: 1 });
    assert.deepEqual(preview.current, [
      { id: listed.points[0]!.id, keep: false, reasons: ['older than the newest 1 and no GFS flag keeps it'] },
      { id: listed.points[1]!.id, keep: true, reasons: ['the newest point'] },
    ]);
    assert.deepEqual(preview.notes, []);
    assert.ok(preview.timeline.length >= 28, 'a month of daily points by default');

    const missing = await client.call('retention.preview', { retention: { keepPoints: 1 }, backup: { repositoryId: repo!.id, folder: backup!.folder, workload: 'other' } });
    assert.deepEqual(missing.current, []);
    await assert.rejects(
      client.call('retention.preview', { retention: { keepPoints: 1 }, backup: { repositoryId: repo!.id, folder: 'Nothing-here', workload: 'docs' } }),
      (error: unknown) => error instanceof FerryError && error.code === 'not_found',
    );
  });

  it('refuses retention settings that make no sense, and a preview it cannot make, at the field', async (t) => {
    const { client } = await startEngine(t);
    const preview = (input: object) => fieldsOf(client.call('retention.preview', input as never));
    assert.match((await preview({ retention: { keepPoints: 0 } }))['retention.keepPoints']!, /Keep at least 1 restore point/);
    assert.match((await preview({ retention: { keepPoints: 7, gfs: { weekly: -1 } } }))['retention.gfs.weekly']!, /Enter 0 to keep no weekly points/);
    assert.match((await preview({ retention: { keepPoints: 7, gfs: { yearly: 2.5 } } }))['retention.gfs.yearly']!, /whole number/);
    assert.match((await preview({ retention: { keepPoints: 7 }, months: 0 }))['months']!, /at least 1 month/);
    assert.match((await preview({ retention: { keepPoints: 7 }, months: 37 }))['months']!, /at most 36 months/);
    assert.match((await preview({ retention: { keepPoints: 7 }, schedule: { mode: 'daily', at: '25:00', weekdays: [1] } }))['schedule.at']!, /HH:MM/);
    const point = { id: 'p', created: '2026-03-01T21:00:00Z', completed: '2026-03-01T21:00:00Z' };
    assert.match((await preview({ retention: { keepPoints: 7 }, points: [point, point] }))['points.1.id']!, /Point p is given twice/);
    assert.match((await preview({ retention: { keepPoints: 7 }, points: [{ ...point, completed: 'yesterday' }] }))['points.0.completed']!, /date and time/);
    assert.match((await preview({ retention: { keepPoints: 7 }, points: [], backup: { repositoryId: 'r', folder: 'f', workload: 'w' } }))['backup']!, /not both/);
  });
});
