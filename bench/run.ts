// Ferry vs restic on a generated ~1 GiB dataset: `npm run bench` (node bench/run.ts).
//
// Steps, for Ferry with an encrypted repository, Ferry with a plain one, and restic:
//   backup of state 1 → (the dataset changes by ~5%) → backup of state 2 → restore of the
//   newest point → verify (ferry verify / restic check --read-data).
// Each step: wall time, MB/s (dataset bytes / wall time), CPU time, peak RSS (GNU time -v)
// and, after backups, the repository's size (du -sb). The page cache is dropped before each
// step when permitted. Restores are compared file by file (SHA-256) with the source; any
// difference fails the run. Results: bench/data/results.json, and the generated section of
// docs/benchmarks.md (unless --no-docs).
//
// Options:
//   --size-mib <n>   dataset size (default 1024)        --rounds <n>   best of n (default 3)
//   --tools <a,b>    ferry-enc,ferry-plain,restic        --regenerate   rewrite the dataset
//   --work-dir <d>   repositories and restores (default: $TMPDIR/ferry-bench-<pid>)
//   --keep           keep the work folder               --no-docs      leave docs/ alone
//   --skip-hash      do not run bench/micro/hash.ts   --no-wait      do not wait for a quiet machine
// Before each step the run waits (up to 30 s) until other processes use < 0.2 cores.
//   --cpu-prof       run Ferry under node --cpu-prof (profiles in <work-dir>/profiles; implies --no-docs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applyMutation,
  compareManifests,
  ensureState1,
  manifestOf,
  markState,
  MiB,
  planDataset,
  planMutation,
  SIZE_BUCKETS,
  summarizeMutation,
  textBytes,
  Stream,
} from './lib/dataset.ts';
import { describeMachine, dropCaches, duBytes, fileCount, measure, waitForQuiet, type Measured } from './lib/measure.ts';
import { renderReport, updateDocs, type BenchResults, type StepResult, type StepName } from './lib/report.ts';
import { FERRY_BIN, makeTool, TOOL_IDS, type Tool, type ToolId } from './lib/tools.ts';
import { zstdCompressSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    tools: { type: 'string', default: TOOL_IDS.join(',') },
    seed: { type: 'string', default: 'ferry-bench-1' },
    'work-dir': { type: 'string' },
    regenerate: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'skip-hash': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
  },
});

const totalBytes = Math.round(Number(values['size-mib']) * MiB);
const rounds = Number(values.rounds);
const toolIds = values.tools.split(',').map((t) => t.trim()) as ToolId[];
for (const id of toolIds) if (!TOOL_IDS.includes(id)) throw new Error(`unknown tool ${id} (known: ${TOOL_IDS.join(', ')})`);
const dataDir = path.join(here, 'data');
const sourceRoot = path.join(dataDir, 'tree');
const stateFile = path.join(dataDir, 'dataset-state.json');
const workDir = path.resolve(values['work-dir'] ?? path.join(tmpdir(), `ferry-bench-${process.pid}`));
const profileDir = path.join(workDir, 'profiles');
const writeDocs = !values['no-docs'] && !values['cpu-prof'];

/** Before a timed step: a quiet machine (unless --no-wait), then an empty page cache. */
async function prepareStep(): Promise<void> {
  if (!values['no-wait']) {
    const waited = await waitForQuiet();
    if (waited >= 1) log(`  (waited ${waited.toFixed(0)} s for other processes to quiet down)`);
  }
  dropCaches();
}

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

function checkPrerequisites(): void {
  for (const [command, hint] of [
    ['restic', 'apt-get install -y restic'],
    ['/usr/bin/time', 'apt-get install -y time'],
  ] as const) {
    try {
      execFileSync(command, command === 'restic' ? ['version'] : ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${command} is needed (${hint}).`);
    }
  }
  mkdirSync(workDir, { recursive: true });
  const free = Number(execFileSync('df', ['-B1', '--output=avail', workDir], { encoding: 'utf8' }).trim().split('\n')[1]);
  const needed = totalBytes * (toolIds.length + 3);
  if (free < needed) throw new Error(`${workDir}: ${mib(free)} free, the run needs about ${mib(needed)}.`);
}

function versions(): BenchResults['versions'] {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'app', 'shared', 'bin', 'package.json') !== '';
  return {
    ferry: `${execFileSync(process.execPath, [FERRY_BIN, '--version'], { encoding: 'utf8' }).trim()}${commit ? ` (commit ${commit}${dirty ? ', with uncommitted changes in app/shared' : ''})` : ''}`,
    restic: execFileSync('restic', ['version'], { encoding: 'utf8' }).trim(),
    node: process.version,
  };
}

async function hashMicro(): Promise<BenchResults['hashMicro']> {
  const script = path.join(here, 'micro', 'hash.ts');
  if (values['skip-hash'] || !existsSync(script)) return undefined;
  log('hash micro-benchmark (bench/micro/hash.ts)');
  const measured = await measure(process.execPath, [script], { cwd: repoRoot });
  return { output: measured.stdout.trim(), otherCores: measured.otherCpuSeconds / measured.seconds };
}

async function main(): Promise<void> {
  const started = Date.now();
  checkPrerequisites();
  const cachesDroppable = dropCaches();
  log(cachesDroppable ? 'page cache: dropped before every step' : 'page cache: cannot be dropped here (warm caches for every tool)');
  mkdirSync(dataDir, { recursive: true });
  const machine = describeMachine(dataDir);
  const toolVersions = versions();
  if (!values['no-wait']) await waitForQuiet();
  const hashOutput = await hashMicro();

  const spec = planDataset(values.seed, totalBytes);
  const mutation = planMutation(spec);
  const change = summarizeMutation(spec, mutation);
  const textSample = textBytes(new Stream('compressibility', 'sample'), 16 * MiB);
  const textRatio = textSample.length / zstdCompressSync(textSample).length;

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine,
    versions: toolVersions,
    cachesDropped: cachesDroppable,
    waitedForQuiet: !values['no-wait'],
    rounds,
    dataset: {
      seed: values.seed,
      state1Bytes: spec.files.reduce((sum, f) => sum + f.size, 0),
      state2Bytes: 0,
      files: spec.files.length,
      dirs: spec.dirs.length + spec.emptyDirs.length,
      byKind: {},
      bySize: SIZE_BUCKETS.map((b, k) => {
        const last = k === SIZE_BUCKETS.length - 1;
        const inBucket = spec.files.filter((f) => (k === 0 || f.size >= b.min) && (last || f.size < b.max));
        return { name: b.name, files: inBucket.length, bytes: inBucket.reduce((s, f) => s + f.size, 0) };
      }),
      textZstdRatio: textRatio,
      change,
    },
    tools: toolIds.map((id) => ({ id, label: makeTool(id, { workDir }).label })),
    steps: [],
    hashMicro: hashOutput,
  };
  for (const file of spec.files) {
    const entry = (results.dataset.byKind[file.kind] ??= { files: 0, bytes: 0 });
    entry.files++;
    entry.bytes += file.size;
  }

  const nodeFlags = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  let expected: Awaited<ReturnType<typeof manifestOf>> | undefined;

  for (let round = 1; round <= rounds; round++) {
    log(`round ${round}/${rounds}: dataset state 1 (${mib(results.dataset.state1Bytes)}, ${spec.files.length} files)`);
    const t0 = Date.now();
    const how = ensureState1(spec, mutation, sourceRoot, stateFile, totalBytes, values.regenerate && round === 1);
    log(`  ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // A different tool goes first each round, so that none always meets the same conditions.
    const order = toolIds.map((_, k) => toolIds[(k + round - 1) % toolIds.length]!);
    const tools: Tool[] = order.map((id) => {
      rmSync(path.join(workDir, `repo-${id}`), { recursive: true, force: true });
      return makeTool(id, { workDir, nodeFlags });
    });
    rmSync(path.join(workDir, 'restic-cache'), { recursive: true, force: true });
    const record = (tool: Tool, step: StepName, measured: Measured, extra: Partial<StepResult> = {}) => {
      const result: StepResult = {
        round,
        tool: tool.id,
        step,
        seconds: measured.seconds,
        userSeconds: measured.userSeconds,
        systemSeconds: measured.systemSeconds,
        otherCpuSeconds: measured.otherCpuSeconds,
        peakRss: measured.peakRss,
        ...extra,
      };
      results.steps.push(result);
      log(`  ${tool.label.padEnd(18)} ${step.padEnd(8)} ${measured.seconds.toFixed(2).padStart(7)} s  CPU ${(measured.userSeconds + measured.systemSeconds).toFixed(1)} s (others ${measured.otherCpuSeconds.toFixed(1)} s)  peak RSS ${mib(measured.peakRss)}${extra.repoBytes !== undefined ? `  repo ${mib(extra.repoBytes)}` : ''}`);
    };

    for (const tool of tools) {
      await tool.init();
      await prepareStep();
      const measured = await tool.backup(sourceRoot);
      record(tool, 'backup1', measured, { repoBytes: duBytes(tool.repo), repoFiles: fileCount(tool.repo), newPlainBytes: measured.newPlainBytes, datasetBytes: results.dataset.state1Bytes });
    }

    applyMutation(spec, mutation, sourceRoot);
    markState(stateFile, spec, totalBytes, 2);
    if (!expected) {
      expected = await manifestOf(sourceRoot);
      results.dataset.state2Bytes = expected.bytes;
      log(`  state 2: ${mib(change.changedBytes)} changed (${change.changedBytes} bytes), ${mib(expected.bytes)} in all`);
    }

    for (const tool of tools) {
      await prepareStep();
      const measured = await tool.backup(sourceRoot);
      record(tool, 'backup2', measured, { repoBytes: duBytes(tool.repo), repoFiles: fileCount(tool.repo), newPlainBytes: measured.newPlainBytes, datasetBytes: expected.bytes });
    }

    for (const tool of tools) {
      const target = path.join(workDir, `restore-${tool.id}`);
      rmSync(target, { recursive: true, force: true });
      await prepareStep();
      const { measured, root } = await tool.restore(sourceRoot, target);
      record(tool, 'restore', measured, { datasetBytes: expected.bytes });
      const problems = compareManifests(expected, await manifestOf(root));
      if (problems.length > 0) throw new Error(`${tool.label}: the restored tree differs from the source:\n  ${problems.join('\n  ')}`);
      log(`  ${tool.label}: restored tree identical to the source (${expected.files.size} files, SHA-256)`);
      rmSync(target, { recursive: true, force: true });
    }

    for (const tool of tools) {
      await prepareStep();
      record(tool, 'verify', await tool.verify(), { datasetBytes: expected.bytes });
    }
  }

  results.totalSeconds = (Date.now() - started) / 1000;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderReport(results);
  writeFileSync(path.join(dataDir, 'results.md'), markdown);
  process.stdout.write(`${markdown}\n`);
  if (writeDocs) {
    updateDocs(path.join(repoRoot, 'docs', 'benchmarks.md'), markdown);
    log('docs/benchmarks.md updated');
  }
  if (values['cpu-prof']) log(`CPU profiles in ${profileDir} (summarise: node bench/profile-top.ts <file>)`);
  if (!values.keep) {
    if (values['cpu-prof']) {
      for (const name of readdirSync(workDir)) if (name !== 'profiles') rmSync(path.join(workDir, name), { recursive: true, force: true });
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

await main();
