import { spawn } from 'node:child_process';
import type { JobScript } from '../../shared/domain/after-run.ts';
import type { SessionResult } from '../../shared/domain/job.ts';
import { errnoWords } from '../util/errno-words.ts';

/** What a script's run leaves in the session log. */
export type ScriptLog = (level: 'info' | 'warning', message: string) => void;

/** Output kept per script: a chatty script must not fill the catalog. */
const MAX_OUTPUT_LINES = 200;
const MAX_LINE_CHARS = 1000;

/**
 * The engine's environment without what is the engine's own: `FERRY_*` (the secret
 * store's key may be there), and the runtime's `NODE_*` / `ELECTRON_*` switches.
 */
function scriptEnvironment(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(FERRY_|NODE_|ELECTRON_)/i.test(name)) env[name] = value;
  }
  return { ...env, ...vars };
}

/** Kills the script and whatever it started (its own process group on POSIX). */
function killTree(pid: number): void {
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Runs a job's script before or after its work: no shell, the job's name, session and
 * (after) result in the environment, its output line by line in the session log.
 * Never throws: a script that cannot start, fails or outlives its timeout (killed with
 * its process group) is a warning, and the answer says whether it succeeded.
 */
export function runJobScript(options: {
  script: JobScript;
  when: 'before' | 'after';
  job: { name: string; sessionId: string; result?: SessionResult };
  log: ScriptLog;
  /** Tests shorten the timeout below a second; the job's own is in seconds. */
  timeoutMs?: number;
  /** Stopping the job kills the script at once (the script before the job; the one after runs to its end or timeout). */
  signal?: AbortSignal;
}): Promise<boolean> {
  const { script, when, job, log } = options;
  const label = `The script ${when} the job (${script.path})`;
  const vars: Record<string, string> = { FERRY_JOB_NAME: job.name, FERRY_SESSION_ID: job.sessionId };
  if (job.result !== undefined) vars.FERRY_RESULT = job.result;
  const timeoutMs = options.timeoutMs ?? script.timeoutSeconds * 1000;
  log('info', `${label} started.`);
  return new Promise((resolve) => {
    let lines = 0;
    let settled = false;
    const finish = (ok: boolean, level: 'info' | 'warning', message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      log(level, message);
      resolve(ok);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(script.path, script.args, {
        env: scriptEnvironment(vars),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a timeout kills what it started too.
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      log('warning', `${label} could not start: ${errnoWords(error)}.`);
      return resolve(false);
    }
    const kill = (why: string) => {
      if (child.pid !== undefined) killTree(child.pid);
      // Something it started may hold the output open after the kill: stop reading.
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish(false, 'warning', `${label} ${why}: it was killed with the processes it started.`);
    };
    const timer = setTimeout(() => kill(`did not end within ${timeoutMs / 1000} s`), timeoutMs);
    const onAbort = () => kill('was stopped with the job');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const emit = (level: 'info' | 'warning', line: string) => {
      lines += 1;
      if (lines <= MAX_OUTPUT_LINES) log(level, `[${when} script] ${line.slice(0, MAX_LINE_CHARS)}`);
      else if (lines === MAX_OUTPUT_LINES + 1) log('warning', `[${when} script] more output left out (only the first ${MAX_OUTPUT_LINES} lines are kept).`);
    };
    // stdout lines are info, stderr lines warnings; a last line without a newline counts too.
    const streams = [
      { stream: child.stdout, level: 'info' as const, rest: '' },
      { stream: child.stderr, level: 'warning' as const, rest: '' },
    ];
    for (const entry of streams) {
      entry.stream?.on('data', (chunk: Buffer) => {
        const parts = (entry.rest + chunk.toString('utf8')).split(/\r?\n/);
        entry.rest = parts.pop() ?? '';
        if (entry.rest.length > MAX_LINE_CHARS) {
          parts.push(entry.rest);
          entry.rest = '';
        }
        for (const line of parts) emit(entry.level, line);
      });
      entry.stream?.on('error', () => undefined);
    }
    const flush = () => {
      for (const entry of streams) {
        if (entry.rest !== '') emit(entry.level, entry.rest);
        entry.rest = '';
      }
    };
    child.on('error', (error) => finish(false, 'warning', `${label} could not start: ${errnoWords(error)}.`));
    child.on('close', (code, signal) => {
      flush();
      if (code === 0) finish(true, 'info', `${label} ended successfully.`);
      else finish(false, 'warning', `${label} failed: ${signal ? `killed by ${signal}` : `exit code ${code}`}.`);
    });
  });
}
