// Scheduler planning: `node bench/micro/planning.ts [--jobs 10000] [--tz Europe/Berlin]`.
// Plain script. The next run (nextRun) and the due run (dueRun) of every job, for a mix of
// schedules (every N minutes / hours / days, daily on chosen weekdays), in a zone with DST
// and at a moment two days before a change. Target: the next run of 10,000 jobs ≤ 50 ms.
import { parseArgs } from 'node:util';
import type { AnyScheduleSpec } from '../../shared/domain/job.ts';
import { dueRun, nextRun } from '../../shared/schedule/calendar.ts';
import { nextWindowChange, windowOpenAt } from '../../shared/schedule/window.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '10000' }, tz: { type: 'string', default: 'Europe/Berlin' } } });
process.env.TZ = values.tz;
const JOBS = Number(values.jobs);
const TARGET_MS = 50;
const ROUNDS = 10;

/** A deterministic mix of the schedules an office sets up, started over the past year. */
function schedules(count: number): AnyScheduleSpec[] {
  const list: AnyScheduleSpec[] = [];
  const yearAgo = Date.parse('2025-12-01T00:00:00Z');
  for (let k = 0; k < count; k++) {
    const startAt = new Date(yearAgo + ((k * 7_919_993) % (300 * 86_400_000))).toISOString();
    const at = `${String(k % 24).padStart(2, '0')}:${String((k * 7) % 60).padStart(2, '0')}`;
    const kind = k % 4;
    if (kind === 0) list.push({ mode: 'periodic', every: 5 + (k % 55), unit: 'minutes', startAt });
    else if (kind === 1) list.push({ mode: 'periodic', every: 1 + (k % 12), unit: 'hours', startAt });
    else if (kind === 2) list.push({ mode: 'periodic', every: 1 + (k % 7), unit: 'days', startAt, lookForward: false });
    else list.push({ mode: 'daily', at, weekdays: [1, 2, 3, 4, 5, 6, 0].filter((_, day) => (k >> day) % 2 === 0 || day === k % 7) });
  }
  return list;
}

function time(label: string, run: () => void): void {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    run();
    rounds.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const best = Math.min(...rounds);
  const verdict = label.startsWith('nextRun') ? (best <= TARGET_MS ? `  ≤ ${TARGET_MS} ms: met` : `  > ${TARGET_MS} ms: MISSED`) : '';
  console.log(`${label.padEnd(52)} first ${rounds[0]!.toFixed(1).padStart(6)} ms, best ${best.toFixed(1).padStart(6)} ms${verdict}`);
}

const jobs = schedules(JOBS);
const night = Array.from({ length: 7 }, () => 0xffffff & ~0b11111111111111000000);
let sink = 0;
console.log(`${JOBS} jobs in ${values.tz}, ${ROUNDS} rounds each (first = cold)`);
for (const [label, now] of [
  ['an ordinary day', new Date('2026-06-10T09:17:00Z')],
  ['two days before DST ends', new Date('2026-10-23T09:17:00Z')],
] as const) {
  time(`nextRun, ${label}`, () => {
    for (const schedule of jobs) sink += nextRun(schedule, now)?.getTime() ?? 0;
  });
  const since = new Date(now.getTime() - 3 * 86_400_000);
  time(`dueRun (3 days missed), ${label}`, () => {
    for (const schedule of jobs) sink += dueRun(schedule, since, now)?.getTime() ?? 0;
  });
  time(`window open + next change, ${label}`, () => {
    for (let k = 0; k < JOBS; k++) sink += (windowOpenAt(night, now) ? 1 : 0) + (nextWindowChange(night, now)?.getTime() ?? 0);
  });
}
if (sink === 0) console.log('(nothing planned)');
