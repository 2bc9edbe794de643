// Running a timed command: wall time from our side, peak RSS from GNU time (-v), and the
// helpers around it (page cache, repository sizes, machine description).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  /** Seconds, from spawning `time` to its exit (the tool's own start-up included). */
  seconds: number;
  /** GNU time's "Maximum resident set size": the largest RSS of any one process of the tree (ru_maxrss of the children), bytes. */
  peakRss: number;
  userSeconds: number;
  systemSeconds: number;
  /**
   * CPU seconds that other processes of the machine used during the command (all CPU
   * time from /proc/stat minus the command's own): shows when the machine was not quiet.
   */
  otherCpuSeconds: number;
  stdout: string;
  stderr: string;
}

export class CommandFailed extends Error {}

/** CPU seconds spent busy (user, nice, system, irq, softirq, steal) by all CPUs so far. */
export function busyCpuSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Exit codes that count as success (default [0]). */
  okCodes?: number[];
}

/** Runs `command` under `/usr/bin/time -v`; throws if it fails. */
export async function measure(command: string, args: string[], options: RunOptions = {}): Promise<Measured> {
  const report = path.join(tmpdir(), `ferry-bench-time-${process.pid}-${Date.now()}.txt`);
  const busyBefore = busyCpuSeconds();
  const started = process.hrtime.bigint();
  const child = spawn(GNU_TIME, ['-v', '-o', report, command, ...args], {
    env: options.env ?? process.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const busy = busyCpuSeconds() - busyBefore;
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  const timeText = existsSync(report) ? readFileSync(report, 'utf8') : '';
  rmSync(report, { force: true });
  if (!(options.okCodes ?? [0]).includes(code)) {
    throw new CommandFailed(`${command} ${args.join(' ')} exited with ${code}\n--- stderr (tail) ---\n${stderr.slice(-4000)}\n--- stdout (tail) ---\n${stdout.slice(-2000)}\n${timeText}`);
  }
  const field = (name: string) => {
    const match = new RegExp(`${name}[^:]*:\\s*([0-9.]+)`).exec(timeText);
    if (!match) throw new Error(`no "${name}" in the output of ${GNU_TIME} -v:\n${timeText}`);
    return Number(match[1]);
  };
  const userSeconds = field('User time');
  const systemSeconds = field('System time');
  return {
    seconds,
    peakRss: field('Maximum resident set size') * 1024,
    userSeconds,
    systemSeconds,
    otherCpuSeconds: Math.max(0, busy - userSeconds - systemSeconds),
    stdout,
    stderr,
  };
}

/** Drops the page cache (needs root and a writable /proc/sys); false when not permitted. */
export function dropCaches(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

/** Apparent size of everything under `dir` (du -sb), bytes. */
export function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split(/\s/)[0]);
}

export function fileCount(dir: string): number {
  return Number(execFileSync('sh', ['-c', 'find "$1" -type f | wc -l', 'sh', dir], { encoding: 'utf8' }).trim());
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memory: string;
  kernel: string;
  disk: string;
  os: string;
}

export function describeMachine(dataDir: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const flags = /flags\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.split(' ') ?? [];
  const features = ['sha_ni', 'aes', 'avx2', 'avx512f'].filter((f) => flags.includes(f));
  let disk = 'unknown';
  try {
    const [, line] = execFileSync('df', ['-hT', dataDir], { encoding: 'utf8' }).trim().split('\n');
    const [device, type, size] = line!.split(/\s+/);
    const name = path.basename(device ?? '');
    const rotational = existsSync(`/sys/block/${name}/queue/rotational`) ? readFileSync(`/sys/block/${name}/queue/rotational`, 'utf8').trim() : '?';
    disk = `${device} (${type}, ${size}; virtio block device reported as ${rotational === '1' ? 'rotational' : 'non-rotational'})`;
    if (!name.startsWith('vd')) disk = `${device} (${type}, ${size}, rotational=${rotational})`;
  } catch {
    /* keep unknown */
  }
  const os = existsSync('/etc/os-release') ? (/PRETTY_NAME="(.*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux') : 'Linux';
  return {
    cpuModel: `${model}${features.length ? ` (${features.join(', ')})` : ''}`,
    cores: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
    disk,
    os,
  };
}

/**
 * Waits until the rest of the machine is quiet (under `threshold` cores busy over one
 * second), at most `maxSeconds`; returns the seconds waited. For shared machines: a step
 * that starts while another job runs measures that job as much as the tool.
 */
export async function waitForQuiet(threshold = 0.2, maxSeconds = 30): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = busyCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = busyCpuSeconds() - before;
    const waited = (Date.now() - started) / 1000;
    if (busy < threshold || waited >= maxSeconds) return waited - 1;
  }
}
