// `npm test`: every check that can run on this machine, in order, then one summary line.
// Stages after a failed one still run (except e2e, which needs the build), so one run
// shows every problem.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bin = (name) => path.join('node_modules', '.bin', name);
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(name, command, args, { env = {}, capture = false } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    process.stdout.write(`\n▶ ${name}\n`);
    const child = spawn(command, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, ...env } });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code, signal) => {
      const ok = code === 0;
      results.push({ name, ok, seconds: (Date.now() - started) / 1000, detail: signal ? `killed by ${signal}` : '' });
      resolve({ ok, output });
    });
  });
}

const count = (output, label) => Number(output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);

await run('type-check: engine, shared, tests (node)', bin('tsc'), ['-p', 'tsconfig.node.json']);
await run('type-check: Electron main and preload', bin('tsc'), ['-p', 'tsconfig.main.json']);
await run('type-check: console (web)', bin('tsc'), ['-p', 'tsconfig.web.json']);
await run('lint (with the folder import rules)', bin('eslint'), ['--max-warnings=0', '.']);
await run('packaging config (electron-builder schema)', process.execPath, ['scripts/check-builder-config.mjs']);
const build = await run('build (console, main, preload, engine)', 'npm', ['run', '--silent', 'build']);

// Two test files at once even on 2 cores (node:test's default there is one): much of a
// test's time is waiting for disks, child processes and servers, so two take ~60 % of one
// after the other (8.8 → 5.4 min on the 2-core reference machine).
const unit = await run('unit and integration tests (node:test)', process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', 'test/**/*.test.ts'], {
  capture: true,
});
totals.passed += count(unit.output, 'pass');
totals.failed += count(unit.output, 'fail') + count(unit.output, 'cancelled');
totals.skipped += count(unit.output, 'skipped') + count(unit.output, 'todo');

if (build.ok) {
  const report = path.join(tmpdir(), `ferry-e2e-${process.pid}.json`);
  await run('end-to-end (Playwright: console in Chromium, Electron app)', bin('playwright'), ['test', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  try {
    const { stats } = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    rmSync(report, { force: true });
  } catch {
    totals.failed += 1;
    results.push({ name: 'end-to-end report', ok: false, seconds: 0, detail: 'no Playwright report was written' });
  }
} else {
  results.push({ name: 'end-to-end', ok: false, seconds: 0, detail: 'not run: the build failed' });
}

process.stdout.write('\nSummary\n');
for (const { name, ok, seconds, detail } of results) {
  process.stdout.write(`  ${ok ? '✔' : '✖'} ${name} (${seconds.toFixed(1)} s)${detail ? ` — ${detail}` : ''}\n`);
}
const failedStages = results.filter((r) => !r.ok).length;
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exitCode = failedStages > 0 || totals.failed > 0 ? 1 : 0;
