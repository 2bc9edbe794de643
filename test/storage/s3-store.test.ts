import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3Config, type S3Tuning, S3Store, parseS3Url } from '../../app/storage/s3-store.ts';
import { type Reply, type SeenRequest, s3ErrorXml, startFakeS3 } from './fake-s3.ts';
import { listAll, objectStoreConformance, storeErrorOf } from './conformance.ts';
import { startS3Server } from './s3-server.ts';
import { startTcpProxy } from './tcp-proxy.ts';
import { retryDelay, retryForMsFromEnv } from '../../app/storage/s3-retry.ts';
import { withStoreContext } from '../../app/storage/store-context.ts';
import type { Clock } from '../../app/util/clock.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;
/** Fault tests give up fast. */
const FAST: S3Tuning = { partSize: PART, maxAttempts: 3, requestTimeoutMs: 1000 };

function openStore(t: { after(fn: () => void): void }, config: S3Config, tuning: S3Tuning = { partSize: PART }): S3Store {
  const store = new S3Store(config, tuning);
  t.after(() => store.close());
  return store;
}

objectStoreConformance(
  'S3Store (s3rver)',
  async (t) => openStore(t, (await startS3Server(t)).config()),
  // One part exactly, one byte over (multipart), several parts in flight.
  { largeSizes: [PART, PART + 1, 3 * PART + 7] },
);

const fakeConfig = (endpoint: string): S3Config => ({
  endpoint,
  region: 'us-east-1',
  bucket: 'fake-bucket',
  prefix: 'p',
  forcePathStyle: true,
  accessKeyId: 'AKIDFAKE',
  secretAccessKey: 'secret',
});

describe('S3Store: faults', () => {
  it('when the server goes away every call is unavailable, naming the endpoint; after a restart the same store works', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, server.config(), FAST);
    await store.put('kept', Buffer.from('before the outage'));
    await server.stop();

    const calls = [
      () => store.put('small', Buffer.from('x')),
      () => store.put('large', Buffer.alloc(PART + 1)),
      () => store.get('kept'),
      () => store.getRange('kept', 0, 3),
      () => store.stat('kept'),
      () => listAll(store, ''),
      () => store.delete('kept'),
    ];
    for (const call of calls) {
      const error = await storeErrorOf(call);
      assert.equal(error.kind, 'unavailable', error.message);
      assert.ok(
        new RegExp(`^Cannot reach the S3 endpoint ${server.endpoint} \\(bucket ${server.bucket}\\) after 3 attempts( over \\d+ s)?: `).test(error.message),
        error.message,
      );
    }

    await server.restart();
    assert.equal((await store.get('kept')).toString(), 'before the outage');
    await store.put('small', Buffer.from('after'));
    assert.equal((await store.get('small')).toString(), 'after');
  });

  it('a server stopped in the middle of a multipart upload: put fails as unavailable and no partial object appears', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, server.config(), FAST);
    const stopping = new Promise<void>((resolve) => setTimeout(resolve, 150)).then(() => server.stop());
    const error = await storeErrorOf(store.put('packs/big', Buffer.alloc(12 * PART, 7)));
    await stopping;
    assert.equal(error.kind, 'unavailable', error.message);
    assert.match(error.message, /after 3 attempts/);
    await server.restart();
    assert.equal(await store.stat('packs/big'), undefined);
    assert.deepEqual(await listAll(store, ''), []);
  });

  it('a server that accepts connections but never answers times out, is retried, then is unavailable', async (t) => {
    const fake = await startFakeS3(t, () => 'hang');
    const store = openStore(t, fakeConfig(fake.endpoint), { maxAttempts: 2, requestTimeoutMs: 300 });
    const started = Date.now();
    const error = await storeErrorOf(store.put('k', Buffer.from('x')));
    assert.equal(error.kind, 'unavailable', error.message);
    assert.match(error.message, new RegExp(`^Cannot reach the S3 endpoint ${fake.endpoint} \\(bucket fake-bucket\\) after 2 attempts( over \\d+ s)?: .*timed out`));
    assert.equal(fake.seen.length, 2);
    assert.ok(Date.now() - started < 5000);
  });

  it('throttling (503 SlowDown) and server errors are retried with back-off until they pass', async (t) => {
    let failures = 0;
    const fake = await startFakeS3(t, (): Reply => {
      failures++;
      if (failures === 1) return { status: 503, body: s3ErrorXml('SlowDown', 'Please reduce your request rate.') };
      if (failures === 2) return { status: 500, body: s3ErrorXml('InternalError') };
      return { status: 200, headers: { etag: '"abc"' } };
    });
    const store = openStore(t, fakeConfig(fake.endpoint), { maxAttempts: 3 });
    await store.put('k', Buffer.from('x'));
    assert.deepEqual(
      fake.seen.map((r) => `${r.method} ${r.path}`),
      ['PUT /fake-bucket/p/k', 'PUT /fake-bucket/p/k', 'PUT /fake-bucket/p/k'],
    );
  });

  it('a connection lost while the body streams is read again', async (t) => {
    const content = 'x'.repeat(64 * 1024);
    let gets = 0;
    const fake = await startFakeS3(t, (): Reply => ({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: content, ...(++gets === 1 ? { cut: 1000 } : {}) }));
    const store = openStore(t, fakeConfig(fake.endpoint), FAST);
    assert.equal((await store.get('k')).toString(), content);
    assert.equal(gets, 2);
  });

  it('throttling that does not pass is unavailable after the attempts, with the reason', async (t) => {
    const fake = await startFakeS3(t, (): Reply => ({ status: 503, body: s3ErrorXml('SlowDown') }));
    const store = openStore(t, fakeConfig(fake.endpoint), { maxAttempts: 2 });
    const error = await storeErrorOf(store.put('k', Buffer.from('x')));
    assert.equal(error.kind, 'unavailable', error.message);
    // How long the attempts took is said only past a second: a loaded machine may get there.
    const message = error.message.replace(/ over \d+ s:/, ':');
    assert.equal(message, `The S3 endpoint ${fake.endpoint} (bucket fake-bucket) kept failing after 2 attempts: SlowDown (HTTP 503). Try again later.`);
    assert.equal(fake.seen.length, 2);
  });
});

/** Virtual time for retry waits: every sleep returns at once, moving the clock by what it waited. */
function virtualClock(): Clock & { sleeps: number[] } {
  let time = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    async sleep(ms) {
      sleeps.push(ms);
      time += ms;
    },
  };
}

describe('S3Store: retrying for a time', () => {
  it('a server failing (503) is retried with growing, capped, jittered waits until the retry time is spent; each retry is logged', async (t) => {
    const fake = await startFakeS3(t, (): Reply => ({ status: 503, body: s3ErrorXml('ServiceUnavailable') }));
    const clock = virtualClock();
    const store = openStore(t, fakeConfig(fake.endpoint), { retryForMs: 120_000, clock });
    const log: string[] = [];
    const error = await withStoreContext({ log: (message) => log.push(message) }, () => storeErrorOf(store.put('k', Buffer.from('x'))));
    assert.equal(error.kind, 'unavailable', error.message);
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    assert.ok(waited <= 120_000 && waited > 100_000, `waited ${waited} ms of a 120 s retry time`);
    assert.equal(fake.seen.length, clock.sleeps.length + 1, 'one request per wait, and the first');
    clock.sleeps.forEach((ms, i) => {
      const ceiling = Math.min(15_000, 200 * 2 ** (i + 1));
      assert.ok(ms >= ceiling / 2 && ms <= ceiling, `wait ${i + 1}: ${ms} ms, ceiling ${ceiling}`);
    });
    assert.equal(Math.max(...clock.sleeps) <= 15_000, true);
    assert.equal(log.length, clock.sleeps.length);
    assert.match(log[0]!, new RegExp(`^S3 PUT s3://fake-bucket/p/k failed \\(ServiceUnavailable, HTTP 503\\); retry 1 in \\d\\.\\d s, for up to 120 s in all\\.$`));
    assert.match(error.message, new RegExp(`kept failing after ${fake.seen.length} attempts over 1\\d\\d s: ServiceUnavailable \\(HTTP 503\\)`));
  });

  it('an outage shorter than the retry time passes: the call succeeds once the server answers again', async (t) => {
    let answered = 0;
    const fake = await startFakeS3(t, (): Reply => (++answered <= 8 ? { status: 500, body: s3ErrorXml('InternalError') } : { status: 200, headers: { etag: '"e"' } }));
    const clock = virtualClock();
    const store = openStore(t, fakeConfig(fake.endpoint), { retryForMs: 120_000, clock });
    await withStoreContext({}, () => store.put('k', Buffer.from('x')));
    assert.equal(fake.seen.length, 9);
  });

  it('outside a run (the console waiting for an answer) a failing request is retried for 5 s at most', async (t) => {
    const fake = await startFakeS3(t, (): Reply => ({ status: 503, body: s3ErrorXml('SlowDown') }));
    const clock = virtualClock();
    const store = openStore(t, fakeConfig(fake.endpoint), { retryForMs: 120_000, clock });
    assert.equal((await storeErrorOf(store.stat('k'))).kind, 'unavailable');
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    assert.ok(waited <= 5000 && clock.sleeps.length >= 2, `waited ${clock.sleeps.join(' + ')} ms`);
  });

  it('refusals are final at once, whatever the retry time: AccessDenied, NoSuchBucket, NoSuchKey, a bad request', async (t) => {
    const cases: [number, string, string][] = [
      [403, 'AccessDenied', 'permission'],
      [404, 'NoSuchBucket', 'unavailable'],
      [404, 'NoSuchKey', 'not_found'],
      [400, 'InvalidArgument', 'io'],
    ];
    for (const [status, code, kind] of cases) {
      const fake = await startFakeS3(t, (): Reply => ({ status, body: s3ErrorXml(code) }));
      const clock = virtualClock();
      const store = openStore(t, fakeConfig(fake.endpoint), { retryForMs: 120_000, clock });
      assert.equal((await storeErrorOf(store.get('k'))).kind, kind, code);
      assert.equal(fake.seen.length, 1, `${code} was not retried`);
      assert.deepEqual(clock.sleeps, []);
    }
  });

  it('a stop ends the wait for the next retry at once: the call is cancelled, not failed after the retry time', async (t) => {
    const fake = await startFakeS3(t, (): Reply => ({ status: 503, body: s3ErrorXml('SlowDown') }));
    const store = openStore(t, fakeConfig(fake.endpoint), { retryForMs: 120_000 });
    const controller = new AbortController();
    const started = Date.now();
    const outcome = withStoreContext({ signal: controller.signal, log: () => controller.abort() }, () => store.put('k', Buffer.from('x')));
    const error = await outcome.then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    assert.equal(error?.code, 'cancelled');
    assert.ok(Date.now() - started < 1000, `stopped after ${Date.now() - started} ms`);
    assert.equal(fake.seen.length, 1);
  });

  it('retry waits grow exponentially to a cap, jittered within the upper half', () => {
    assert.equal(retryDelay(1, () => 0), 200);
    assert.equal(retryDelay(1, () => 0.999999), 400);
    assert.equal(retryDelay(3, () => 0), 800);
    assert.equal(retryDelay(20, () => 0.999999), 15_000);
    assert.equal(retryDelay(5000, () => 0), 7500);
  });

  it('FERRY_S3_RETRY_SECONDS sets the retry time: whole seconds from 0 to 3600, anything else refused by name', () => {
    assert.equal(retryForMsFromEnv({}), undefined);
    assert.equal(retryForMsFromEnv({ FERRY_S3_RETRY_SECONDS: '0' }), 0);
    assert.equal(retryForMsFromEnv({ FERRY_S3_RETRY_SECONDS: '300' }), 300_000);
    for (const bad of ['-1', '3601', '1.5', 'abc', '1e9', 'Infinity', 'NaN', '99999999999999999999']) {
      assert.throws(() => retryForMsFromEnv({ FERRY_S3_RETRY_SECONDS: bad }), /FERRY_S3_RETRY_SECONDS must be a whole number of seconds from 0 to 3600/, bad);
    }
  });

  it('s3rver behind a proxy switched off for 3 s: calls made during the outage succeed once it is back', { timeout: 60_000 }, async (t) => {
    const server = await startS3Server(t);
    const proxy = await startTcpProxy(t, server.endpoint);
    const store = openStore(t, { ...server.config(), endpoint: proxy.endpoint }, { partSize: PART, retryForMs: 20_000, requestTimeoutMs: 2000 });
    await store.put('before', Buffer.from('kept'));
    await proxy.off();
    const back = new Promise((resolve) => setTimeout(resolve, 3000)).then(() => proxy.on());
    const log: string[] = [];
    await withStoreContext({ log: (message) => log.push(message) }, async () => {
      await Promise.all([store.put('during', Buffer.alloc(PART + 1, 5)), store.get('before'), store.stat('before'), listAll(store, '')]);
    });
    await back;
    assert.equal((await store.get('during')).length, PART + 1);
    assert.ok(log.length >= 4, `each call retried and said so: ${log.join('\n')}`);
    assert.ok(log.every((line) => /ECONN(REFUSED|RESET)/.test(line)), log.join('\n'));
  });
});

/** Speaks the multipart part of S3; `failPart` answers that part with a non-retryable error. */
function multipartServer(failPart?: number) {
  let inFlight = 0;
  const stats = { maxInFlight: 0 };
  const answer = async (r: SeenRequest): Promise<Reply> => {
    if (r.method === 'POST' && r.query.has('uploads')) {
      return { status: 200, body: '<InitiateMultipartUploadResult><Bucket>fake-bucket</Bucket><Key>p/k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>' };
    }
    if (r.method === 'PUT' && r.query.has('partNumber')) {
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      // Held until 4 are in flight (and a little longer, for a fifth to show), or 2 s:
      // a fixed short hold let a loaded machine send them one after another.
      const started = Date.now();
      while (stats.maxInFlight < 4 && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight--;
      const part = Number(r.query.get('partNumber'));
      if (part === failPart) return { status: 400, body: s3ErrorXml('InvalidArgument', 'part refused') };
      return { status: 200, headers: { etag: `"etag-${part}"` } };
    }
    if (r.method === 'POST' && r.query.has('uploadId')) {
      return { status: 200, body: '<CompleteMultipartUploadResult><Bucket>fake-bucket</Bucket><Key>p/k</Key><ETag>"x-11"</ETag></CompleteMultipartUploadResult>' };
    }
    if (r.method === 'DELETE' && r.query.has('uploadId')) return { status: 204 };
    return { status: 400, body: s3ErrorXml('Unexpected') };
  };
  return { answer, stats };
}

describe('S3Store: multipart uploads', () => {
  it('sends parts of partSize, at most 4 at a time, then completes', async (t) => {
    const { answer, stats } = multipartServer();
    const fake = await startFakeS3(t, answer);
    const store = openStore(t, fakeConfig(fake.endpoint), { partSize: PART });
    await store.put('k', Buffer.alloc(10 * PART + 1, 3));
    const parts = fake.seen.filter((r) => r.query.has('partNumber'));
    assert.deepEqual(parts.map((r) => Number(r.query.get('partNumber'))).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.ok(parts.every((r) => r.bodyLength === (r.query.get('partNumber') === '11' ? 1 : PART)));
    assert.equal(stats.maxInFlight, 4);
    assert.equal(fake.seen.at(-1)?.method, 'POST', 'completed last');
  });

  it('a failed part stops the upload: no more parts start, the upload is aborted, the error is kept', async (t) => {
    const { answer } = multipartServer(3);
    const fake = await startFakeS3(t, answer);
    const store = openStore(t, fakeConfig(fake.endpoint), { partSize: PART });
    const error = await storeErrorOf(store.put('k', Buffer.alloc(20 * PART, 3)));
    assert.equal(error.kind, 'io', error.message);
    assert.match(error.message, /InvalidArgument.*part refused/);
    const methods = fake.seen.map((r) => r.method);
    assert.equal(fake.seen.at(-1)?.method, 'DELETE', 'aborted after the parts in flight finished');
    assert.ok(!fake.seen.some((r) => r.method === 'POST' && r.query.has('uploadId')), 'never completed');
    assert.ok(methods.filter((m) => m === 'PUT').length < 20, 'stopped starting parts');
  });
});

describe('S3Store: credentials, bucket, prefix, connection test', () => {
  it('an unknown access key is a permission error naming the bucket and the keys to check', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, { ...server.config(), accessKeyId: 'NOT-A-KEY' }, FAST);
    const error = await storeErrorOf(store.put('k', Buffer.from('x')));
    assert.equal(error.kind, 'permission', error.message);
    assert.match(error.message, /^Access to the bucket ferry-test was refused \(InvalidAccessKeyId\): check the access key and secret/);
  });

  it('a wrong secret is a permission error', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, { ...server.config(), secretAccessKey: 'wrong-secret' }, FAST);
    const outcome = await store.put('k', Buffer.from('x')).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (outcome === undefined) {
      return t.skip('s3rver 3.7.1 does not verify SigV4 signatures (it checks only the access key id), so a wrong secret is accepted');
    }
    const error = await storeErrorOf(Promise.reject(outcome));
    assert.equal(error.kind, 'permission', error.message);
  });

  it('what S3 answers for a wrong secret or a missing grant (SignatureDoesNotMatch, AccessDenied) is a permission error, never retried', async (t) => {
    for (const code of ['SignatureDoesNotMatch', 'AccessDenied']) {
      const fake = await startFakeS3(t, (): Reply => ({ status: 403, body: s3ErrorXml(code) }));
      const store = openStore(t, fakeConfig(fake.endpoint), FAST);
      const error = await storeErrorOf(store.put('k', Buffer.from('x')));
      assert.equal(error.kind, 'permission', error.message);
      assert.equal(
        error.message,
        `Access to the bucket fake-bucket was refused (${code}): check the access key and secret, and that they may read and write s3://fake-bucket/p/k.`,
      );
      assert.equal(fake.seen.length, 1);
      // A HEAD answer has no body: a bare 403 must not pass for "absent".
      assert.equal((await storeErrorOf(store.stat('k'))).kind, 'permission');
    }
  });

  it('a missing bucket is unavailable, naming the bucket', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, { ...server.config(), bucket: 'no-such-bucket' }, FAST);
    for (const call of [() => store.put('k', Buffer.from('x')), () => listAll(store, ''), () => store.get('k')]) {
      const error = await storeErrorOf(call);
      assert.equal(error.kind, 'unavailable', error.message);
      assert.match(error.message, /^The bucket no-such-bucket does not exist at http:\/\/127\.0\.0\.1:\d+: check the bucket name/);
    }
  });

  it('keeps objects under the normalised prefix and lists only those, skipping names that are not keys', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, server.config('/site-a/copies'));
    assert.equal(store.location, 's3://ferry-test/site-a/copies/');
    await store.put('backups/x', Buffer.from('x'));
    const whole = openStore(t, server.config(''));
    assert.equal(whole.location, 's3://ferry-test/');
    await whole.put('site-b/y', Buffer.from('y'));
    // What other tools leave behind: a console "folder" marker and a name with a space.
    const raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    t.after(() => raw.destroy());
    await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'site-a/copies/backups/', Body: new Uint8Array(0) }));
    await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'site-a/copies/backups/a b', Body: Buffer.from('z') }));

    assert.deepEqual(await listAll(store, ''), [{ key: 'backups/x', size: 1 }]);
    assert.deepEqual((await listAll(whole, '')).map((o) => o.key), ['site-a/copies/backups/x', 'site-b/y']);
  });

  it('testConnection passes on a good bucket and leaves nothing behind; fails with the reason otherwise', async (t) => {
    const server = await startS3Server(t);
    const store = openStore(t, server.config(), FAST);
    await store.testConnection();
    assert.deepEqual(await listAll(store, ''), []);

    const badKey = openStore(t, { ...server.config(), accessKeyId: 'NOT-A-KEY' }, FAST);
    assert.equal((await storeErrorOf(badKey.testConnection())).kind, 'permission');
    const badBucket = openStore(t, { ...server.config(), bucket: 'missing-bucket' }, FAST);
    assert.equal((await storeErrorOf(badBucket.testConnection())).kind, 'unavailable');
    await server.stop();
    assert.equal((await storeErrorOf(store.testConnection())).kind, 'unavailable');
  });

  it('refuses parts smaller than S3 allows', () => {
    assert.throws(() => new S3Store(fakeConfig('http://127.0.0.1:1'), { partSize: MiB }), RangeError);
  });
});

describe('parseS3Url', () => {
  it('splits bucket and prefix, normalising the prefix', () => {
    assert.deepEqual(parseS3Url('s3://bucket/some/prefix'), { bucket: 'bucket', prefix: 'some/prefix/' });
    assert.deepEqual(parseS3Url('s3://bucket/some/prefix/'), { bucket: 'bucket', prefix: 'some/prefix/' });
    assert.deepEqual(parseS3Url('s3://my.bucket-1'), { bucket: 'my.bucket-1', prefix: '' });
    assert.deepEqual(parseS3Url('s3://bucket/'), { bucket: 'bucket', prefix: '' });
  });

  it('refuses what is not an S3 location, saying how to write one', () => {
    for (const bad of ['http://bucket/x', 'bucket/x', 's3://', 's3:///x', 's3://Bad_Bucket/x', 's3://ab']) {
      assert.throws(() => parseS3Url(bad), /is not an S3 location: write it as s3:\/\/bucket/, bad);
    }
    for (const bad of ['s3://bucket/a//b', 's3://bucket/a/../b', 's3://bucket/./a']) {
      assert.throws(() => parseS3Url(bad), /is not a usable prefix/, bad);
    }
  });
});
