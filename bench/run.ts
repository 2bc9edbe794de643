// Ferry vs restic on a generated ~1 GiB dataset: `npm run bench` (node bench/run.ts).
//
// Steps, for Ferry with an encrypted repository, Ferry with a plain one, and restic:
//   backup of state 1 → full copy → (the dataset changes by ~5%) → backup of state 2 →
//   incremental copy → restore of the newest point → verify (ferry verify / restic check
//   --read-data).
// The copies (bench/lib/copy.ts) bring each source repository to a second one: ferry copy
// local → local and local → S3 (s3rver, a test server in a child process), restic copy
// local → local, and rsync -a of Ferry's repository folder; measured as above, plus the
// bytes written on the target (du -sb, or the objects' sizes on S3).
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
//   --steps <a,b>    backup,copy,restore,verify (default: all). The backups always run (the
//                    other steps need them) but are measured and reported only when chosen;
//                    a subset implies --no-docs. `--steps copy`: the copy benchmark alone.
//   --no-s3          no copies to s3rver            --data-dir <d>  dataset folder (default bench/data)
//   `--steps compact`: the compaction benchmark alone (bench/lib/compaction.ts): ten points of
//                    the dataset each with 5 % of its own, the oldest five forgotten and compacted
//                    (ferry forget --keep 5 / restic forget --keep-last 5 --prune), then `ferry gc` consolidating
//                    a generated backup of --consolidation-blobs blobs (default 10⁶) in 16 index
//                    files per 1,000 blobs.
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
import { compactionBench, consolidationBench, KEEP, POINTS } from './lib/compaction.ts';
import { COPY_IDS, type CopyRoute, makeCopyRoutes, type S3Server, startS3 } from './lib/copy.ts';
import { describeMachine, dropCaches, duBytes, fileCount, measure, waitForQuiet, type Measured } from './lib/measure.ts';
import { renderReport, updateDocs, type BenchResults, type StepResult, type StepName } from './lib/report.ts';
import { buildFerry, FERRY_BIN, makeTool, TOOL_IDS, type Tool, type ToolId } from './lib/tools.ts';
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
    steps: { type: 'string', default: 'backup,copy,restore,verify,compact' },
    'consolidation-blobs': { type: 'string', default: '1000000' },
    'no-s3': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  },
});

const totalBytes = Math.round(Number(values['size-mib']) * MiB);
const rounds = Number(values.rounds);
const toolIds = values.tools.split(',').map((t) => t.trim()) as ToolId[];
for (const id of toolIds) if (!TOOL_IDS.includes(id)) throw new Error(`unknown tool ${id} (known: ${TOOL_IDS.join(', ')})`);
const stepKinds = new Set(values.steps.split(',').map((t) => t.trim()));
const STEP_KINDS = ['backup', 'copy', 'restore', 'verify', 'compact'];
/** The steps of the backup round (runRound); `compact` has its own (compactRound). */
const ROUND_KINDS = ['backup', 'copy', 'restore', 'verify'];
for (const kind of stepKinds) if (!STEP_KINDS.includes(kind)) throw new Error(`unknown step ${kind} (known: ${STEP_KINDS.join(', ')})`);
const allSteps = STEP_KINDS.every((kind) => stepKinds.has(kind));
/** backup1 and backup2 are chosen with "backup", copy1 and copy2 with "copy". */
const chosen = (step: StepName) => stepKinds.has(step.replace(/[12]$/, ''));
const dataDir = path.resolve(values['data-dir'] ?? path.join(here, 'data'));
const sourceRoot = path.join(dataDir, 'tree');
const stateFile = path.join(dataDir, 'dataset-state.json');
const workDir = path.resolve(values['work-dir'] ?? path.join(tmpdir(), `ferry-bench-${process.pid}`));
const profileDir = path.join(workDir, 'profiles');
const writeDocs = !values['no-docs'] && !values['cpu-prof'] && allSteps;

/** Before a timed step: a quiet machine (unless --no-wait), then an empty page cache. */
async function prepareStep(step: StepName): Promise<void> {
  if (!chosen(step)) return; // not measured: no need to wait
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
    ...(stepKinds.has('copy') ? ([['rsync', 'apt-get install -y rsync']] as const) : []),
  ] as const) {
    try {
      execFileSync(command, command === 'restic' ? ['version'] : ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${command} is needed (${hint}).`);
    }
  }
  mkdirSync(workDir, { recursive: true });
  const free = Number(execFileSync('df', ['-B1', '--output=avail', workDir], { encoding: 'utf8' }).trim().split('\n')[1]);
  // Copies: up to five targets of ~0.6 × the dataset each (s3rver stores on this disk too).
  const needed = totalBytes * (toolIds.length + 3 + (stepKinds.has('copy') ? 3 : 0));
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
  // It belongs to the backup's analysis (the choice of hash).
  if (values['skip-hash'] || !stepKinds.has('backup') || !existsSync(script)) return undefined;
  log('hash micro-benchmark (bench/micro/hash.ts)');
  const measured = await measure(process.execPath, [script], { cwd: repoRoot });
  return { output: measured.stdout.trim(), otherCores: measured.otherCpuSeconds / measured.seconds };
}

interface RoundContext {
  spec: ReturnType<typeof planDataset>;
  mutation: ReturnType<typeof planMutation>;
  change: ReturnType<typeof summarizeMutation>;
  nodeFlags: string[];
  s3: S3Server | undefined;
  /** State 2's files (sizes and SHA-256), taken once in round 1: what restores must give back. */
  expected?: Awaited<ReturnType<typeof manifestOf>>;
}

/** One round: fresh repositories, both backups, the copies, the restore and verify. */
async function runRound(round: number, results: BenchResults, context: RoundContext): Promise<void> {
  const { spec, mutation, change, nodeFlags } = context;
  log(`round ${round}/${rounds}: dataset state 1 (${mib(results.dataset.state1Bytes)}, ${spec.files.length} files)`);
  const t0 = Date.now();
  const how = ensureState1(spec, mutation, sourceRoot, stateFile, totalBytes, values.regenerate && round === 1);
  log(`  ${how} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // A different tool goes first each round, so that none always meets the same conditions.
  const rotate = <T>(items: readonly T[]) => items.map((_, k) => items[(k + round - 1) % items.length]!);
  const tools: Tool[] = rotate(toolIds).map((id) => {
    rmSync(path.join(workDir, `repo-${id}`), { recursive: true, force: true });
    return makeTool(id, { workDir, nodeFlags });
  });
  rmSync(path.join(workDir, 'restic-cache'), { recursive: true, force: true });
  const routes: CopyRoute[] = stepKinds.has('copy')
    ? rotate(makeCopyRoutes(toolIds, { workDir, nodeFlags, round, s3: context.s3, sourceRepo: (id) => tools.find((t) => t.id === id)!.repo }))
    : [];
  results.copies ??= [...routes].sort((a, b) => COPY_IDS.indexOf(a.id) - COPY_IDS.indexOf(b.id)).map((r) => ({ id: r.id, label: r.label, target: r.target }));
  const record = (who: { id: StepResult['tool']; label: string }, step: StepName, measured: Measured, extra: Partial<StepResult> = {}) => {
    const result: StepResult = {
      round,
      tool: who.id,
      step,
      seconds: measured.seconds,
      userSeconds: measured.userSeconds,
      systemSeconds: measured.systemSeconds,
      otherCpuSeconds: measured.otherCpuSeconds,
      peakRss: measured.peakRss,
      ...extra,
    };
    const extras = [
      extra.repoBytes !== undefined ? `  repo ${mib(extra.repoBytes)}` : '',
      extra.targetBytesWritten !== undefined ? `  written ${mib(extra.targetBytesWritten)}` : '',
      chosen(step) ? '' : '  (not reported)',
    ].join('');
    log(`  ${who.label.padEnd(18)} ${step.padEnd(8)} ${measured.seconds.toFixed(2).padStart(7)} s  CPU ${(measured.userSeconds + measured.systemSeconds).toFixed(1)} s (others ${measured.otherCpuSeconds.toFixed(1)} s)  peak RSS ${mib(measured.peakRss)}${extras}`);
    if (chosen(step)) results.steps.push(result);
  };

  /** Every copy route once: what the source holds and the target lacks. */
  const copyAll = async (step: 'copy1' | 'copy2', datasetBytes: number) => {
    for (const route of routes) {
      if (step === 'copy1') await route.prepare();
      const before = await route.targetBytes();
      await prepareStep(step);
      const { measured, reportedBytes } = await route.copy();
      const written = (await route.targetBytes()) - before;
      record(route, step, measured, { datasetBytes, targetBytesWritten: written, reportedBytes, sourceBytes: duBytes(route.source) });
    }
  };

  for (const tool of tools) {
    await tool.init();
    await prepareStep('backup1');
    const measured = await tool.backup(sourceRoot);
    record(tool, 'backup1', measured, { repoBytes: duBytes(tool.repo), repoFiles: fileCount(tool.repo), newPlainBytes: measured.newPlainBytes, datasetBytes: results.dataset.state1Bytes });
  }
  await copyAll('copy1', results.dataset.state1Bytes);

  applyMutation(spec, mutation, sourceRoot);
  markState(stateFile, spec, totalBytes, 2);
  let expected = context.expected;
  if (!expected) {
    expected = context.expected = await manifestOf(sourceRoot);
    results.dataset.state2Bytes = expected.bytes;
    log(`  state 2: ${mib(change.changedBytes)} changed (${change.changedBytes} bytes), ${mib(expected.bytes)} in all`);
  }

  for (const tool of tools) {
    await prepareStep('backup2');
    const measured = await tool.backup(sourceRoot);
    record(tool, 'backup2', measured, { repoBytes: duBytes(tool.repo), repoFiles: fileCount(tool.repo), newPlainBytes: measured.newPlainBytes, datasetBytes: expected.bytes });
  }
  await copyAll('copy2', expected.bytes);
  // Not timed: each target holds what its source holds; in round 1 every chunk is checked too.
  try {
    for (const route of routes) log(`  ${route.label}: ${await route.check(round === 1)}`);
  } finally {
    for (const route of routes) await route.close?.();
  }

  if (stepKinds.has('restore')) {
    for (const tool of tools) {
      const target = path.join(workDir, `restore-${tool.id}`);
      rmSync(target, { recursive: true, force: true });
      await prepareStep('restore');
      const { measured, root } = await tool.restore(sourceRoot, target);
      record(tool, 'restore', measured, { datasetBytes: expected.bytes });
      const problems = compareManifests(expected, await manifestOf(root));
      if (problems.length > 0) throw new Error(`${tool.label}: the restored tree differs from the source:\n  ${problems.join('\n  ')}`);
      log(`  ${tool.label}: restored tree identical to the source (${expected.files.size} files, SHA-256)`);
      rmSync(target, { recursive: true, force: true });
    }
  }

  if (stepKinds.has('verify')) {
    for (const tool of tools) {
      await prepareStep('verify');
      record(tool, 'verify', await tool.verify(), { datasetBytes: expected.bytes });
    }
  }
}

/** The compaction benchmark's round: each tool's forget + compact, and the consolidation of a generated backup (bench/lib/compaction.ts). */
async function compactRound(round: number, results: BenchResults, context: RoundContext): Promise<void> {
  log(`round ${round}/${rounds}: compaction (${POINTS} points, the oldest ${POINTS - KEEP} forgotten)`);
  ensureState1(context.spec, context.mutation, sourceRoot, stateFile, totalBytes, false);
  const outcomes = await compactionBench({
    workDir,
    nodeFlags: context.nodeFlags,
    tools: toolIds,
    dataset: sourceRoot,
    datasetBytes: results.dataset.state1Bytes,
    prepare: () => prepareStep('compact'),
    log,
  });
  for (const outcome of outcomes) {
    const { measured } = outcome;
    log(
      `  ${outcome.tool.padEnd(18)} compact  ${measured.seconds.toFixed(2).padStart(7)} s  CPU ${(measured.userSeconds + measured.systemSeconds).toFixed(1)} s  peak RSS ${mib(measured.peakRss)}  repo ${mib(outcome.repoBytesBefore)} → ${mib(outcome.repoBytesAfter)}, kept points need ${mib(outcome.neededBytes)}`,
    );
    results.steps.push({
      round,
      tool: outcome.tool,
      step: 'compact',
      seconds: measured.seconds,
      userSeconds: measured.userSeconds,
      systemSeconds: measured.systemSeconds,
      otherCpuSeconds: measured.otherCpuSeconds,
      peakRss: measured.peakRss,
      datasetBytes: results.dataset.state1Bytes,
      repoBytesBefore: outcome.repoBytesBefore,
      repoBytes: outcome.repoBytesAfter,
      neededBytes: outcome.neededBytes,
      packBytes: outcome.packBytesAfter,
    });
  }
  const blobs = Number(values['consolidation-blobs']);
  if (blobs > 0) {
    log(`  consolidation: generating a backup of ${blobs} blobs in ${Math.round(blobs * 0.016)} index files`);
    const consolidation = await consolidationBench({ workDir, nodeFlags: context.nodeFlags, blobs, files: Math.round(blobs * 0.016), prepare: () => prepareStep('compact') });
    const { measured } = consolidation;
    log(`  consolidation: ${consolidation.indexFilesBefore} → ${consolidation.indexFilesAfter} index files in ${measured.seconds.toFixed(2)} s, peak RSS ${mib(measured.peakRss)}`);
    if (!results.consolidation || measured.seconds < results.consolidation.seconds) {
      results.consolidation = { blobs, indexFilesBefore: consolidation.indexFilesBefore, indexFilesAfter: consolidation.indexFilesAfter, seconds: measured.seconds, peakRss: measured.peakRss };
    }
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  checkPrerequisites();
  const cachesDroppable = dropCaches();
  log(cachesDroppable ? 'page cache: dropped before every step' : 'page cache: cannot be dropped here (warm caches for every tool)');
  mkdirSync(dataDir, { recursive: true });
  const machine = describeMachine(dataDir);
  buildFerry();
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
    chosenSteps: STEP_KINDS.filter((kind) => stepKinds.has(kind)),
    steps: [],
    hashMicro: hashOutput,
  };
  for (const file of spec.files) {
    const entry = (results.dataset.byKind[file.kind] ??= { files: 0, bytes: 0 });
    entry.files++;
    entry.bytes += file.size;
  }

  const nodeFlags = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const s3 = stepKinds.has('copy') && !values['no-s3'] ? await startS3() : undefined;
  if (s3) log(`s3rver (copy target) at ${s3.endpoint}`);
  try {
    const context: RoundContext = { spec, mutation, change, nodeFlags, s3 };
    for (let round = 1; round <= rounds; round++) {
      if (ROUND_KINDS.some((kind) => stepKinds.has(kind))) await runRound(round, results, context);
      if (stepKinds.has('compact')) await compactRound(round, results, context);
    }
  } finally {
    await s3?.stop();
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
