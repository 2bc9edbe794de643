process.env.TZ = 'Europe/Berlin';

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { restorePoint } from '../../app/restore/restore.ts';
import { Repository } from '../../app/repository/repository.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { applyRetention } from '../../shared/retention/apply.ts';
import { gfsFlagsFor, type RetainedPoint } from '../../shared/retention/gfs.ts';
import type { RetentionSpec } from '../../shared/domain/job.ts';
import { packOverhead } from '../../app/format/pack.ts';
import { assertVerifies } from '../copy/fixtures.ts';
import { tempDir } from '../helpers.ts';
import { neededBlobs } from './fixtures.ts';
import { DAY, HOUR, scheduledEngine } from '../scheduler/harness.ts';

const TIME_ZONE = 'Europe/Berlin';
const RETENTION: RetentionSpec = { keepPoints: 7, gfs: { weekly: 4, monthly: 12, yearly: 3, weekday: 0, monthlyWeek: 'first', yearlyMonth: 0 } };
/** Each day's file: new content every day, so every expired point leaves data to reclaim. */
const DAY_BYTES = 40 * 1024;
/** After compaction every pack is at least this share needed (the repack threshold is 25 %). */
const REPACK_THRESHOLD = 0.25;

function dayContent(day: number): Buffer {
  const parts: Buffer[] = [];
  for (let block = 0; parts.length * 32 < DAY_BYTES; block++) parts.push(createHash('sha256').update(`day ${day} block ${block}`).digest());
  return Buffer.concat(parts).subarray(0, DAY_BYTES);
}

/** The day (from `start`) a point of this test was backed up on: its creation is that day's 01:00 local. */
const dayOf = (created: string, start: Date) => Math.floor((Date.parse(created) - start.getTime()) / DAY);

async function filesUnder(folder: string): Promise<{ name: string; size: number }[]> {
  const out: { name: string; size: number }[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.push({ name: entry.name, size: (await stat(full)).size });
  }
  return out;
}

describe('retention and compaction over a year (virtual clock)', () => {
  it('a daily copy job with GFS (4 weekly, 12 monthly, 3 yearly) and keep 7: every day the kept points and their flags are what the retention functions predict; packs hold only what kept points need; every kept point verifies and restores', { timeout: 600_000 }, async (t) => {
    const start = new Date('2026-01-01T00:00:00+01:00');
    const harness = await scheduledEngine(t, start);
    const { client, advance, root, repositoryId } = harness;
    const offsitePath = path.join(root, 'offsite');
    const offsite = (await client.call('repos.add', { name: 'offsite', location: { kind: 'local', path: offsitePath } })).id;
    const source = path.join(root, 'sources', 'docs');
    await mkdir(source, { recursive: true });
    await writeFile(path.join(source, 'base.bin'), createHash('sha256').update('base').digest().toString('hex').repeat(2000));
    await writeFile(path.join(source, 'day.bin'), dayContent(0));
    const files = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Files',
        repositoryId,
        workloads: [{ name: 'docs', folders: [source] }],
        retention: { keepPoints: 2 },
        schedule: { mode: 'daily', at: '01:00', weekdays: [0, 1, 2, 3, 4, 5, 6] },
      },
    });
    const copy = await client.call('jobs.create', {
      definition: {
        kind: 'backup-copy',
        name: 'Offsite',
        repositoryId: offsite,
        sources: [{ kind: 'job', jobId: files.id }],
        retention: RETENTION,
        schedule: { mode: 'periodic', every: 1, unit: 'days', startAt: new Date(start.getTime() + 2 * HOUR).toISOString() },
      },
    });

    /** What the retention functions predict the target holds: every point copied, flagged on arrival, then kept or not. */
    let predicted: RetainedPoint[] = [];
    const seen = new Set<string>();
    let folder: string | undefined;
    let compared = 0;
    let storedRatio = 0;
    for (let day = 0; day < 365; day++) {
      // The day's data is in place before the 01:00 backup; the copy runs at 02:00; checked at 03:00.
      await writeFile(path.join(source, 'day.bin'), dayContent(day));
      await advance(day === 0 ? 3 * HOUR : DAY);
      folder ??= (await client.call('backups.list', { repositoryId: offsite }))[0]?.folder;
      assert.ok(folder, 'the copy job made its backup');
      const listed = await client.call('points.list', { repositoryId: offsite, folder, workload: 'docs' });
      assert.deepEqual(listed.damaged, []);
      for (const point of listed.points) {
        if (seen.has(point.id)) continue;
        seen.add(point.id);
        assert.equal(dayOf(point.created, start), day, `day ${day}: the point copied is the day's backup`);
        const flags = gfsFlagsFor(point.completed, predicted, RETENTION.gfs, TIME_ZONE);
        assert.deepEqual(point.gfs, flags, `day ${day}: point ${point.id} carries the flags the functions give`);
        predicted.push({ id: point.id, created: point.created, completed: point.completed, gfs: flags });
        const decisions = applyRetention(predicted, RETENTION, point.completed, TIME_ZONE);
        predicted = predicted.filter((_, i) => decisions[i]!.keep);
      }
      assert.equal(seen.size, day + 1, `day ${day}: one new point a day`);
      assert.deepEqual(
        listed.points.map((p) => p.id).sort(),
        predicted.map((p) => p.id).sort(),
        `day ${day}: the target keeps exactly the points retention predicts`,
      );
      compared++;

      // After the transform phase's compaction, no pack is mostly garbage.
      const repository = await Repository.open(new LocalFolderStore(offsitePath));
      const backup = await repository.openBackup(folder);
      const manifests = (await backup.listPoints()).points;
      assert.equal(manifests.length, listed.points.length);
      const needed = await neededBlobs(backup, manifests);
      const packs = await filesUnder(path.join(offsitePath, folder, 'packs'));
      const neededPerPack = new Map<string, number>();
      let neededBytes = 0;
      for (const id of needed) {
        const entry = backup.entry(id);
        assert.ok(entry, `day ${day}: blob ${id} a kept point needs is indexed`);
        neededPerPack.set(entry.pack, (neededPerPack.get(entry.pack) ?? 0) + entry.length);
        neededBytes += entry.length;
      }
      const blobsPerPack = new Map<string, number>();
      for (const [, entry] of backup.indexEntries()) blobsPerPack.set(entry.pack, (blobsPerPack.get(entry.pack) ?? 0) + 1);
      let stored = 0;
      let overhead = 0;
      for (const pack of packs) {
        // A pack's header describes each of its blobs: that is its own cost, not garbage.
        const header = packOverhead(blobsPerPack.get(pack.name) ?? 0, backup.encrypted);
        const share = (neededPerPack.get(pack.name) ?? 0) / (pack.size - header);
        assert.ok(share >= 1 - REPACK_THRESHOLD, `day ${day}: pack ${pack.name} is ${(share * 100).toFixed(0)} % needed (compaction repacks below 75 %)`);
        stored += pack.size;
        overhead += header;
      }
      assert.ok(stored - overhead <= neededBytes / (1 - REPACK_THRESHOLD), `day ${day}: ${stored} bytes stored for ${neededBytes} needed`);
      storedRatio = Math.max(storedRatio, (stored - overhead) / neededBytes);

      if (day % 30 === 29 || day === 364) {
        await assertVerifies(backup, listed.points.length);
        for (const point of day === 364 ? listed.points : listed.points.slice(-2)) {
          const into = await tempDir(t, 'ferry-year-');
          const manifest = await backup.readPoint(point.id);
          const result = await restorePoint({ backup, point: manifest, target: into });
          assert.deepEqual(result.problems, []);
          const restored = path.join(into, manifest.source.roots[0]!.name);
          assert.deepEqual(await readFile(path.join(restored, 'day.bin')), dayContent(dayOf(point.created, start)), `point of day ${dayOf(point.created, start)} restores its day's data`);
        }
      }
    }
    assert.equal(compared, 365);
    const sessions = await client.call('sessions.list', { jobId: copy.id, limit: 1000 });
    assert.equal(sessions.length, 365, 'one copy session a day');
    assert.deepEqual(sessions.filter((session) => session.result !== 'success').map((session) => session.startedAt), [], 'every run, its retention, compaction and health checks succeeded');
    t.diagnostic(`largest ratio of stored (headers aside) to needed bytes after a compaction: ${storedRatio.toFixed(3)}`);
    const kept = predicted.length;
    const flagged = predicted.filter((p) => p.gfs.weekly || p.gfs.monthly || p.gfs.yearly);
    // Keep 7, 4 weekly, 12 monthly (1 yearly among them): at most 7 + 4 + 12 + 3 points, and GFS kept points older than the newest 7.
    assert.ok(kept <= 7 + 4 + 12 + 3 && kept > 7, `${kept} points kept after a year`);
    assert.ok(flagged.some((p) => p.gfs.yearly), 'the yearly point of January is kept');
    assert.ok(flagged.filter((p) => p.gfs.monthly).length === 12, 'twelve monthly points');
  });
});
