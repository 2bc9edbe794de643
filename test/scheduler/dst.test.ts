process.env.TZ = 'Europe/Berlin';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataFolder, DAY, folderJob, HOUR, scheduledEngine } from './harness.ts';

/** Local wall-clock time of a run, as the admin reads it. */
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getMonth() + 1}-${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('the scheduler across DST (Europe/Berlin, virtual clock)', () => {
  for (const [name, first] of [
    ['spring forward (02:30 does not exist on 29 March)', new Date(2026, 2, 27, 12, 0)],
    ['fall back (02:30 happens twice on 25 October)', new Date(2026, 9, 23, 12, 0)],
  ] as const) {
    it(`${name}: a daily 02:30 job runs once every day, an hourly one once per elapsed hour`, async (t) => {
      const { client, advance, launches, root, repositoryId } = await scheduledEngine(t, first);
      const docs = await dataFolder(root, 'docs');
      const daily = await client.call('jobs.create', {
        definition: folderJob('Nightly', repositoryId, { docs }, { schedule: { mode: 'daily', at: '02:30', weekdays: [0, 1, 2, 3, 4, 5, 6] } }),
      });
      const hourly = await client.call('jobs.create', {
        definition: folderJob('Hourly', repositoryId, { docs }, { schedule: { mode: 'periodic', every: 1, unit: 'hours', startAt: new Date(first.getTime() + HOUR / 2).toISOString() } }),
      });
      await advance(4 * DAY);
      const nightly = launches.filter((l) => l.jobId === daily.id).map((l) => local(l.at));
      const day = first.getDate();
      const month = first.getMonth() + 1;
      const expected = [1, 2, 3, 4].map((n) => `${month}-${day + n} ${day + n === 29 && month === 3 ? '03:00' : '02:30'}`);
      assert.deepEqual(nightly, expected, 'once a day; the skipped 02:30 runs at 03:00, the repeated one once');
      const hours = launches.filter((l) => l.jobId === hourly.id);
      assert.equal(hours.length, 4 * 24, 'one run per elapsed hour, none doubled or dropped by the change');
      assert.ok(hours.every((l, i) => i === 0 || l.at - hours[i - 1]!.at === HOUR));
    });
  }
});
