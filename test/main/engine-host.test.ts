import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import {
  type EngineChildProcess,
  type EngineForkOptions,
  EngineProcessHost,
  type EnginePortTarget,
  type EngineTimers,
  type MainToEngineMessage,
} from '../../main/engine-host.ts';

class FakePort {
  static next = 0;
  readonly id = ++FakePort.next;
  closed = false;
  close(): void {
    this.closed = true;
  }
}

class FakeChild extends EventEmitter implements EngineChildProcess<FakePort> {
  readonly pid: number;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: Array<{ message: MainToEngineMessage; transfer: FakePort[] }> = [];
  killed = false;
  private spawned = false;

  constructor(pid: number) {
    super();
    this.pid = pid;
  }

  postMessage(message: MainToEngineMessage, transfer: FakePort[] = []): void {
    this.posted.push({ message, transfer });
  }

  kill(): boolean {
    this.killed = true;
    return true;
  }

  /** What the process and the engine do: spawn (implied by the others), say ready / fatal, or exit. */
  spawn(): void {
    if (this.spawned) return;
    this.spawned = true;
    this.emit('spawn');
  }
  ready(): void {
    this.spawn();
    this.emit('message', { type: 'ready' });
  }
  exit(code: number): void {
    this.spawn();
    this.emit('exit', code);
  }
  /** The process could not be launched: it exits without ever spawning. */
  launchFails(code: number): void {
    this.emit('exit', code);
  }
}

class FakeWindow extends EventEmitter implements EnginePortTarget<FakePort> {
  readonly id: number;
  destroyed = false;
  readonly received: Array<{ channel: string; message: unknown; transfer: FakePort[] }> = [];

  constructor(id: number) {
    super();
    this.id = id;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: string, message: unknown, transfer: FakePort[] = []): void {
    this.received.push({ channel, message, transfer });
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** A manual clock: timers fire only when advanced. */
class FakeTimers implements EngineTimers {
  time = 0;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

const NONCE = 'n0nce-0f-the-page-1';

function setup(secretKeys: string[] = ['ab'.repeat(32)], options: { mainPorts?: FakePort[] } = {}) {
  const timers = new FakeTimers();
  const { mainPorts } = options;
  const children: FakeChild[] = [];
  const forks: Array<{ modulePath: string; args: string[]; options: EngineForkOptions }> = [];
  const lines: string[] = [];
  const fatal: string[] = [];
  const gaveUp: string[] = [];
  /** Windows that navigated away from the console. */
  const elsewhere = new Set<number>();
  const host = new EngineProcessHost<FakePort>({
    modulePath: '/app/dist/engine/utility.cjs',
    dataDir: '/data/ferry',
    env: { PATH: '/usr/bin' },
    showsConsole: (target) => !elsewhere.has(target.id),
    fork: (modulePath, args, options) => {
      forks.push({ modulePath, args, options });
      const child = new FakeChild(1000 + children.length);
      children.push(child);
      return child;
    },
    createChannel: () => ({ port1: new FakePort(), port2: new FakePort() }),
    secretKey: () =>
      secretKeys.length > 0 ? Promise.resolve({ key: secretKeys.shift()!, source: 'test' }) : Promise.reject(new Error('no keychain')),
    log: {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    },
    onFatal: (message) => fatal.push(message),
    onGiveUp: (reason) => gaveUp.push(reason),
    ...(mainPorts ? { onMainPort: (port: FakePort) => void mainPorts.push(port) } : {}),
    timers,
  });
  const child = (index = children.length - 1): FakeChild => {
    const found = children[index];
    assert.ok(found, `child ${index} exists`);
    return found;
  };
  return { host, timers, children, child, forks, lines, fatal, gaveUp, elsewhere };
}

describe('EngineProcessHost', () => {
  it('forks the engine with the data dir, the service name and piped output', () => {
    const { host, forks } = setup();
    host.start();
    host.start(); // no second process
    assert.deepEqual(forks, [
      {
        modulePath: '/app/dist/engine/utility.cjs',
        args: ['--data-dir', '/data/ferry'],
        options: { serviceName: 'Ferry engine', stdio: 'pipe', env: { PATH: '/usr/bin' } },
      },
    ]);
    assert.equal(host.state, 'starting');
  });

  it('gives main its own port to the engine after each ready, a restarted engine too', () => {
    const mainPorts: FakePort[] = [];
    const { host, child, timers } = setup(['ab'.repeat(32), 'cd'.repeat(32)], { mainPorts });
    host.start();
    assert.equal(mainPorts.length, 0, 'none before ready');
    child().ready();
    assert.equal(mainPorts.length, 1);
    const toEngine = child().posted.find((posted) => posted.message.type === 'connect');
    assert.deepEqual(toEngine?.message, { type: 'connect' }, 'no windowId: the engine keeps it apart from the windows');
    assert.equal(toEngine.transfer.length, 1);
    assert.notEqual(toEngine.transfer[0], mainPorts[0], 'the two ends of one channel');

    timers.advance(120_000);
    child().exit(1);
    timers.advance(60_000);
    child().ready();
    assert.equal(mainPorts.length, 2, 'a fresh port from the restarted engine');
    assert.notEqual(mainPorts[1], mainPorts[0]);
  });

  it('brokers a channel per window once the engine is ready', () => {
    const { host, child } = setup();
    host.start();
    const window = new FakeWindow(1);
    host.connect(window, NONCE);
    assert.equal(window.received.length, 0, 'no port before ready');
    assert.equal(child().posted.length, 0);

    child().ready();
    assert.equal(host.state, 'running');
    assert.equal(window.received.length, 1);
    const toWindow = window.received[0]!;
    const toEngine = child().posted[0]!;
    assert.equal(toWindow.channel, 'ferry:engine-port');
    assert.deepEqual(toWindow.message, { nonce: NONCE });
    assert.deepEqual(toEngine.message, { type: 'connect', windowId: 1 });
    assert.equal(toWindow.transfer.length, 1);
    assert.equal(toEngine.transfer.length, 1);
    assert.notEqual(toWindow.transfer[0], toEngine.transfer[0]);

    // Asking again (page reload) gets a new channel right away.
    host.connect(window, NONCE);
    assert.equal(window.received.length, 2);
    assert.equal(child().posted.length, 2);
    assert.notEqual(window.received[1]!.transfer[0], toWindow.transfer[0]);
  });

  it('hands the engine the key of its secrets file once it is ready, or null and why not', async () => {
    const { host, child, lines } = setup(['cd'.repeat(32)]);
    host.start();
    child().ready();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(child().posted.at(-1)?.message, { type: 'secret-key', key: 'cd'.repeat(32), source: 'test' });

    const without = setup([]);
    without.host.start();
    without.child().ready();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(without.child().posted.at(-1)?.message, { type: 'secret-key', key: null, reason: 'no keychain' });
    assert.ok(without.lines.some((line) => line.includes('no keychain')));
    assert.ok(lines.every((line) => !line.includes('no keychain')));
  });

  it('coalesces repeated requests while the engine starts', () => {
    const { host, child } = setup();
    host.start();
    const window = new FakeWindow(1);
    host.connect(window, NONCE);
    host.connect(window, NONCE);
    host.connect(window, NONCE);
    child().ready();
    assert.equal(window.received.length, 1);
  });

  it('restarts a crashed engine after 1 s and reconnects every window', () => {
    const { host, timers, children, child } = setup();
    host.start();
    const a = new FakeWindow(1);
    const b = new FakeWindow(2);
    host.connect(a, NONCE);
    host.connect(b, NONCE);
    child().ready();
    timers.advance(5_000);

    child().exit(139);
    assert.equal(host.state, 'waiting-restart');
    timers.advance(999);
    assert.equal(children.length, 1);
    timers.advance(1);
    assert.equal(children.length, 2);

    child(1).ready();
    assert.equal(a.received.length, 2);
    assert.equal(b.received.length, 2);
    assert.equal(child(1).posted.filter((p) => p.message.type === 'connect').length, 2);
  });

  it('treats an exit with code 0 it did not ask for as a crash', () => {
    const { host, timers, children, child } = setup();
    host.start();
    child().ready();
    child().exit(0);
    timers.advance(1_000);
    assert.equal(children.length, 2);
  });

  it('gives up after 5 crashes within 60 s, and restart() starts over', () => {
    const { host, timers, children, child, gaveUp } = setup();
    host.start();
    // Crash right after every restart: at 0, 1, 3, 7 and 15 s.
    const delays = [1_000, 2_000, 4_000, 8_000];
    for (const delay of delays) {
      child().exit(1);
      timers.advance(delay);
    }
    assert.equal(children.length, 5);
    assert.equal(gaveUp.length, 0);
    child().exit(1);
    assert.equal(gaveUp.length, 1);
    assert.match(gaveUp[0]!, /5 times within 60 seconds/);
    assert.equal(host.state, 'failed');
    timers.advance(120_000);
    assert.equal(children.length, 5, 'no restart after giving up');

    const window = new FakeWindow(7);
    host.connect(window, NONCE);
    host.restart();
    assert.equal(children.length, 6);
    child().ready();
    assert.equal(window.received.length, 1);
    // The history was reset: the next crash restarts after 1 s again.
    child().exit(1);
    timers.advance(1_000);
    assert.equal(children.length, 7);
  });

  it('keeps restarting a slow crash loop, backing off to 30 s', () => {
    const { host, timers, children, child, gaveUp } = setup();
    host.start();
    for (let i = 0; i < 10; i++) {
      timers.advance(20_000); // runs 20 s, then crashes
      child().exit(1);
      timers.advance(30_000);
    }
    assert.equal(gaveUp.length, 0);
    assert.equal(children.length, 11);
  });

  it('shows a fatal start error once and does not restart', () => {
    const { host, timers, children, child, fatal } = setup();
    host.start();
    child().emit('message', { type: 'fatal', message: 'The catalog was written by a newer Ferry.' });
    assert.deepEqual(fatal, ['The catalog was written by a newer Ferry.']);
    assert.equal(child().killed, true);
    assert.equal(host.state, 'failed');
    child().exit(1);
    timers.advance(60_000);
    assert.equal(children.length, 1);
  });

  it('stops cleanly: shutdown message, exit, no restart', async () => {
    const { host, timers, children, child } = setup();
    host.start();
    child().ready();
    const stopped = host.stop();
    assert.deepEqual(child().posted.at(-1)?.message, { type: 'shutdown' });
    assert.equal(host.state, 'stopping');
    child().exit(0);
    await stopped;
    assert.equal(host.state, 'stopped');
    assert.equal(child().killed, false);
    timers.advance(60_000);
    assert.equal(children.length, 1);
    assert.equal(timers.pending, 0);
    // Later connects are ignored.
    const window = new FakeWindow(1);
    host.connect(window, NONCE);
    assert.equal(window.received.length, 0);
  });

  it('kills an engine that does not stop within 5 s', async () => {
    const { host, timers, child } = setup();
    host.start();
    child().ready();
    let done = false;
    const stopped = host.stop().then(() => {
      done = true;
    });
    timers.advance(4_999);
    assert.equal(child().killed, false);
    timers.advance(1);
    assert.equal(child().killed, true);
    child().exit(9);
    await stopped;
    assert.equal(done, true);
    assert.equal(host.state, 'stopped');
  });

  it('resolves stop() even when a killed engine never reports its exit', async () => {
    const { host, timers, child } = setup();
    host.start();
    const stopped = host.stop();
    timers.advance(5_000);
    assert.equal(child().killed, true);
    timers.advance(2_000);
    await stopped;
    assert.equal(host.state, 'stopped');
  });

  it('stop() during a restart wait cancels the restart', async () => {
    const { host, timers, children, child } = setup();
    host.start();
    child().exit(1);
    await host.stop();
    timers.advance(60_000);
    assert.equal(children.length, 1);
    assert.equal(host.state, 'stopped');
  });

  it('forgets closed windows', () => {
    const { host, timers, child } = setup();
    host.start();
    const window = new FakeWindow(1);
    host.connect(window, NONCE);
    child().ready();
    window.destroy();
    child().exit(1);
    timers.advance(1_000);
    child().ready();
    assert.equal(window.received.length, 1);
    assert.equal(child().posted.length, 0);
  });

  it('forwards the engine output to the log line by line', async () => {
    const { host, child, lines } = setup();
    host.start();
    child().stdout.write('first line\nsecond ');
    child().stdout.write('part\r\n');
    child().stderr.write('oops\n');
    child().stdout.end('tail');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(lines.includes('info [engine] first line'));
    assert.ok(lines.includes('info [engine] second part'));
    assert.ok(lines.includes('info [engine] oops'));
    assert.ok(lines.includes('info [engine] tail'));
  });

  it('ignores events from a previous process', () => {
    const { host, timers, children, child } = setup();
    host.start();
    const first = child();
    first.exit(1);
    timers.advance(1_000);
    assert.equal(children.length, 2);
    first.ready(); // stale
    assert.equal(host.state, 'starting');
    first.exit(1); // stale
    assert.equal(host.state, 'starting');
  });

  it('posts each port with the nonce of the latest request', () => {
    const { host, timers, child } = setup();
    host.start();
    const window = new FakeWindow(1);
    host.connect(window, 'first-request-000001');
    host.connect(window, 'second-request-00002');
    child().ready();
    assert.deepEqual(
      window.received.map((post) => post.message),
      [{ nonce: 'second-request-00002' }],
    );
    // After a restart the window gets a fresh port with the nonce it last asked with.
    child().exit(1);
    host.connect(window, 'third-request-000003');
    timers.advance(1_000);
    child().ready();
    assert.deepEqual(window.received.at(-1)?.message, { nonce: 'third-request-000003' });
  });

  it("checks again, right before posting, that the window still shows the console", () => {
    const { host, timers, child, elsewhere, lines } = setup();
    host.start();
    const window = new FakeWindow(1);
    const other = new FakeWindow(2);
    host.connect(window, NONCE);
    host.connect(other, NONCE);
    elsewhere.add(1); // it navigated away while the engine started
    child().ready();
    assert.equal(window.received.length, 0);
    assert.equal(other.received.length, 1);
    assert.deepEqual(child().posted.filter((post) => post.message.type === 'connect').map((post) => post.message), [{ type: 'connect', windowId: 2 }]);
    assert.ok(lines.some((line) => /did not pass an engine port to window 1/.test(line)));
    // Nor after a restart.
    child().exit(1);
    timers.advance(1_000);
    child().ready();
    assert.equal(window.received.length, 0);
    assert.equal(other.received.length, 2);
  });

  it('tells the engine which window each port is for, so it closes that window\'s previous port', () => {
    const { host, child } = setup();
    host.start();
    child().ready();
    const window = new FakeWindow(4);
    host.connect(window, NONCE);
    host.connect(window, NONCE);
    assert.deepEqual(
      child().posted.filter((post) => post.message.type === 'connect').map((post) => post.message),
      [
        { type: 'connect', windowId: 4 },
        { type: 'connect', windowId: 4 },
      ],
    );
  });

  it('treats a process that exits before it launched as fatal, not as a crash to restart', () => {
    const { host, timers, children, child, fatal } = setup();
    host.start();
    child().launchFails(1);
    assert.equal(host.state, 'failed');
    assert.deepEqual(fatal, ['The engine process exited before it launched (exit code 1).']);
    timers.advance(600_000);
    assert.equal(children.length, 1, 'no restart loop');
  });

  it('logs why the process is gone, and a launch or integrity failure is fatal even after its exit', () => {
    const crashed = setup();
    crashed.host.start();
    crashed.child().ready();
    crashed.host.processGone({ reason: 'oom', exitCode: -1 });
    crashed.child().exit(-1);
    assert.ok(crashed.lines.includes('error engine: process gone: oom (exit code -1)'));
    crashed.timers.advance(1_000);
    assert.equal(crashed.children.length, 2, 'an ordinary crash is restarted');

    for (const reason of ['launch-failed', 'integrity-failure']) {
      const { host, timers, children, child, fatal, lines } = setup();
      host.start();
      child().ready();
      child().exit(1); // the exit event may come first: a restart is scheduled…
      host.processGone({ reason, exitCode: 1 });
      assert.ok(lines.includes(`error engine: process gone: ${reason} (exit code 1)`));
      assert.equal(fatal.length, 1, reason);
      assert.equal(host.state, 'failed');
      timers.advance(600_000);
      assert.equal(children.length, 1, `…and cancelled: no restart after ${reason}`);
    }
    const { host, child, fatal } = setup();
    host.start();
    host.processGone({ reason: 'integrity-failure', exitCode: 0 });
    assert.match(fatal[0] ?? '', /code integrity check/);
    assert.equal(child().killed, true);
    child().exit(0);
    assert.equal(fatal.length, 1, 'reported once');
  });
});
