// The compaction benchmark (`--steps compact`): ten points of the dataset, each with data
// of its own, the oldest five forgotten, then `ferry forget --keep 5` (which compacts) beside `restic forget --keep-last 5
// --prune` on the same data; and the index consolidation of a generated backup of 10⁶
// blobs in 16,000 index files.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalFolderStore } from '../../app/storage/local-store.ts';
import { manyIndexFiles } from '../../test/maintenance/many-index-files.ts';
import { duBytes, type Measured } from './measure.ts';
import { PASSWORD, resticCache, runFerry, runRestic, type ToolId, type ToolOptions } from './tools.ts';

export const POINTS = 10;
export const KEEP = 5;
/** Each point's own data, as a share of the dataset: what forgetting it frees. */
const OWN_SHARE = 0.05;
const OWN_FILE = 4 * 1024 * 1024;

export interface CompactionOutcome {
  tool: ToolId;
  measured: Measured;
  /** du -sb of the repository before forgetting, and after the compaction. */
  repoBytesBefore: number;
  repoBytesAfter: number;
  /** Stored bytes the kept points need (Ferry: its report's bytesNeeded; restic: `restic stats --mode raw-data`). */
  neededBytes: number;
  /** Ferry: stored bytes in packs after (its report's bytesAfter); restic: du of data/. */
  packBytesAfter: number;
}

export interface ConsolidationOutcome {
  blobs: number;
  indexFilesBefore: number;
  indexFilesAfter: number;
  measured: Measured;
}

/** Rewrites `folder` with the point's own data: incompressible files, OWN_SHARE of the dataset. */
function ownData(folder: string, datasetBytes: number): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (let left = Math.round(datasetBytes * OWN_SHARE), k = 0; left > 0; left -= OWN_FILE, k++) {
    writeFileSync(path.join(folder, `own-${k}.bin`), randomBytes(Math.min(OWN_FILE, left)));
  }
}

/** A tool's part of the benchmark: its repository, a backup of both folders, forget + compact, what the kept points need. */
interface Compactor {
  id: ToolId;
  init(): Promise<unknown>;
  backup(dataset: string, own: string): Promise<unknown>;
  forgetAndCompact(): Promise<Omit<CompactionOutcome, 'tool' | 'repoBytesBefore' | 'repoBytesAfter'>>;
  repo: string;
}

function ferryCompactor(id: 'ferry-enc' | 'ferry-plain', options: ToolOptions): Compactor {
  const repo = path.join(options.workDir, `compact-${id}`);
  const env = { ...process.env, FERRY_PASSWORD: PASSWORD, FERRY_DATA_DIR: path.join(options.workDir, `ferry-data-${id}`) };
  const run = (...args: string[]) => runFerry(options, env, args);
  return {
    id,
    repo,
    init: () => run('repo', 'init', repo, ...(id === 'ferry-enc' ? ['--encrypt'] : [])),
    backup: (dataset, own) => run('backup', repo, '--job', 'bench', '--workload', `data=${dataset}`, '--workload', `data=${own}`),
    async forgetAndCompact() {
      // The same work as restic's: retention applied (list, decide, forget), then the compaction.
      const measured = await run('forget', repo, '--job', 'bench', '--keep', String(KEEP));
      // What is stored and needed now, from a dry run (not timed).
      const report = (JSON.parse((await run('gc', repo, '--dry-run', '--json')).stdout) as { backups: { bytesNeeded: number; bytesBefore: number }[] }).backups[0]!;
      return { measured, neededBytes: report.bytesNeeded, packBytesAfter: report.bytesBefore };
    },
  };
}

function resticCompactor(options: ToolOptions): Compactor {
  const repo = path.join(options.workDir, 'compact-restic');
  const cache = resticCache(options);
  const env = { ...process.env, RESTIC_PASSWORD: PASSWORD, RESTIC_REPOSITORY: repo };
  const run = (...args: string[]) => runRestic(cache, env, args);
  return {
    id: 'restic',
    repo,
    init: () => run('init'),
    backup: (dataset, own) => run('backup', dataset, own),
    async forgetAndCompact() {
      const measured = await run('forget', '--keep-last', String(KEEP), '--prune');
      const stats = JSON.parse((await run('stats', '--mode', 'raw-data', '--json')).stdout) as { total_size: number };
      return { measured, neededBytes: stats.total_size, packBytesAfter: duBytes(path.join(repo, 'data')) };
    },
  };
}

/**
 * Ten backups per tool, of the dataset and of POINTS folders of its own (rewritten before
 * each point, the same for every tool), then the oldest five forgotten and compacted:
 * timed. `prepare` runs before the timed step (a quiet machine, an empty page cache).
 */
export async function compactionBench(options: ToolOptions & {
  tools: readonly ToolId[];
  dataset: string;
  datasetBytes: number;
  prepare: () => Promise<void>;
  log: (line: string) => void;
}): Promise<CompactionOutcome[]> {
  const compactors = options.tools.map((id) => (id === 'restic' ? resticCompactor(options) : ferryCompactor(id, options)));
  for (const compactor of compactors) {
    rmSync(compactor.repo, { recursive: true, force: true });
    await compactor.init();
  }
  const own = path.join(options.workDir, 'own');
  for (let point = 1; point <= POINTS; point++) {
    ownData(own, options.datasetBytes);
    for (const compactor of compactors) await compactor.backup(options.dataset, own);
    options.log(`  compaction: point ${point}/${POINTS} backed up by ${compactors.length} tool(s)`);
  }
  rmSync(own, { recursive: true, force: true });
  const outcomes: CompactionOutcome[] = [];
  for (const compactor of compactors) {
    const repoBytesBefore = duBytes(compactor.repo);
    await options.prepare();
    const outcome = await compactor.forgetAndCompact();
    outcomes.push({ tool: compactor.id, ...outcome, repoBytesBefore, repoBytesAfter: duBytes(compactor.repo) });
    rmSync(compactor.repo, { recursive: true, force: true });
  }
  return outcomes;
}

/** A generated backup of `blobs` blobs in `files` index files (real tiny packs), then `ferry gc` on it: timed. */
export async function consolidationBench(options: ToolOptions & { blobs: number; files: number; prepare: () => Promise<void> }): Promise<ConsolidationOutcome> {
  const repo = path.join(options.workDir, 'consolidation');
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const { backup } = await manyIndexFiles(new LocalFolderStore(repo), { blobs: options.blobs, files: options.files });
  const indexFiles = () => readdirSync(path.join(repo, backup.folder, 'index')).length;
  const indexFilesBefore = indexFiles();
  await options.prepare();
  const measured = await runFerry(options, { ...process.env, FERRY_DATA_DIR: path.join(options.workDir, 'ferry-data-consolidation') }, ['gc', repo, '--json']);
  const outcome = { blobs: options.blobs, indexFilesBefore, indexFilesAfter: indexFiles(), measured };
  rmSync(repo, { recursive: true, force: true });
  return outcome;
}
