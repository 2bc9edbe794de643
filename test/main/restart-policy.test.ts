import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  classifyExit,
  type CrashHistory,
  DEFAULT_RESTART_POLICY,
  NO_CRASHES,
  onCrash,
  type RestartDecision,
} from '../../main/restart-policy.ts';

/** Feeds crashes (time, uptime) through the policy; returns every decision. */
function run(crashes: Array<{ now: number; uptimeMs: number }>): RestartDecision[] {
  let history: CrashHistory = NO_CRASHES;
  return crashes.map((crash) => {
    const result = onCrash(history, crash);
    history = result.history;
    return result.decision;
  });
}

describe('restart policy', () => {
  it('backs off 1 s, 2 s, 4 s … capped at 30 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 20, 5000].map((n) => backoffDelay(n)),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000],
    );
    assert.equal(backoffDelay(0), 1000);
  });

  it('restarts after the first crashes with growing delays', () => {
    // Each run lasts 1 s, then waits for its delay.
    let now = 0;
    const decisions: RestartDecision[] = [];
    let history: CrashHistory = NO_CRASHES;
    for (let i = 0; i < 4; i++) {
      now += 1000;
      const { history: next, decision } = onCrash(history, { now, uptimeMs: 1000 });
      history = next;
      decisions.push(decision);
      if (decision.action === 'restart') now += decision.delayMs;
    }
    assert.deepEqual(
      decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action)),
      [1000, 2000, 4000, 8000],
    );
  });

  it('gives up at the 5th crash within 60 s', () => {
    const decisions = run([0, 1000, 3000, 7000, 15000].map((now) => ({ now, uptimeMs: 10 })));
    assert.deepEqual(
      decisions.map((d) => d.action),
      ['restart', 'restart', 'restart', 'restart', 'give-up'],
    );
    const last = decisions.at(-1)!;
    assert.equal(last.crashesInWindow, 5);
    assert.equal(last.action === 'give-up' && /5 times within 60 seconds/.test(last.reason), true);
  });

  it('forgets crashes older than the window', () => {
    // Five crashes, but 20 s apart: never five inside 60 s.
    const decisions = run([0, 20_000, 40_000, 60_000, 80_000, 100_000].map((now) => ({ now, uptimeMs: 5_000 })));
    assert.ok(decisions.every((d) => d.action === 'restart'));
    assert.ok(decisions.every((d) => d.crashesInWindow <= 3));
  });

  it('keeps backing off (up to 30 s) for a slow crash loop, and resets after a stable run', () => {
    let history: CrashHistory = NO_CRASHES;
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      now += 20_000; // each run lasts 20 s: not stable
      const result = onCrash(history, { now, uptimeMs: 20_000 });
      history = result.history;
      assert.equal(result.decision.action, 'restart');
      if (result.decision.action === 'restart') {
        delays.push(result.decision.delayMs);
        now += result.decision.delayMs;
      }
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    // A run that stayed up for a minute starts the back-off over.
    now += 120_000;
    const stable = onCrash(history, { now, uptimeMs: 120_000 });
    assert.deepEqual(stable.decision.action === 'restart' && stable.decision.delayMs, 1000);
  });

  it('honours custom options', () => {
    const options = { ...DEFAULT_RESTART_POLICY, maxCrashes: 2, initialDelayMs: 100, maxDelayMs: 150 };
    const first = onCrash(NO_CRASHES, { now: 0, uptimeMs: 0 }, options);
    assert.deepEqual(first.decision, { action: 'restart', delayMs: 100, crashesInWindow: 1 });
    const second = onCrash(first.history, { now: 10, uptimeMs: 0 }, options);
    assert.equal(second.decision.action, 'give-up');
  });

  it('does not mutate the history it is given', () => {
    const history: CrashHistory = { crashTimes: [1, 2], consecutive: 2 };
    onCrash(history, { now: 3, uptimeMs: 0 });
    assert.deepEqual(history, { crashTimes: [1, 2], consecutive: 2 });
  });

  it('classifies exits', () => {
    assert.equal(classifyExit({ stopping: true, fatalReported: false, spawned: true }), 'expected');
    assert.equal(classifyExit({ stopping: true, fatalReported: true, spawned: true }), 'expected');
    assert.equal(classifyExit({ stopping: false, fatalReported: true, spawned: true }), 'fatal');
    assert.equal(classifyExit({ stopping: false, fatalReported: false, spawned: false }), 'fatal', 'it never launched');
    // Exit code 0 without a shutdown request is still a crash: the engine never exits on its own.
    assert.equal(classifyExit({ stopping: false, fatalReported: false, spawned: true }), 'crash');
  });
});
