import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { compactBackup } from '../../app/maintenance/compact.ts';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import type { ObjectStore } from '../../app/storage/object-store.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { storedPacks } from '../../app/verify/pack-headers.ts';
import { verifyBackup } from '../../app/verify/verify.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { startS3Server } from '../storage/s3-server.ts';
import { assertKeptIntact, FaultyStore, folderStore, forget, InjectedFault, pointsBackup, type PointsBackup, reopen, SMALL_PACKS, storedAndNeeded } from './fixtures.ts';

/** Threshold 0: every pack with anything unneeded is repacked, so a compaction takes every kind of step. */
const EVERY_STEP = { packTarget: SMALL_PACKS, repackThreshold: 0 };

/** Five points, the oldest three forgotten: what a compaction starts from. */
async function forgottenHalf(t: TestContext, store: ObjectStore, password: string | undefined): Promise<PointsBackup> {
  const made = await pointsBackup(t, store, { ...(password ? { password } : {}), count: 5 });
  await forget(made.backup, made.points.slice(0, 3));
  return { ...made, points: made.points.slice(3) };
}

/** The next compaction finishes: afterwards every point is intact and only what they need is stored. */
async function assertNextCompactionFinishes(t: TestContext, store: ObjectStore, fixture: PointsBackup): Promise<void> {
  const backup = await reopen(store, fixture.password);
  await compactBackup({ backup, ...EVERY_STEP });
  // Verified (every blob read and checked); restored after each failure, not again here: restores cost ~0.15 s each.
  const after = await assertKeptIntact(t, store, fixture.password, fixture.points, fixture.digests, { restore: false });
  const { stored, needed, uselessPacks } = await storedAndNeeded(after, fixture.points);
  assert.deepEqual(uselessPacks, []);
  assert.ok(stored <= 1.05 * needed, `stored ${stored} ≤ 1.05 × needed ${needed}`);
  const again = await compactBackup({ backup: after, ...EVERY_STEP });
  assert.equal(again.packsDeleted + again.packsRepacked + again.unindexedPacksRemoved + again.indexFilesWritten, 0, 'nothing was left to do');
}

/**
 * Runs the compaction failing at its 1st, 2nd, … write or delete (each on a fresh copy of
 * `fixture`), until one needs fewer: after each failure every kept point verifies and
 * restores, and the next compaction finishes. The number of steps failed at.
 */
async function failAtEveryStep(t: TestContext, fixture: PointsBackup, fresh: () => Promise<ObjectStore>, when: 'before' | 'after'): Promise<number> {
  for (let failAt = 1; ; failAt++) {
    const store = await fresh();
    const faulty = new FaultyStore(store, { failAt, when });
    const backup = await reopen(faulty, fixture.password);
    const outcome = await compactBackup({ backup, ...EVERY_STEP }).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (faulty.ops < failAt) {
      assert.equal(outcome, undefined);
      return failAt - 1;
    }
    // The injected failure, or what compaction made of it (naming what it stopped at).
    if (!(outcome instanceof InjectedFault)) {
      assert.ok(outcome instanceof FerryError && /stopped/.test(outcome.message), `step ${failAt}: ${String(outcome)}`);
    }
    await assertKeptIntact(t, store, fixture.password, fixture.points, fixture.digests);
    // The same BackupStore, as a job's next step (the health check) goes on with it: it reads what is stored, not its old index.
    const verified = await verifyBackup({ backup });
    assert.deepEqual([verified.damage, verified.damagedFiles], [[], []], `step ${failAt}`);
    await assertNextCompactionFinishes(t, store, fixture);
  }
}

describe('compaction: a failure after any step loses nothing', () => {
  for (const [password, when] of [[undefined, 'before'], ['faults', 'after']] as const) {
    it(`on a folder: each write and delete failing in turn, ${when} it is done (${password ? 'encrypted' : 'plain'})`, async (t) => {
      const template = await folderStore(t);
      const fixture = await forgottenHalf(t, template, password);
      const fresh = async () => {
        const copy = path.join(await tempDir(t), 'repo');
        await cp(template.location, copy, { recursive: true });
        return new LocalFolderStore(copy);
      };
      // Packs, index files, removals: a compaction of this backup takes over ten steps.
      const steps = await failAtEveryStep(t, fixture, fresh, when);
      assert.ok(steps >= 10, `${steps} steps`);
    });
  }

  it('on S3 (s3rver): each write and delete failing in turn', async (t) => {
    const server = await startS3Server(t);
    const template = new S3Store(server.config());
    const fixture = await forgottenHalf(t, template, 'faults on s3');
    const fresh = async () => {
      const copy = new S3Store(server.config());
      for await (const object of template.list('')) await copy.put(object.key, await template.get(object.key));
      return copy;
    };
    assert.ok((await failAtEveryStep(t, fixture, fresh, 'before')) >= 10);
  });

  it('on S3 (s3rver): a DELETE refused stops the compaction before any pack goes; the next one finishes', async (t) => {
    const server = await startS3Server(t);
    const store = new S3Store(server.config());
    const fixture = await forgottenHalf(t, store, undefined);
    const packsBefore = await storedPacks(fixture.backup);

    const refusingIndex = new FaultyStore(store, { failDeletes: /\/index\// });
    await assert.rejects(compactBackup({ backup: await reopen(refusingIndex, undefined), ...EVERY_STEP }), (error: FerryError) => {
      assert.match(error.message, /stopped: the old index file Files\/index\/[0-9a-f]{64} could not be removed .*DELETE .* refused.*No pack was deleted/);
      return true;
    });
    const after = await storedPacks(await reopen(store, undefined));
    for (const pack of packsBefore.keys()) assert.ok(after.has(pack), `pack ${pack} is still there`);
    await assertKeptIntact(t, store, undefined, fixture.points, fixture.digests);

    const refusingPacks = new FaultyStore(store, { failDeletes: /\/packs\// });
    await assert.rejects(compactBackup({ backup: await reopen(refusingPacks, undefined), ...EVERY_STEP }), /stopped: the pack Files\/packs\/.* could not be deleted .*the next compaction deletes it/);
    await assertKeptIntact(t, store, undefined, fixture.points, fixture.digests);
    await assertNextCompactionFinishes(t, store, fixture);
  });
});
