// The tools under test, behind one interface: Ferry (encrypted and plain repositories) and
// restic. Each step runs one command of the tool's own CLI, as a user would.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type Measured } from './measure.ts';

/** The bundled CLI, as `npm run build` makes it (scripts/build-engine.mjs): buildFerry() first. */
export const FERRY_BIN = fileURLToPath(new URL('../../dist/engine/ferry.mjs', import.meta.url));

/** Builds the engine's bundles, so the run measures the current sources. */
export function buildFerry(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build-engine.mjs', import.meta.url))], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
}
export const PASSWORD = 'ferry-bench-password';

export type ToolId = 'ferry-enc' | 'ferry-plain' | 'restic';
export const TOOL_IDS: readonly ToolId[] = ['ferry-enc', 'ferry-plain', 'restic'];

export interface BackupOutcome extends Measured {
  /** Plaintext bytes of the new chunks (and trees), before compression, as the tool reports them (Ferry: stats.bytesNew; restic: data_added). */
  newPlainBytes: number;
}

export interface Tool {
  id: ToolId;
  label: string;
  repo: string;
  init(): Promise<Measured>;
  backup(source: string): Promise<BackupOutcome>;
  /** Restores the newest backup into `target`; returns where the source's content is inside it. */
  restore(source: string, target: string): Promise<{ measured: Measured; root: string }>;
  verify(): Promise<Measured>;
}

export interface ToolOptions {
  workDir: string;
  /** Extra node flags for Ferry (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export function makeTool(id: ToolId, options: ToolOptions): Tool {
  return id === 'restic' ? restic(options) : ferry(id, options);
}

/** Runs one Ferry CLI command (the bundle, with the run's node flags) under measure(). */
export function runFerry(options: ToolOptions, env: NodeJS.ProcessEnv, args: string[]): Promise<Measured> {
  return measure(process.execPath, [...(options.nodeFlags ?? []), FERRY_BIN, ...args], { env });
}

/**
 * restic's default cache, but in the work folder (and so deleted with it): a user's cache
 * survives between runs, so it is kept across the steps of one benchmark run.
 */
export function resticCache(options: ToolOptions): string {
  const cache = path.join(options.workDir, 'restic-cache');
  mkdirSync(cache, { recursive: true });
  return cache;
}

/** Runs one restic command with the run's cache under measure(). */
export function runRestic(cache: string, env: NodeJS.ProcessEnv, args: string[]): Promise<Measured> {
  return measure('restic', ['--cache-dir', cache, ...args], { env: { RESTIC_PROGRESS_FPS: '0.2', ...env, RESTIC_CACHE_DIR: cache } });
}

function ferry(id: 'ferry-enc' | 'ferry-plain', options: ToolOptions): Tool {
  const encrypted = id === 'ferry-enc';
  const repo = path.join(options.workDir, `repo-${id}`);
  const dataDir = path.join(options.workDir, `ferry-data-${id}`);
  const env = { ...process.env, FERRY_PASSWORD: PASSWORD, FERRY_DATA_DIR: dataDir };
  const run = (...args: string[]) => runFerry(options, env, args);
  let newestPoint: string | undefined;
  return {
    id,
    label: encrypted ? 'Ferry (encrypted)' : 'Ferry (plain)',
    repo,
    init: () => run('repo', 'init', repo, ...(encrypted ? ['--encrypt'] : []), '--json'),
    async backup(source) {
      const measured = await run('backup', repo, '--job', 'bench', '--workload', `data=${source}`, '--json');
      const tasks = JSON.parse(measured.stdout) as { result: string; reason?: string; point?: string; stats?: { bytesNew: number } }[];
      const task = tasks[0];
      if (!task || task.result !== 'success' || !task.point) throw new Error(`Ferry backup did not succeed: ${measured.stdout}`);
      newestPoint = task.point;
      return { ...measured, newPlainBytes: task.stats?.bytesNew ?? 0 };
    },
    async restore(source, target) {
      if (!newestPoint) throw new Error('no Ferry backup to restore');
      const measured = await run('restore', repo, newestPoint, target, '--json');
      const result = JSON.parse(measured.stdout) as { problems: unknown[] };
      if (result.problems.length > 0) throw new Error(`Ferry restore reported problems: ${measured.stdout.slice(0, 2000)}`);
      // A point's tree has one top-level folder per backed-up folder, named after it.
      return { measured, root: path.join(target, path.basename(source)) };
    },
    async verify() {
      const measured = await run('verify', repo, '--json');
      const report = JSON.parse(measured.stdout) as { backups: { damage: unknown[]; blobsChecked: number }[] };
      if (report.backups.length === 0 || report.backups.some((b) => b.damage.length > 0 || b.blobsChecked === 0)) {
        throw new Error(`Ferry verify found damage or checked nothing: ${measured.stdout.slice(0, 2000)}`);
      }
      return measured;
    },
  };
}

function restic(options: ToolOptions): Tool {
  const repo = path.join(options.workDir, 'repo-restic');
  const cache = resticCache(options);
  const env = { ...process.env, RESTIC_PASSWORD: PASSWORD, RESTIC_REPOSITORY: repo };
  const run = (...args: string[]) => runRestic(cache, env, args);
  return {
    id: 'restic',
    label: 'restic',
    repo,
    init: () => run('init'),
    async backup(source) {
      const measured = await run('backup', '--json', source);
      const summary = measured.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { message_type: string; data_added?: number })
        .find((m) => m.message_type === 'summary');
      if (!summary) throw new Error(`restic backup printed no summary: ${measured.stdout.slice(-2000)}`);
      return { ...measured, newPlainBytes: summary.data_added ?? 0 };
    },
    async restore(source, target) {
      const measured = await run('restore', 'latest', '--target', target);
      // restic restores the absolute path of what was backed up under the target.
      return { measured, root: path.join(target, path.resolve(source)) };
    },
    verify: () => run('check', '--read-data'),
  };
}
