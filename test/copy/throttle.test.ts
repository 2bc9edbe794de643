import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { packRanges } from '../../app/copy/copy-point.ts';
import { allOf, TokenBucket, unthrottled } from '../../app/copy/throttle.ts';
import { ruleActive, TrafficRules } from '../../app/copy/traffic.ts';
import { systemClock } from '../../app/util/clock.ts';
import { FakeClock, flush } from '../fake-clock.ts';
import type { TrafficRule } from '../../shared/domain/job.ts';
import { FerryError } from '../../shared/rpc/errors.ts';

interface Admission {
  index: number;
  bytes: number;
  arrival: number;
  admitted: number;
}

/** Requests arriving at their times (several may share one), each recorded when the bucket lets it through. */
async function simulate(bucket: TokenBucket, clock: FakeClock, requests: readonly { gap: number; bytes: number }[]): Promise<Admission[]> {
  const order: Admission[] = [];
  let arrival = clock.now();
  const pending: Promise<void>[] = [];
  for (const [index, request] of requests.entries()) {
    arrival += request.gap;
    await clock.advanceTo(arrival);
    const at = arrival;
    pending.push(bucket.take(request.bytes).then(() => void order.push({ index, bytes: request.bytes, arrival: at, admitted: clock.now() })));
    await flush();
  }
  await clock.runAll();
  await Promise.all(pending);
  return order;
}

const requestsArb = fc.array(fc.record({ gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })), bytes: fc.integer({ min: 1, max: 400_000 }) }), {
  minLength: 1,
  maxLength: 30,
});

describe('TokenBucket', () => {
  it('admits at most rate·T + burst (+ one request over any window), first come first served, and no later than needed', async () => {
    let held = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 64 * 1024, max: 1024 * 1024 }),
        fc.constantFrom(0, 250, 1000, 2500),
        fc.integer({ min: 0, max: 10_000 }),
        requestsArb,
        async (rate, burstMs, start, requests) => {
          const clock = new FakeClock(start);
          const bucket = new TokenBucket(() => rate, { clock, burstMs });
          const order = await simulate(bucket, clock, requests);
          held += order.filter((a) => a.admitted > a.arrival).length;
          assert.deepEqual(order.map((a) => a.index), requests.map((_, i) => i), 'admitted in call order');
          const burst = (rate * burstMs) / 1000;
          const t0 = order[0]!.arrival;
          let total = 0;
          for (const [i, a] of order.entries()) {
            total += a.bytes;
            assert.ok(a.admitted >= a.arrival);
            assert.ok(total <= (rate * (a.admitted - t0)) / 1000 + burst + 1e-6 * total, `${total} B admitted by ${a.admitted - t0} ms at ${rate} B/s`);
            let window = 0;
            for (let k = i; k >= 0; k--) {
              window += order[k]!.bytes;
              const allowed = (rate * (a.admitted - order[k]!.admitted)) / 1000 + burst + order[k]!.bytes;
              assert.ok(window <= allowed + 1e-6 * window, `${window} B admitted between requests ${k} and ${i}`);
            }
            // Never held longer than its own bytes and all before it take at the rate.
            assert.ok(a.admitted <= a.arrival + (total * 1000) / rate + 1e-6, `request ${i} held too long`);
          }
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(held > 100, `only ${held} requests were held back: the property tested little`);
  });

  it('lets a backlog through exactly at the rate after the burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(() => 100_000, { clock });
    const order = await simulate(bucket, clock, Array.from({ length: 5 }, () => ({ gap: 0, bytes: 50_000 })));
    // 1 s of burst: the first two go at once, then one every half second.
    assert.deepEqual(order.map((a) => a.admitted), [0, 0, 500, 1000, 1500]);
  });

  it('lets everything through while the rate is null, and forgets no reservation when it returns', async () => {
    const clock = new FakeClock();
    let rate: number | null = null;
    const bucket = new TokenBucket(() => rate, { clock, burstMs: 0 });
    await bucket.take(10_000_000);
    assert.equal(clock.sleeping, 0, 'no limit: no wait');
    rate = 1000;
    const first = bucket.take(1000);
    await flush();
    assert.equal(clock.sleeping, 1);
    await clock.advanceTo(1000);
    await first;
    const second = simulate(bucket, clock, [{ gap: 0, bytes: 500 }]);
    assert.deepEqual((await second).map((a) => a.admitted), [1500]);
  });

  it('stops waiting when its signal aborts', async () => {
    const bucket = new TokenBucket(() => 64 * 1024, { burstMs: 0 });
    const controller = new AbortController();
    const waiting = bucket.take(64 * 1024 * 60, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await assert.rejects(waiting, (e: unknown) => e instanceof FerryError && e.code === 'cancelled');
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(bucket.take(1, AbortSignal.abort()), (e: unknown) => e instanceof FerryError && e.code === 'cancelled');
  });
});

describe('limits a throttle is safe with', () => {
  it('a wait longer than a timer can hold (2^31 − 1 ms) still waits, and a stop still ends it', async () => {
    // At 1 byte/s a 4 MiB chunk waits ~48 days: setTimeout fired that at once, so `--limit 1` ran unthrottled.
    const controller = new AbortController();
    let woke = false;
    const sleeping = systemClock.sleep(2 ** 32, controller.signal).then(() => (woke = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(woke, false, 'the long wait returned at once');
    controller.abort();
    await assert.rejects(sleeping, (error: unknown) => error instanceof FerryError && error.code === 'cancelled');
    await assert.rejects(systemClock.sleep(Number.NaN), RangeError);
    await assert.rejects(systemClock.sleep(Number.POSITIVE_INFINITY), RangeError);
  });

  it('a rate that is not a positive number is refused, not taken for "no limit" or "never"', async () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const bucket = new TokenBucket(() => rate, { clock: new FakeClock() });
      await assert.rejects(bucket.take(1000), RangeError, String(rate));
      assert.throws(() => bucket.piece(), RangeError, String(rate));
    }
    const bucket = new TokenBucket(() => 100_000, { clock: new FakeClock() });
    await assert.rejects(bucket.take(Number.NaN), RangeError);
    // A refused request leaves the bucket as it was.
    await bucket.take(100_000);
  });
});

describe('reads under a throttle', () => {
  it('a throttle asks for at most its burst at once; the smallest of several wins; none without a limit', () => {
    let rate: number | null = 100_000;
    const bucket = new TokenBucket(() => rate, { burstMs: 500 });
    assert.equal(bucket.piece(), 50_000);
    assert.equal(allOf([bucket, new TokenBucket(() => 20_000)]).piece(), 20_000);
    assert.equal(allOf([bucket, unthrottled]).piece(), 50_000);
    rate = null;
    assert.equal(bucket.piece(), null);
    assert.equal(allOf([bucket, unthrottled]).piece(), null);
  });

  it('packRanges keeps every blob once, in pack order, each range within the limit unless one blob is larger', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.nat(300_000), length: fc.integer({ min: 1, max: 3_000_000 }) }), { maxLength: 60 }), fc.integer({ min: 1, max: 20_000_000 }), (layout, limit) => {
        let offset = 0;
        const blobs = layout.map(({ gap, length }) => {
          offset += gap;
          const blob = { entry: { offset, length } };
          offset += length;
          return blob;
        });
        const ranges = packRanges([...blobs].reverse(), limit);
        assert.deepEqual(ranges.flat(), blobs);
        for (const range of ranges) {
          const span = range.at(-1)!.entry.offset + range.at(-1)!.entry.length - range[0]!.entry.offset;
          assert.ok(range.length === 1 || span <= limit, `a range of ${range.length} blobs spans ${span} > ${limit}`);
        }
      }),
    );
  });
});

describe('traffic rules', () => {
  it('ruleActive: hours [from, to) are a run of (to − from) mod 24 hours starting at from, wrapping midnight', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 59 }), (from, to, minute) => {
        const active = Array.from({ length: 24 }, (_, hour) => ruleActive({ hours: { from, to } }, new Date(2025, 5, 14, hour, minute)));
        const length = from === to % 24 ? 24 : (to - from + 24) % 24;
        const expected = Array.from({ length: 24 }, (_, hour) => (hour - from + 24) % 24 < length);
        assert.deepEqual(active, expected);
      }),
    );
    assert.equal(ruleActive({ hours: null }, new Date()), true);
    const night = { hours: { from: 22, to: 6 } };
    const at = (h: number, m = 0) => ruleActive(night, new Date(2025, 0, 1, h, m));
    assert.deepEqual([at(21, 59), at(22), at(23, 59), at(0), at(5, 59), at(6), at(12)], [false, true, true, true, true, false, false]);
  });

  const rule = (over: Partial<TrafficRule>): TrafficRule => ({ id: 'r', fromRepositoryId: null, toRepositoryId: null, bytesPerSecond: 100_000, hours: null, ...over });

  it('shares one bucket between the jobs a rule covers, applies only where and when it should, and follows changes at once', async () => {
    const clock = new FakeClock(new Date(2025, 0, 1, 23, 0).getTime());
    const traffic = new TrafficRules([rule({ id: 'night', fromRepositoryId: 'office', hours: { from: 22, to: 6 } })], clock);
    const jobA = traffic.between('office', 'offsite');
    const jobB = traffic.between('office', 'cloud');
    const other = traffic.between('branch', 'offsite');

    const start = clock.now();
    const admitted: [string, number][] = [];
    const go = (name: string, throttle: typeof jobA) => throttle.take(150_000).then(() => void admitted.push([name, clock.now() - start]));
    const a = go('A', jobA);
    const b = go('B', jobB);
    const c = go('C', other);
    await flush();
    assert.deepEqual(admitted, [['C', 0]], 'another repository is not limited');
    await clock.advanceTo(start + 500);
    await a;
    assert.equal(clock.sleeping, 1, 'B still waits: the two jobs share the rule\'s bucket');
    await clock.advanceTo(start + 2000);
    await Promise.all([b, c]);
    // 100 kB/s with 1 s of burst: A's 150 kB go at 0.5 s, B's after A's at 2 s.
    assert.deepEqual(admitted, [['C', 0], ['A', 500], ['B', 2000]]);

    // At noon the night rule does not apply.
    clock.time = new Date(2025, 0, 2, 12, 0).getTime();
    await jobA.take(10_000_000);
    assert.equal(clock.sleeping, 0);
    // Back at night, then the rules removed: a throttle already handed out follows the change.
    clock.time = new Date(2025, 0, 2, 23, 0).getTime();
    const slow = jobA.take(10_000_000);
    await flush();
    assert.equal(clock.sleeping, 1);
    traffic.set([]);
    assert.deepEqual(traffic.list(), []);
    await jobB.take(10_000_000);
    assert.equal(clock.sleeping, 1, 'no rule: no new wait');
    await clock.runAll();
    await slow;

    // A rule added while a job runs applies to its next read.
    traffic.set([rule({ id: 'day', toRepositoryId: 'cloud' })]);
    const limited = jobB.take(10_000_000);
    await flush();
    assert.equal(clock.sleeping, 1, 'the new rule limits the running job');
    await jobA.take(10_000_000);
    assert.equal(clock.sleeping, 1, 'and only the transfers it covers');
    await clock.runAll();
    await limited;
  });
});
