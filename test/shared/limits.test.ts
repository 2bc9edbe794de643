import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachBounded } from '../../app/storage/bounded.ts';
import { S3Store } from '../../app/storage/s3-store.ts';
import { backupCopyJob, RATE_LIMIT, trafficRule } from '../../shared/domain/job.ts';
import { s3Location } from '../../shared/domain/repository.ts';
import { eachInTurn, Limiter } from '../../shared/util/limiter.ts';

const GiB = 1024 ** 3;
const OUT_OF_RANGE = [0, 1, RATE_LIMIT.min - 1, RATE_LIMIT.max + 1, 1e30, RATE_LIMIT.min + 0.5, Number.NaN, Number.POSITIVE_INFINITY, -RATE_LIMIT.min];

describe('numeric inputs are bounded where they enter', () => {
  it('a bandwidth limit, a job\'s or a traffic rule\'s, is from 64 KiB/s to 100 GiB/s, with the field named', () => {
    const job = (throttleBytesPerSecond: number | null) =>
      backupCopyJob.safeParse({ kind: 'backup-copy', name: 'Offsite', repositoryId: 'r', sources: [{ kind: 'repository', repositoryId: 's' }], dataPath: { parallelWorkloads: 2, throttleBytesPerSecond } });
    const rule = (bytesPerSecond: number) => trafficRule.safeParse({ id: 'x', fromRepositoryId: null, toRepositoryId: null, bytesPerSecond });
    for (const ok of [RATE_LIMIT.min, 20 * 1024 ** 2, 100 * GiB]) {
      assert.ok(job(ok).success, String(ok));
      assert.ok(rule(ok).success, String(ok));
    }
    assert.ok(job(null).success, 'no limit');
    for (const bad of OUT_OF_RANGE) {
      const parsed = job(bad);
      assert.equal(parsed.success, false, String(bad));
      assert.deepEqual(parsed.error?.issues[0]?.path, ['dataPath', 'throttleBytesPerSecond'], String(bad));
      assert.equal(rule(bad).success, false, String(bad));
    }
    assert.match(job(1).error?.issues[0]?.message ?? '', /at least 64 KiB\/s/);
    assert.match(job(RATE_LIMIT.max + 1).error?.issues[0]?.message ?? '', /at most 100 GiB\/s/);
  });

  it('an S3 repository\'s retry time is whole seconds from 0 to 3600', () => {
    const location = (retrySeconds: number) => s3Location.safeParse({ kind: 's3', bucket: 'bucket', accessKeyId: 'k', retrySeconds });
    assert.ok(location(0).success);
    assert.ok(location(3600).success);
    for (const bad of [-1, 3601, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(location(bad).success, false, String(bad));
  });

  it('an S3 store refuses tunings that would break its timers or uploads', () => {
    const config = { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', prefix: '', forcePathStyle: true, accessKeyId: 'k', secretAccessKey: 's' };
    for (const tuning of [
      { partSize: 6 * GiB },
      { partSize: Number.NaN },
      { retryForMs: -1 },
      { retryForMs: Number.NaN },
      { retryForMs: 3601_000 },
      { maxAttempts: 0 },
      { maxAttempts: 1.5 },
      { requestTimeoutMs: 0 },
      { requestTimeoutMs: 2 ** 31 },
      { requestTimeoutMs: Number.NaN },
    ]) {
      assert.throws(() => new S3Store(config, tuning), RangeError, JSON.stringify(tuning));
    }
  });

  it('a count of places of 0 or NaN is refused: it would wait forever, or skip every task and report success', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new Limiter(bad), RangeError, String(bad));
      await assert.rejects(eachInTurn([1], bad, async () => undefined), RangeError, String(bad));
      await assert.rejects(forEachBounded([1], bad, async () => undefined), RangeError, String(bad));
    }
  });
});
