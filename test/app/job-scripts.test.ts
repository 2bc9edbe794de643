import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runJobScript } from '../../app/jobs/scripts.ts';
import { processAlive } from '../../app/util/process-alive.ts';
import { jobScript } from '../../shared/domain/after-run.ts';
import { FerryError } from '../../shared/rpc/errors.ts';
import { tempDir } from '../helpers.ts';
import { startEngine } from './engine-harness.ts';

const posix = process.platform !== 'win32';

async function script(dir: string, name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A file's text, empty while it does not exist yet. */
function textOf(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function recorder() {
  const lines: { level: string; message: string }[] = [];
  return { lines, log: (level: string, message: string) => void lines.push({ level, message }) };
}

async function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('job scripts', { skip: posix ? false : 'the scripts here are POSIX shell scripts' }, () => {
  it('runs without a shell, with its arguments, the job in the environment and not the engine\'s FERRY_* secrets; its output goes to the log', async (t) => {
    const dir = await tempDir(t);
    const file = await script(
      dir,
      'env.sh',
      'echo "args: $1|$2"\necho "job=$FERRY_JOB_NAME session=$FERRY_SESSION_ID result=${FERRY_RESULT-unset} key=${FERRY_SECRET_KEY-unset}"\necho "to stderr" >&2\nprintf "no newline"',
    );
    const saved = process.env.FERRY_SECRET_KEY;
    process.env.FERRY_SECRET_KEY = 'a'.repeat(64);
    t.after(() => {
      if (saved === undefined) delete process.env.FERRY_SECRET_KEY;
      else process.env.FERRY_SECRET_KEY = saved;
    });
    const { lines, log } = recorder();
    const ok = await runJobScript({
      script: jobScript.parse({ path: file, args: ['two words', '$HOME;rm'] }),
      when: 'after',
      job: { name: 'Nightly', sessionId: 's-1', result: 'warning' },
      log,
    });
    assert.equal(ok, true);
    assert.deepEqual(
      lines.filter((line) => line.message.startsWith('[after script]')),
      [
        { level: 'info', message: '[after script] args: two words|$HOME;rm' },
        { level: 'info', message: '[after script] job=Nightly session=s-1 result=warning key=unset' },
        { level: 'warning', message: '[after script] to stderr' },
        { level: 'info', message: '[after script] no newline' },
      ],
    );
    assert.match(lines.at(-1)!.message, /ended successfully/);
  });

  it('reports a failing script, and one that cannot start, as warnings', async (t) => {
    const dir = await tempDir(t);
    const failing = await script(dir, 'fail.sh', 'echo "disk not mounted" >&2\nexit 3');
    const first = recorder();
    assert.equal(await runJobScript({ script: jobScript.parse({ path: failing }), when: 'before', job: { name: 'J', sessionId: 's' }, log: first.log }), false);
    assert.deepEqual(first.lines.at(-1), { level: 'warning', message: `The script before the job (${failing}) failed: exit code 3.` });
    assert.ok(first.lines.some((line) => line.message === '[before script] disk not mounted'));

    const missing = recorder();
    const nowhere = path.join(dir, 'missing.sh');
    assert.equal(await runJobScript({ script: jobScript.parse({ path: nowhere }), when: 'before', job: { name: 'J', sessionId: 's' }, log: missing.log }), false);
    assert.equal(missing.lines.at(-1)!.message, `The script before the job (${nowhere}) could not start: it does not exist.`);

    const notExecutable = path.join(dir, 'plain.txt');
    await writeFile(notExecutable, 'echo hi');
    const denied = recorder();
    assert.equal(await runJobScript({ script: jobScript.parse({ path: notExecutable }), when: 'after', job: { name: 'J', sessionId: 's', result: 'success' }, log: denied.log }), false);
    assert.match(denied.lines.at(-1)!.message, /could not start: permission denied\.$/);
  });

  it('kills a script that outlives its timeout, with the processes it started', async (t) => {
    const dir = await tempDir(t);
    const pids = path.join(dir, 'pids');
    const hung = await script(dir, 'hang.sh', `sleep 60 &\necho $! > ${pids}\necho $$ >> ${pids}\necho started\nwait`);
    const { lines, log } = recorder();
    const began = Date.now();
    const ok = await runJobScript({ script: jobScript.parse({ path: hung }), when: 'before', job: { name: 'J', sessionId: 's' }, log, timeoutMs: 400 });
    assert.equal(ok, false);
    assert.ok(Date.now() - began < 3000, 'the run does not wait for the script');
    assert.match(lines.at(-1)!.message, /did not end within .* killed with the processes it started/);
    const [child, parent] = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    await waitUntil(() => !processAlive(child!) && !processAlive(parent!));
  });

  it('keeps at most 200 lines of a chatty script', async (t) => {
    const dir = await tempDir(t);
    const chatty = await script(dir, 'chatty.sh', 'i=0; while [ $i -lt 5000 ]; do echo "line $i"; i=$((i+1)); done');
    const { lines, log } = recorder();
    assert.equal(await runJobScript({ script: jobScript.parse({ path: chatty }), when: 'after', job: { name: 'J', sessionId: 's', result: 'success' }, log }), true);
    assert.equal(lines.filter((line) => /^\[after script\] line \d+$/.test(line.message)).length, 200);
    assert.ok(lines.some((line) => /more output left out/.test(line.message)));
  });

  it('refuses a relative path or a timeout of 0 at the field', async (t) => {
    const { client } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const definition = (scripts: unknown) => ({
      kind: 'folder-backup' as const,
      name: 'J',
      repositoryId: repo!.id,
      workloads: [{ name: 'w', folders: ['/tmp'] }],
      scripts: scripts as never,
    });
    await assert.rejects(
      client.call('jobs.create', { definition: definition({ before: { path: 'scripts/pre.sh' } }) }),
      (e: unknown) => e instanceof FerryError && /absolute path/.test(e.details?.fields?.['definition.scripts.before.path'] ?? ''),
    );
    await assert.rejects(
      client.call('jobs.create', { definition: definition({ after: { path: '/bin/true', timeoutSeconds: 0 } }) }),
      (e: unknown) => e instanceof FerryError && /at least 1 second/.test(e.details?.fields?.['definition.scripts.after.timeoutSeconds'] ?? ''),
    );
  });

  it('in a job: a failing pre-script and a hung post-script are warnings of the session, the workloads keep their results', async (t) => {
    const root = await tempDir(t);
    const source = path.join(root, 'source');
    await mkdir(source);
    await writeFile(path.join(source, 'a.txt'), 'data');
    const seen = path.join(root, 'seen');
    const before = await script(root, 'before.sh', 'echo "before: $FERRY_JOB_NAME" >&2\nexit 1');
    const after = await script(root, 'after.sh', `echo "$FERRY_JOB_NAME|$FERRY_SESSION_ID|$FERRY_RESULT" > ${seen}\nsleep 60`);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const job = await client.call('jobs.create', {
      definition: {
        kind: 'folder-backup',
        name: 'Scripted',
        repositoryId: repo!.id,
        workloads: [{ name: 'docs', folders: [source] }],
        scripts: { before: { path: before }, after: { path: after, timeoutSeconds: 1 } },
      },
    });
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    await engine.jobs.settled(job.id);
    const session = await client.call('sessions.get', { id: sessionId });
    assert.equal(session.result, 'warning');
    assert.deepEqual(session.tasks.map((task) => [task.workload, task.result]), [['docs', 'success']]);
    assert.equal(await readFile(seen, 'utf8'), `Scripted|${sessionId}|warning\n`);
    const messages = session.log.map((line) => `${line.level}: ${line.message}`);
    assert.ok(messages.includes('warning: [before script] before: Scripted'));
    assert.ok(messages.includes(`warning: The script before the job (${before}) failed: exit code 1.`));
    assert.ok(messages.some((m) => m.startsWith(`warning: The script after the job (${after}) did not end within 1 s`)));
    const order = ['The script before the job', 'docs: success', 'The script after the job'].map((text) => messages.findIndex((m) => m.includes(text)));
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'before, then the work, then after');
  });

  it('in a job: Stop kills the script before the job at once', { timeout: 20_000 }, async (t) => {
    const root = await tempDir(t);
    const pidFile = path.join(root, 'pid');
    const before = await script(root, 'before.sh', `echo $$ > ${pidFile}\nsleep 60`);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Stopped', repositoryId: repo!.id, workloads: [{ name: 'docs', folders: [root] }], scripts: { before: { path: before } } },
    });
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    await waitUntil(() => (engine.catalog.db.prepare('SELECT 1 FROM session_log WHERE session_id = ? AND message LIKE ?').get(sessionId, '%started.') ?? null) !== null);
    await waitUntil(() => Number.isInteger(Number.parseInt(textOf(pidFile), 10)));
    const began = Date.now();
    assert.deepEqual(await client.call('jobs.stop', { id: job.id }), { stopping: true });
    await engine.jobs.settled(job.id);
    assert.ok(Date.now() - began < 5000, 'the stop did not wait for the script');
    const session = await client.call('sessions.get', { id: sessionId });
    assert.ok(session.log.some((line) => line.level === 'warning' && line.message === `The script before the job (${before}) was stopped with the job: it was killed with the processes it started.`));
    await waitUntil(() => !processAlive(Number.parseInt(textOf(pidFile), 10)));
  });

  it('in a job: successful scripts leave a successful session', async (t) => {
    const root = await tempDir(t);
    const source = path.join(root, 'source');
    await mkdir(source);
    await writeFile(path.join(source, 'a.txt'), 'data');
    const seen = path.join(root, 'seen');
    const after = await script(root, 'after.sh', `echo "$FERRY_RESULT" > ${seen}`);
    const { client, engine } = await startEngine(t);
    const [repo] = await client.call('repos.list', {});
    const job = await client.call('jobs.create', {
      definition: { kind: 'folder-backup', name: 'Quiet', repositoryId: repo!.id, workloads: [{ name: 'docs', folders: [source] }], scripts: { after: { path: after } } },
    });
    const { sessionId } = await client.call('jobs.start', { id: job.id });
    await engine.jobs.settled(job.id);
    assert.equal((await client.call('sessions.get', { id: sessionId })).result, 'success');
    assert.equal(await readFile(seen, 'utf8'), 'success\n');
  });
});
