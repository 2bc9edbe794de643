import { type ChildProcess, spawn } from 'node:child_process';

export interface ServeProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long it may take to print its address (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts `ferry serve` (`args`: what follows the Node executable: flags, the entry, `serve`
 * and its options) and resolves with the URL it prints, as text ("Ferry console: …") or in
 * its --json output, and what it wrote until then. Rejects with what it wrote when it exits
 * first, or prints no URL in time.
 */
export function startServeProcess(args: readonly string[], options: ServeProcessOptions = {}): Promise<{ child: ChildProcess; url: URL; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: options.env ?? process.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both streams are read to the end (a full pipe would stall the server); kept until the URL is out.
    let output = '';
    let started = false;
    const keep = (chunk: Buffer) => {
      if (!started) output += chunk.toString();
    };
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`ferry serve ${why}:\n${output.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`printed no URL in ${(options.timeoutMs ?? 30_000) / 1000} s`), options.timeoutMs ?? 30_000);
    const onExit = (code: number | null) => fail(`exited with ${code} before it printed its URL`);
    child.once('exit', onExit);
    child.stderr.on('data', keep);
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = started ? null : /Ferry console: (\S+)|"url": "([^"]+)"/.exec(output);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ child, url: new URL(match[1] ?? match[2]!), output });
    });
  });
}

/** Ends the process (SIGTERM) and resolves once it has exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
