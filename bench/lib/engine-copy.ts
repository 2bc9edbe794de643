// The copy benchmark's route through a running engine, as the product runs a backup copy
// job: `ferry serve` (the engine and its console host) starts once per round, a
// backup-copy job is made over the engine's contract (its WebSocket, as the console
// talks to it), and each timed copy is one run of that job, from jobs.start to its
// session's end (the session record and the target's rescan included). The engine stays
// up between the full and the incremental copy, as it does between scheduled runs: its
// modules are loaded and the keys its passwords derive are kept. Not timed: starting
// the engine, registering the repositories, unlocking the source and making the job.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { runToEnd } from '../../app/cli/job-commands.ts';
import { engineContract } from '../../shared/contract/engine.ts';
import { RpcClient } from '../../shared/rpc/client.ts';
import { webSocketChannel } from '../../shared/rpc/transports/websocket.ts';
import { startServeProcess, stopProcess } from '../../test/serve-process.ts';
import type { CopyOutcome, CopyRouteOptions } from './copy.ts';
import { busyCpuSeconds, type Measured } from './measure.ts';
import { FERRY_BIN, PASSWORD } from './tools.ts';

type Client = RpcClient<typeof engineContract>;

interface RunningEngine {
  child: ChildProcess;
  client: Client;
  jobId: string;
}

/** CPU seconds (user, system) the process has used so far, from /proc/<pid>/stat. */
function cpuOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** The process's peak resident set since start or the last reset (VmHWM), bytes. */
function peakRssOf(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** `ferry serve --json` on a port of its own; however the benchmark ends, the engine ends with it. */
async function startServe(options: CopyRouteOptions, dataDir: string): Promise<{ child: ChildProcess; url: URL }> {
  const served = await startServeProcess([...(options.nodeFlags ?? []), FERRY_BIN, 'serve', '--json', '--data-dir', dataDir]);
  const kill = () => served.child.kill();
  process.once('exit', kill);
  served.child.once('exit', () => process.off('exit', kill));
  return served;
}

async function connect(url: URL): Promise<Client> {
  const socket = new WebSocket(`ws://${url.host}/rpc`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return new RpcClient(engineContract, webSocketChannel(socket));
}

export interface EngineCopyOptions {
  options: CopyRouteOptions;
  /** The encrypted source repository folder. */
  source: string;
  /** The target repository folder, made encrypted with `targetPassword` beforehand. */
  target: string;
  targetPassword: string;
}

/** Starts the engine with the job (see the file's comment); `run()` is one timed copy. */
export async function startEngineCopy({ options, source, target, targetPassword }: EngineCopyOptions) {
  // A fresh data folder each round: the catalog of an earlier round's engine holds its repositories.
  const dataDir = path.join(options.workDir, 'ferry-data-copy-engine');
  rmSync(dataDir, { recursive: true, force: true });
  const { child, url } = await startServe(options, dataDir);
  const pid = child.pid!;
  let engine: RunningEngine | undefined;
  try {
    const client = await connect(url);
    const from = await client.call('repos.add', { name: 'bench-source', location: { kind: 'local', path: source } });
    const to = await client.call('repos.add', { name: 'bench-target', location: { kind: 'local', path: target } });
    for (const backup of await client.call('repos.rescan', { id: from.id })) {
      if (backup.encrypted) await client.call('backups.unlock', { repositoryId: from.id, folder: backup.folder, password: PASSWORD });
    }
    const job = await client.call('jobs.create', {
      definition: { kind: 'backup-copy', name: 'bench-copy', repositoryId: to.id, sources: [{ kind: 'repository', repositoryId: from.id }], storage: { compressionLevel: 3, encrypted: true } },
      password: targetPassword,
    });
    engine = { child, client, jobId: job.id };
  } finally {
    if (!engine) child.kill();
  }
  const running = engine;
  return {
    async run(): Promise<CopyOutcome> {
      const { client, jobId } = running;
      // The peak is the run's own: the engine's high-water mark is reset before it.
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const cpuBefore = cpuOf(pid);
      const busyBefore = busyCpuSeconds();
      const started = process.hrtime.bigint();
      const sessionId = await runToEnd(client, jobId);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = cpuOf(pid);
      const userSeconds = cpu.user - cpuBefore.user;
      const systemSeconds = cpu.system - cpuBefore.system;
      const measured: Measured = {
        seconds,
        peakRss: peakRssOf(pid),
        userSeconds,
        systemSeconds,
        otherCpuSeconds: Math.max(0, busyCpuSeconds() - busyBefore - userSeconds - systemSeconds),
        stdout: '',
        stderr: '',
      };
      const session = await client.call('sessions.get', { id: sessionId });
      if (session.result !== 'success' || session.tasks.length === 0 || session.tasks.some((t) => t.result !== 'success' || !t.pointId)) {
        throw new Error(`the engine's copy job did not copy one point per workload: ${JSON.stringify(session).slice(0, 2000)}`);
      }
      return { measured, reportedBytes: session.tasks.reduce((sum, t) => sum + t.bytesStored, 0) };
    },
    async stop(): Promise<void> {
      running.client.close();
      await stopProcess(running.child);
    },
  };
}

export type EngineCopy = Awaited<ReturnType<typeof startEngineCopy>>;
