import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lockScheduling, SCHEDULER_LOCK_FILE, schedulingProcess } from '../../app/scheduler/data-lock.ts';
import { tempDir } from '../helpers.ts';

const lockOf = (pid: number, since: Date) => JSON.stringify({ pid, since: since.toISOString() });

describe('one scheduling engine per data folder (scheduler.lock)', () => {
  it('is taken once: a second taker is told the live holder, and can take it once released', async (t) => {
    const dir = await tempDir(t);
    const first = lockScheduling(dir);
    assert.ok('release' in first);
    assert.deepEqual(lockScheduling(dir), { heldBy: process.pid });
    first.release();
    const again = lockScheduling(dir);
    assert.ok('release' in again);
    again.release();
  });

  it('takes over a lock of a process that is gone', async (t) => {
    const dir = await tempDir(t);
    writeFileSync(path.join(dir, SCHEDULER_LOCK_FILE), lockOf(2 ** 22 + 12_345, new Date()));
    const lock = lockScheduling(dir);
    assert.ok('release' in lock);
    assert.equal(schedulingProcess(dir), process.pid);
    lock.release();
  });

  it('takes over a lock written before this boot, even when its pid is alive now (another process has it after a power loss)', async (t) => {
    const dir = await tempDir(t);
    const beforeBoot = new Date(Date.now() - uptime() * 1000 - 60_000);
    writeFileSync(path.join(dir, SCHEDULER_LOCK_FILE), lockOf(process.ppid, beforeBoot));
    const lock = lockScheduling(dir);
    assert.ok('release' in lock, `held by ${JSON.stringify(lock)}`);
    lock.release();
  });
});
